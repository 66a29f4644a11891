/**
 * A proposal's whole life on a simulated chain (Hardhat network or `hardhat node`), where time can be moved:
 * propose, wait for the snapshot, vote, wait for the deadline, queue, wait for the timelock, execute. Used by the
 * demo, the tasks' local walkthrough and every test suite (through test/helpers/governance.ts).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

import { descriptionHash, type Proposal } from "../governance/index.js";
import type { ModelGovernor } from "../types/ethers-contracts/index.js";

export interface PassedProposal {
  proposalId: bigint;
  gas: { propose: bigint; votes: bigint; queue: bigint; execute: bigint };
}

/** Runs `proposal` through its whole lifecycle with every voter voting For; returns its id and the gas spent. */
export async function passProposal(
  governor: ModelGovernor,
  proposal: Proposal,
  proposer: HardhatEthersSigner,
  voters: HardhatEthersSigner[],
  helpers: NetworkHelpers,
): Promise<PassedProposal> {
  const args = [proposal.targets, proposal.values, proposal.calldatas, descriptionHash(proposal)] as const;
  const gasOf = async (sent: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
    (await (await sent).wait())?.gasUsed ?? 0n;
  const propose = await gasOf(
    governor.connect(proposer).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
  );
  const proposalId = await governor.getProposalId(...args);
  await helpers.time.increaseTo((await governor.proposalSnapshot(proposalId)) + 1n);
  let votes = 0n;
  for (const voter of voters) votes += await gasOf(governor.connect(voter).castVote(proposalId, 1));
  await helpers.time.increaseTo((await governor.proposalDeadline(proposalId)) + 1n);
  const queue = await gasOf(governor.queue(...args));
  await helpers.time.increaseTo(await governor.proposalEta(proposalId));
  const execute = await gasOf(governor.execute(...args));
  return { proposalId, gas: { propose, votes, queue, execute } };
}
