/** Finding a proposal by id from the governor's own `ProposalCreated` event, and checking its state. */
import { id as keccakText } from "ethers";

import { PROPOSAL_STATES } from "../../governance/tally/abi.js";
import type { Model } from "../../sdk/index.js";
import { TaskInputError, uint } from "./cli.js";

export interface StoredProposal {
  proposalId: bigint;
  proposer: string;
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
}

export async function findProposal(m: Model, value: string): Promise<StoredProposal> {
  const proposalId = uint("proposal-id", value);
  const events = await m.governor.queryFilter(m.governor.filters.ProposalCreated());
  const event = events.find((e) => e.args.proposalId === proposalId);
  if (event === undefined) {
    throw new TaskInputError(`--proposal-id: expected a proposal of model #${m.modelId}, got ${value}`);
  }
  // Positional: ethers' Result has a `values()` method that shadows the event's `values` field.
  const [, proposer, targets, values, , calldatas, , , description] = event.args;
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
    throw new TaskInputError(`--proposal-id: proposal ${proposalId} is ${state}; expected ${expected.join(" or ")}`);
  }
}
