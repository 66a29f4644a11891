/**
 * A proposal's state as the model's governor computes it (`ModelGovernor.state`: OpenZeppelin's, with the timelock,
 * late quorum and a grace period after which a succeeded or queued proposal expires), from the indexer's tables
 * alone: the proposal row, the votable supply and quorum numerator histories, and the time. So a page can list
 * proposals with their states without one RPC call each. Plain TypeScript (no Ponder, no Hardhat).
 */

/** `IGovernor.ProposalState`, in order. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/** `ModelGovernor.PROPOSAL_GRACE_PERIOD`: how long a succeeded proposal may wait to be queued, a queued one to run. */
export const PROPOSAL_GRACE_PERIOD = 14n * 86_400n;

/** The value in force at `timepoint` of a history keyed by timestamp (the last entry at or before it), or 0. */
export function valueAt<T extends { timestamp: bigint }>(
  history: readonly T[],
  timepoint: bigint,
  pick: (row: T) => bigint,
) {
  let best: T | undefined;
  for (const row of history)
    if (row.timestamp <= timepoint && (best === undefined || row.timestamp > best.timestamp)) best = row;
  return best === undefined ? 0n : pick(best);
}

/** The quorum at `timepoint`: votable supply then, times the numerator then, over 100 (`quorum(timepoint)`). */
export function quorumAt(
  supply: readonly { timestamp: bigint; supply: bigint }[],
  numerators: readonly { timestamp: bigint; numerator: bigint }[],
  timepoint: bigint,
): bigint {
  return (valueAt(supply, timepoint, (r) => r.supply) * valueAt(numerators, timepoint, (r) => r.numerator)) / 100n;
}

export interface IndexedProposal {
  status: string;
  voteStart: bigint;
  voteEnd: bigint;
  etaSeconds: bigint | null;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
}

/**
 * The state at time `now` (the latest block's timestamp) of a proposal whose quorum at its snapshot (`voteStart`)
 * is `quorum` (see `quorumAt`). Counting is OpenZeppelin's simple counting: quorum on for + abstain, success on for
 * above against.
 */
export function proposalState(p: IndexedProposal, quorum: bigint, now: bigint): ProposalStateName {
  if (p.status === "executed") return "Executed";
  if (p.status === "canceled") return "Canceled";
  if (p.voteStart >= now) return "Pending";
  if (p.voteEnd >= now) return "Active";
  const passed = p.forVotes + p.abstainVotes >= quorum && p.forVotes > p.againstVotes;
  if (!passed) return "Defeated";
  if (p.status === "queued" && p.etaSeconds !== null && p.etaSeconds !== 0n) {
    return now > p.etaSeconds + PROPOSAL_GRACE_PERIOD ? "Expired" : "Queued";
  }
  return now > p.voteEnd + PROPOSAL_GRACE_PERIOD ? "Expired" : "Succeeded";
}
