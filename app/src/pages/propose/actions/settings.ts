/**
 * The model's settings (tasks/lib/actions/settings.ts): a governance setting (within GovernanceBounds.sol; times
 * need their unit), the guardian, the operator, the ERC-2981 royalty and the metadata (with its content hash).
 */
import {
  changeSettings,
  setGuardian,
  setOperator,
  setRoyalty,
  updateMetadata,
} from "../../../../../governance/proposals.ts";
import { formatDuration } from "../../../../../sdk/format.ts";
import {
  modelGovernorAbi,
  modelRegistryAbi,
  modelSharesAbi,
  modelTimelockAbi,
  modelVotesAbi,
  usageMeterAbi,
} from "../../../generated.ts";
import { field, valueOf, type ActionSpec } from "../action.ts";
import { handle, read } from "../chain.ts";
import { documentHash } from "../documents.ts";
import { address, bad, durationWithUnit, uint } from "../fields.ts";
import type {
  ModelGovernor,
  ModelRegistry,
  ModelShares,
  ModelTimelock,
  UsageMeter,
} from "../../../../../types/ethers-contracts/index.ts";

const SETTINGS = [
  ["votingDelay", "Voting delay"],
  ["votingPeriod", "Voting period"],
  ["proposalThreshold", "Proposal threshold (votes)"],
  ["quorumNumerator", "Quorum (percent)"],
  ["lateQuorumExtension", "Late-quorum extension"],
  ["timelockDelay", "Timelock delay"],
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

const TO = (label: string, help: string) => [{ name: "to", label, help }];

export const SETTINGS_ACTIONS: ActionSpec[] = [
  {
    id: "change-setting",
    label: "Change a governance setting",
    group: "Settings",
    fields: [
      { name: "setting", label: "Setting", kind: "select", options: SETTINGS, initial: "votingPeriod" },
      {
        name: "amount",
        label: "New value",
        help: "Times with their unit (2d, 12h, 3600s); quorum in percent; threshold in votes.",
      },
    ],
    async build(ctx, values, description) {
      const f = field(this.fields, "amount");
      const setting = values.setting || "votingPeriod";
      if (!SETTINGS.some(([s]) => s === setting)) {
        bad(field(this.fields, "setting"), `expected one of ${SETTINGS.map(([s]) => s).join(", ")}, got "${setting}"`);
      }
      const raw = valueOf(this.fields, values, "amount", "a value");
      let value: bigint;
      if (setting === "quorumNumerator") {
        value = uint(f, raw);
        if (value < 1n || value > 100n) {
          bad(f, `quorumNumerator must be from 1 to 100 (percent of the votable supply), got ${value}`);
        }
      } else if (setting === "proposalThreshold") {
        value = uint(f, raw);
        const supply = await read<bigint>(ctx, ctx.model.votes, modelVotesAbi, "votableSupply");
        if (value > supply) {
          bad(
            f,
            `proposalThreshold must be at most the votable supply of model #${ctx.modelId} (${supply} votes), got ${value}`,
          );
        }
      } else {
        value = durationWithUnit(f, raw, setting);
        const [min, max] = TIME_BOUNDS[setting];
        if (value < min || value > max) {
          const range =
            min === 0n ? `at most ${formatDuration(max)}` : `from ${formatDuration(min)} to ${formatDuration(max)}`;
          bad(f, `${setting} must be ${range}, got ${formatDuration(value, true)}`);
        }
      }
      return changeSettings({
        governor: handle<ModelGovernor>(modelGovernorAbi, ctx.model.governor),
        timelock: handle<ModelTimelock>(modelTimelockAbi, ctx.model.timelock),
        change: { [setting]: value },
        description,
      });
    },
  },
  {
    id: "set-guardian",
    label: "Name the guardian",
    group: "Settings",
    fields: TO("Guardian", "May cancel proposals; the zero address removes it."),
    async build(ctx, values, description) {
      const to = address(field(this.fields, "to"), valueOf(this.fields, values, "to", "an address"));
      return setGuardian({
        governor: handle<ModelGovernor>(modelGovernorAbi, ctx.model.governor),
        guardian: to,
        description,
      });
    },
  },
  {
    id: "set-operator",
    label: "Name the operator (gateway)",
    group: "Settings",
    fields: TO("Operator", "The only address that settles usage receipts."),
    async build(ctx, values, description) {
      const operator = address(field(this.fields, "to"), valueOf(this.fields, values, "to", "an address"));
      return setOperator({
        meter: handle<UsageMeter>(usageMeterAbi, ctx.deployment.meter),
        modelId: ctx.modelId,
        operator,
        description,
      });
    },
  },
  {
    id: "set-royalty",
    label: "Set the ERC-2981 royalty",
    group: "Settings",
    fields: [
      ...TO("Royalty receiver", "The zero address removes the royalty."),
      { name: "amount", label: "Royalty (bps)", help: "Basis points of a sale price: 250 is 2.5%." },
    ],
    async build(ctx, values, description) {
      const receiver = address(field(this.fields, "to"), valueOf(this.fields, values, "to", "an address"));
      const feeBps = uint(
        field(this.fields, "amount"),
        valueOf(this.fields, values, "amount", "basis points"),
        10_000n,
      );
      return setRoyalty({
        shares: handle<ModelShares>(modelSharesAbi, ctx.deployment.shares),
        modelId: ctx.modelId,
        receiver,
        feeBps,
        description,
      });
    },
  },
  {
    id: "update-metadata",
    label: "Update the metadata",
    group: "Settings",
    fields: [
      { name: "uri", label: "Metadata URI", help: "The model card's new address (ipfs://…, https://…)." },
      {
        name: "contentHash",
        label: "Content hash",
        kind: "file-hash",
        optional: true,
        help: "keccak256 of the document: read from the URI when possible, or choose the file.",
      },
    ],
    async build(ctx, values, description) {
      const f = (name: string) => field(this.fields, name);
      const contentHash = await documentHash(f("uri"), values.uri ?? "", f("contentHash"), values.contentHash ?? "");
      return updateMetadata({
        shares: handle<ModelShares>(modelSharesAbi, ctx.deployment.shares),
        registry: handle<ModelRegistry>(modelRegistryAbi, ctx.deployment.registry),
        modelId: ctx.modelId,
        uri: values.uri.trim(),
        contentHash,
        description,
      });
    },
  },
];
