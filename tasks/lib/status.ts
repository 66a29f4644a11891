/**
 * A proposal as `ws proposal` and `ws proposals` show it: state, votes, quorum (in every state: before voting
 * opens, the quorum is read as it would be now, since it is fixed only at the snapshot), times and what it does.
 */
import type { DecodedCall, ProtocolView } from "../../governance/index.js";
import type { Model } from "../../sdk/index.js";
import { chainNow, type Context } from "./context.js";
import { describeCalls } from "./describe.js";
import { shortId } from "./errors.js";
import { stateOf, type StoredProposal } from "./proposals.js";

export interface ProposalStatus {
  proposalId: bigint;
  shortId: string;
  /** The full id as 32 bytes of hex. */
  hexId: string;
  state: string;
  /** The description as written, without the `#proposer=0x…` suffix `ws propose` appends. */
  description: string;
  proposer: string;
  calls: DecodedCall[];
  votes: { for: bigint; against: bigint; abstain: bigint };
  quorum: bigint;
  /** "snapshot" once voting has opened; "now" before (the quorum is fixed at the snapshot). */
  quorumAt: "snapshot" | "now";
  snapshot: bigint;
  deadline: bigint;
  /** When it can be executed, once queued (0 before). */
  eta: bigint;
}

export async function proposalStatus(
  ctx: Context,
  m: Model,
  view: ProtocolView,
  p: StoredProposal,
): Promise<ProposalStatus> {
  const [against, forVotes, abstain] = await m.governor.proposalVotes(p.proposalId);
  const snapshot = await m.governor.proposalSnapshot(p.proposalId);
  const now = await chainNow(ctx);
  // The governor reads past supply only: a snapshot still ahead would revert (ERC5805FutureLookup).
  const quorumAt = snapshot < now ? "snapshot" : "now";
  return {
    proposalId: p.proposalId,
    shortId: shortId(p.proposalId),
    hexId: `0x${p.proposalId.toString(16).padStart(64, "0")}`,
    state: await stateOf(m, p.proposalId),
    description: p.description.replace(/#proposer=0x[0-9a-fA-F]{40}$/, ""),
    proposer: p.proposer,
    calls: await describeCalls(ctx, view, p),
    votes: { for: forVotes, against, abstain },
    quorum: await m.governor.quorum(quorumAt === "snapshot" ? snapshot : now - 1n),
    quorumAt,
    snapshot,
    deadline: await m.governor.proposalDeadline(p.proposalId),
    eta: await m.governor.proposalEta(p.proposalId),
  };
}

/** "for 500, against 0, abstain 0". */
export function votesText(s: ProposalStatus): string {
  return `for ${s.votes.for}, against ${s.votes.against}, abstain ${s.votes.abstain}`;
}
