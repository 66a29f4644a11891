/**
 * `ws register --members FILE`: registers a model for a consortium (members and amounts from a JSON file), through
 * `send()`: simulated first, refusals in plain words, and with `--safe` the Safe registers it (a batch to sign).
 *
 * The members file: `{ name, symbol?, metadataURI?, metadataFile?, contentHash?, members: [{ account, amount }],
 * governance? }`. The model's `contentHash` is keccak256 of its metadata document's exact bytes (never of the URI):
 * read from `metadataURI` when it can be read here, or from `metadataFile` (a local copy, a path relative to the
 * members file, checked against the URI when that can be read); a `contentHash` given as well must match it, and is
 * used as is only when neither can be read. No `metadataURI` at all registers a zero hash.
 */
import path from "node:path";

import { ZeroHash } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { defaultGovernance, modelAt, registrationArgs, type GovernanceSettings } from "../sdk/index.js";
import { action, address, confirm, jsonFile, output, TaskInputError, uint } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";
import { documentHash } from "./lib/documents.js";
import { send } from "./lib/send.js";

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

/** The members file (see above). */
interface MembersFile {
  name?: unknown;
  symbol?: unknown;
  contentHash?: unknown;
  metadataURI?: unknown;
  metadataFile?: unknown;
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
    if (first !== i) {
      confirm(args, "members", `members[${i}].account ${m.account} appears twice (members[${first}]); merge them`);
    }
  }
  const overrides: Partial<GovernanceSettings> = consortiumGovernance(members.reduce((sum, m) => sum + m.amount, 0n));
  for (const [key, value] of Object.entries(file.governance ?? {})) {
    if (key === "guardian") overrides.guardian = address("governance.guardian", String(value));
    else if (key in defaultGovernance())
      (overrides as Record<string, bigint>)[key] = uint(`governance.${key}`, String(value));
    else throw new TaskInputError(`--members: unknown governance setting "${key}" in ${args.members}`);
  }
  const metadataURI = typeof file.metadataURI === "string" ? file.metadataURI : "";
  const contentHash = await metadataHash(file, args.members, metadataURI);
  const ctx = await context(hre, args);
  const registration = {
    name: file.name,
    symbol: typeof file.symbol === "string" ? file.symbol : "WS",
    contentHash,
    metadataURI,
    members,
    governance: defaultGovernance(overrides),
  };
  const receipt = await send(ctx, ctx.registry, "registerModel", [registrationArgs(registration)], {
    argument: "members",
  });
  // send() returns null only for a Safe batch with more to follow, which this is not.
  const event = receipt?.logs
    .map((log) => {
      try {
        return ctx.registry.interface.parseLog(log);
      } catch {
        return null; // another contract's log that shares a topic
      }
    })
    .find((parsed) => parsed?.name === "ModelRegistered");
  if (receipt === null || receipt === undefined || event === undefined || event === null) {
    throw new TaskInputError("--members: the registration was mined but emitted no ModelRegistered event");
  }
  const m = await modelAt(ctx.connection.ethers, ctx.registry, event.args.modelId as bigint);
  const data = {
    modelId: m.modelId,
    votes: await m.votes.getAddress(),
    governor: await m.governor.getAddress(),
    timelock: await m.timelock.getAddress(),
    gasUsed: receipt.gasUsed,
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

/** The model's content hash: keccak256 of the metadata document (see the top of this file); zero with no URI. */
async function metadataHash(file: MembersFile, members: string, uri: string): Promise<string> {
  const given = typeof file.contentHash === "string" ? file.contentHash : "";
  const local = typeof file.metadataFile === "string" ? path.resolve(path.dirname(members), file.metadataFile) : "";
  if (uri === "") {
    if (given !== "" || local !== "") {
      throw new TaskInputError(`--members: expected "metadataURI" in ${members} with "contentHash" or "metadataFile"`);
    }
    return ZeroHash;
  }
  const read = await documentHash({
    uriOption: "metadataURI",
    uri,
    fileOption: "metadataFile",
    file: local,
    hashOption: "contentHash",
    hash: given,
    within: "members",
  });
  return read.hash;
}
