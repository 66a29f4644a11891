/** `ws register --members FILE`: registers a model for a consortium (members and amounts from a JSON file). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { defaultGovernance, registerModel, registrationArgs, type GovernanceSettings } from "../sdk/index.js";
import { action, address, contractError, jsonFile, output, TaskInputError, uint } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";

interface Args extends CommonArgs {
  members: string;
}

/**
 * What `ws register` applies when the members file's `governance` omits them (the rest is `defaultGovernance()`):
 * proposing needs 1% of the fractions minted (rounded up, at least 1), so an outsider with none cannot fill the
 * model's queue, and the registry allows it (at most the supply); and a 20% quorum (see below).
 */
export function consortiumGovernance(
  supply: bigint,
): Pick<GovernanceSettings, "proposalThreshold" | "quorumNumerator"> {
  const onePercent = (supply + 99n) / 100n;
  // 20%: OpenZeppelin's 4% suits a large, mostly silent token holding; a consortium of a few labs can muster a fifth,
  // and then a member holding less than a fifth cannot pass a proposal alone while the others are away.
  return { proposalThreshold: onePercent > 1n ? onePercent : 1n, quorumNumerator: 20n };
}

/** The members file: `{ name, symbol, contentHash?, metadataURI?, members: [{ account, amount }], governance? }`. */
interface MembersFile {
  name?: unknown;
  symbol?: unknown;
  contentHash?: unknown;
  metadataURI?: unknown;
  members?: unknown;
  governance?: Record<string, unknown>;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.members === "") throw new TaskInputError("--members: expected a JSON file with the model and its members");
  const file = jsonFile("members", args.members) as MembersFile;
  if (typeof file.name !== "string" || file.name === "") {
    throw new TaskInputError(`--members: expected "name" to be a non-empty string in ${args.members}`);
  }
  if (!Array.isArray(file.members) || file.members.length === 0) {
    throw new TaskInputError(`--members: expected "members" to be a non-empty list in ${args.members}`);
  }
  const members = file.members.map((m: { account?: unknown; amount?: unknown }, i: number) => ({
    account: address(`members[${i}].account`, String(m.account)),
    amount: uint(`members[${i}].amount`, String(m.amount), 2n ** 208n - 1n),
  }));
  // The same lab twice is usually a copy-paste slip that gives it both amounts.
  for (const [i, m] of members.entries()) {
    const first = members.findIndex((other) => other.account === m.account); // both checksummed by address()
    if (first !== i && args.force !== true) {
      throw new TaskInputError(
        `--members: members[${i}].account ${m.account} appears twice (members[${first}]); merge them or pass --force`,
      );
    }
  }
  const overrides: Partial<GovernanceSettings> = consortiumGovernance(members.reduce((sum, m) => sum + m.amount, 0n));
  for (const [key, value] of Object.entries(file.governance ?? {})) {
    if (key === "guardian") overrides.guardian = address("governance.guardian", String(value));
    else if (key in defaultGovernance())
      (overrides as Record<string, bigint>)[key] = uint(`governance.${key}`, String(value));
    else throw new TaskInputError(`--members: unknown governance setting "${key}" in ${args.members}`);
  }
  const ctx = await context(hre, args);
  const { ethers } = ctx.connection;
  const registration = {
    name: file.name,
    symbol: typeof file.symbol === "string" ? file.symbol : "WS",
    contentHash: typeof file.contentHash === "string" ? file.contentHash : ethers.ZeroHash,
    metadataURI: typeof file.metadataURI === "string" ? file.metadataURI : "",
    members,
    governance: defaultGovernance(overrides),
  };
  // Simulate first: a bad parameter is reported with the contract's own error, and nothing is sent.
  try {
    await ctx.registry.registerModel.staticCall(registrationArgs(registration));
  } catch (error) {
    throw new TaskInputError(
      `--members: the registry refuses this model: ${contractError(ctx.registry.interface, error)}`,
    );
  }
  const m = await registerModel(ethers, ctx.registry, registration, ctx.signer);
  const data = {
    modelId: m.modelId,
    votes: await m.votes.getAddress(),
    governor: await m.governor.getAddress(),
    timelock: await m.timelock.getAddress(),
    gasUsed: m.receipt.gasUsed,
    proposalThreshold: registration.governance.proposalThreshold,
    quorumNumerator: registration.governance.quorumNumerator,
  };
  output(args.json, data, () =>
    [
      `registered model #${data.modelId} "${file.name}"`,
      `  votes    ${data.votes}`,
      `  governor ${data.governor}`,
      `  timelock ${data.timelock} (its treasury)`,
      `  proposing needs ${data.proposalThreshold} votes; quorum ${data.quorumNumerator}% of the votes`,
    ].join("\n"),
  );
});
