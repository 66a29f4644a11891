/**
 * `ws propose` actions on the model's settings: governance settings (checked against the bounds of
 * contracts/governance/GovernanceBounds.sol and ModelGovernor's threshold rule before proposing; time settings take
 * durations with their unit, such as `2d`, `12h` or `3600s`: a bare number is refused, since `--days 2` elsewhere
 * means days and 2 here would quietly mean 2 seconds), the guardian, the operator, the ERC-2981 royalty and
 * the metadata (its content hash is keccak256 of the document).
 */
import { changeSettings, setGuardian, setOperator, setRoyalty, updateMetadata } from "../../../governance/index.js";
import { address, oneOf, TaskInputError, uint } from "../cli.js";
import { documentHash } from "../documents.js";
import { formatDuration, parseDuration } from "../units.js";
import { type Build } from "./common.js";

export const SETTINGS = [
  "votingDelay",
  "votingPeriod",
  "proposalThreshold",
  "quorumNumerator",
  "lateQuorumExtension",
  "timelockDelay",
] as const;

const DAY = 86_400n;
const HOUR = 3_600n;
/** GovernanceBounds.sol's ranges of the time settings, in seconds. */
const TIME_BOUNDS: Record<string, [bigint, bigint]> = {
  votingDelay: [0n, 30n * DAY],
  votingPeriod: [HOUR, 90n * DAY],
  lateQuorumExtension: [0n, 30n * DAY],
  timelockDelay: [HOUR, 30n * DAY],
};

export const SETTINGS_ACTIONS: Record<string, Build> = {
  "change-setting": async (_ctx, m, args) => {
    const setting = oneOf("setting", args.setting, SETTINGS);
    let value: bigint;
    if (setting === "quorumNumerator") {
      value = uint("amount", args.amount);
      if (value < 1n || value > 100n) {
        throw new TaskInputError(
          `--amount: quorumNumerator must be from 1 to 100 (percent of the votable supply), got ${value}`,
        );
      }
    } else if (setting === "proposalThreshold") {
      value = uint("amount", args.amount);
      const supply = await m.votes.votableSupply();
      if (value > supply) {
        throw new TaskInputError(
          `--amount: proposalThreshold must be at most the votable supply of model #${m.modelId} (${supply} votes), got ${value}`,
        );
      }
    } else {
      if (/^\s*[\d.]+\s*$/.test(args.amount)) {
        throw new TaskInputError(
          `--amount: expected a duration with its unit for ${setting}, such as 2d, 12h or 3600s, got "${args.amount}"`,
        );
      }
      value = parseDuration("amount", args.amount, "s");
      const [min, max] = TIME_BOUNDS[setting];
      if (value < min || value > max) {
        const range =
          min === 0n ? `at most ${formatDuration(max)}` : `from ${formatDuration(min)} to ${formatDuration(max)}`;
        throw new TaskInputError(`--amount: ${setting} must be ${range}, got ${formatDuration(value, true)}`);
      }
    }
    return changeSettings({
      governor: m.governor,
      timelock: m.timelock,
      change: { [setting]: value },
      description: args.description,
    });
  },

  "set-guardian": async (_ctx, m, args) =>
    setGuardian({ governor: m.governor, guardian: address("to", args.to), description: args.description }),

  "set-operator": async (ctx, m, args) =>
    setOperator({
      meter: ctx.meter,
      modelId: m.modelId,
      operator: address("to", args.to),
      description: args.description,
    }),

  "set-royalty": async (ctx, m, args) =>
    setRoyalty({
      shares: ctx.shares,
      modelId: m.modelId,
      receiver: address("to", args.to),
      feeBps: uint("amount", args.amount, 10_000n),
      description: args.description,
    }),

  "update-metadata": async (ctx, m, args) => {
    const { hash } = await documentHash({
      uriOption: "uri",
      uri: args.uri,
      fileOption: "file",
      file: args.file,
      hashOption: "content-hash",
      hash: args.contentHash,
    });
    return updateMetadata({
      shares: ctx.shares,
      registry: ctx.registry,
      modelId: m.modelId,
      uri: args.uri,
      contentHash: hash,
      description: args.description,
    });
  },
};
