/**
 * The one governance helper every suite uses: propose, vote, wait, queue, execute, with the proposal id kept.
 * Mirrors OpenZeppelin's test/helpers/governance.js, on top of the same `governance/` builders users run.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractTransactionResponse } from "ethers";

import { descriptionHash, type Proposal } from "../../governance/index.js";
import { passProposal } from "../../sdk/index.js";
import type { ModelGovernor } from "../../types/ethers-contracts/index.js";

/** OpenZeppelin's `IGovernor.ProposalState`, in order. */
export enum ProposalState {
  Pending,
  Active,
  Canceled,
  Defeated,
  Succeeded,
  Queued,
  Expired,
  Executed,
}

export enum VoteType {
  Against,
  For,
  Abstain,
}

export class GovernanceHelper {
  id = 0n;

  constructor(
    readonly governor: ModelGovernor,
    readonly proposal: Proposal,
    private readonly helpers: NetworkHelpers,
  ) {}

  private args() {
    const p = this.proposal;
    return [p.targets, p.values, p.calldatas, descriptionHash(p)] as const;
  }

  async propose(proposer: HardhatEthersSigner): Promise<bigint> {
    const p = this.proposal;
    await (await this.governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description)).wait();
    this.id = await this.governor.getProposalId(...this.args());
    return this.id;
  }

  async state(): Promise<ProposalState> {
    return Number(await this.governor.state(this.id)) as ProposalState;
  }

  /** Moves time just past the snapshot, so votes can be cast. */
  async waitForSnapshot(offset = 1n): Promise<void> {
    await this.helpers.time.increaseTo((await this.governor.proposalSnapshot(this.id)) + offset);
  }

  async vote(voter: HardhatEthersSigner, support: VoteType = VoteType.For): Promise<ContractTransactionResponse> {
    return mined(this.governor.connect(voter).castVote(this.id, support));
  }

  /** Moves time just past the (possibly extended) deadline. */
  async waitForDeadline(offset = 1n): Promise<void> {
    await this.helpers.time.increaseTo((await this.governor.proposalDeadline(this.id)) + offset);
  }

  async queue(signer?: HardhatEthersSigner): Promise<ContractTransactionResponse> {
    const g = signer === undefined ? this.governor : this.governor.connect(signer);
    return mined(g.queue(...this.args()));
  }

  async waitForEta(offset = 0n): Promise<void> {
    await this.helpers.time.increaseTo((await this.governor.proposalEta(this.id)) + offset);
  }

  async execute(signer?: HardhatEthersSigner): Promise<ContractTransactionResponse> {
    // ETH a proposal spends comes from the timelock's own balance (the treasury), never from the executor.
    const g = signer === undefined ? this.governor : this.governor.connect(signer);
    return mined(g.execute(...this.args()));
  }

  async cancel(signer: HardhatEthersSigner): Promise<ContractTransactionResponse> {
    return mined(this.governor.connect(signer).cancel(...this.args()));
  }

  /** Proposes, every voter votes For, queues and waits for the eta: the next step is `execute`, whose outcome the
   * caller asserts. */
  async readyToExecute(proposer: HardhatEthersSigner, voters: HardhatEthersSigner[]): Promise<void> {
    await this.propose(proposer);
    await this.waitForSnapshot();
    for (const voter of voters) await this.vote(voter);
    await this.waitForDeadline();
    await this.queue();
    await this.waitForEta();
  }

  /** The whole lifecycle (the SDK's `passProposal`): propose, every voter votes For, queue, wait, execute. */
  async pass(proposer: HardhatEthersSigner, voters: HardhatEthersSigner[]): Promise<void> {
    this.id = (await passProposal(this.governor, this.proposal, proposer, voters, this.helpers)).proposalId;
  }
}

/** Sends, waits until mined (so a revert surfaces here), and returns the response for `.to.emit` matchers. */
async function mined(sent: Promise<ContractTransactionResponse>): Promise<ContractTransactionResponse> {
  const tx = await sent;
  await tx.wait();
  return tx;
}
