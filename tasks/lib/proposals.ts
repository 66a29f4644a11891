/** Finding a proposal by id from the governor's own `ProposalCreated` event, and checking its state. */
import { id as keccakText } from "ethers";

import { PROPOSAL_STATES } from "../../governance/tally/abi.js";
import type { Model } from "../../sdk/index.js";
import { TaskInputError, uint } from "./cli.js";
import type { Context } from "./context.js";
import { shortId } from "./errors.js";
import { events as scan, registrationBlock } from "./events.js";
import { timeText } from "./units.js";

export interface StoredProposal {
  proposalId: bigint;
  proposer: string;
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
}

/**
 * `--proposal-id` of model `m`: decimal, hex (`0x…`), or the short form tasks print (`0x1234…abcd`, also with
 * `...`), which must match exactly one of the model's proposals.
 */
export async function findProposal(ctx: Context, m: Model, value: string): Promise<StoredProposal> {
  if (value === "") throw new TaskInputError("--proposal-id: expected a proposal id (decimal, hex or 0x1234…abcd)");
  const events = await proposalEvents(ctx, m);
  // The short form as printed (0x1234…abcd), typed with "..." or with nothing between its halves (0x1234abcd).
  const shortForm =
    /^0x([0-9a-fA-F]{1,8})(?:…|\.\.\.)([0-9a-fA-F]{1,8})$/.exec(value) ??
    /^0x([0-9a-fA-F]{4})([0-9a-fA-F]{4})$/.exec(value);
  let matches: typeof events;
  if (shortForm !== null) {
    const [head, tail] = [shortForm[1].toLowerCase(), shortForm[2].toLowerCase()];
    matches = events.filter((e) => {
      const hex = e.args.proposalId.toString(16).padStart(64, "0");
      return hex.startsWith(head) && hex.endsWith(tail);
    });
    if (matches.length > 1) {
      throw new TaskInputError(`--proposal-id: ${value} matches ${matches.length} proposals; give the full id`);
    }
  } else {
    const proposalId = uint("proposal-id", value);
    matches = events.filter((e) => e.args.proposalId === proposalId);
  }
  const event = matches[0];
  if (event === undefined) {
    throw new TaskInputError(
      `--proposal-id: expected a proposal of model #${m.modelId} (its full id in decimal or hex, or the short form ` +
        `ws proposals prints: 0x1234…abcd, 0x1234...abcd or 0x1234abcd), got ${value}`,
    );
  }
  return storedProposal(event);
}

/** A proposal as its `ProposalCreated` event records it. */
export function storedProposal(event: {
  args: [bigint, string, string[], bigint[], string[], string[], bigint, bigint, string];
}): StoredProposal {
  // Positional: ethers' Result has a `values()` method that shadows the event's `values` field.
  const [proposalId, proposer, targets, values, , calldatas, , , description] = event.args;
  return {
    proposalId,
    proposer,
    targets: [...targets],
    values: [...values],
    calldatas: [...calldatas],
    description,
    descriptionHash: keccakText(description),
  };
}

export async function stateOf(m: Model, proposalId: bigint): Promise<(typeof PROPOSAL_STATES)[number]> {
  return PROPOSAL_STATES[Number(await m.governor.state(proposalId))];
}

/** Refuses (one line, nothing sent) unless the proposal is in one of `expected`. */
export async function requireState(
  m: Model,
  proposalId: bigint,
  expected: (typeof PROPOSAL_STATES)[number][],
): Promise<void> {
  const state = await stateOf(m, proposalId);
  if (!expected.includes(state)) {
    throw new TaskInputError(
      `--proposal-id: proposal ${shortId(proposalId)} is ${state}; expected ${expected.join(" or ")}${await when(m, proposalId, state)}`,
    );
  }
}

/** When a proposal leaves a waiting state: voting opens, voting closes, or the timelock lets it run. */
async function when(m: Model, proposalId: bigint, state: string): Promise<string> {
  if (state === "Pending") return ` (voting opens ${timeText(await m.governor.proposalSnapshot(proposalId))})`;
  if (state === "Active") return ` (voting closes ${timeText(await m.governor.proposalDeadline(proposalId))})`;
  if (state === "Queued") return ` (executable from ${timeText(await m.governor.proposalEta(proposalId))})`;
  return "";
}

/** The model's `ProposalCreated` events, scanned in chunks from the block it was registered in. */
export async function proposalEvents(ctx: Context, m: Model) {
  const from = await registrationBlock(ctx, ctx.registry, m.modelId);
  return scan(ctx, m.governor, m.governor.filters.ProposalCreated(), from);
}
