/**
 * For / Against / Abstain on one proposal (`ModelGovernor.castVote(proposalId, support)`, or `castVoteWithReason`
 * when a reason is written), enabled while the proposal is Active and the account has not voted. The weight is the
 * account's votes at the proposal's snapshot, read from the governor; the reason survives a rejection or a revert.
 */
import { useState } from "react";
import type { Address } from "viem";
import { useAccount, useReadContract } from "wagmi";

import { modelGovernorAbi } from "../../generated.ts";
import { TxButton } from "../../tx/TxButton.tsx";

/** The connected account's vote on a proposal, from the indexer. */
export interface MyVote {
  proposalId: string;
  support: number;
  weight: string;
  reason: string;
}

const SUPPORT = ["Against", "For", "Abstain"] as const;

export interface VoteButtonsProps {
  governor: string;
  proposalId: bigint;
  voteStart: bigint;
  title: string;
  active: boolean;
  myVote?: MyVote;
}

/** The vote buttons of one proposal, or what the account voted. */
export function VoteButtons({ governor, proposalId, voteStart, title, active, myVote }: VoteButtonsProps) {
  const { address, isConnected } = useAccount();
  const [reason, setReason] = useState("");
  const weight = useReadContract({
    address: governor as Address,
    abi: modelGovernorAbi,
    functionName: "getVotes",
    args: [address as Address, voteStart],
    query: { enabled: active && address !== undefined && myVote === undefined },
  });
  if (myVote !== undefined) {
    return (
      <p className="ok">
        You voted {SUPPORT[myVote.support] ?? `option ${myVote.support}`} with {myVote.weight} votes
        {myVote.reason ? `: “${myVote.reason}”` : ""}.
      </p>
    );
  }
  if (!active) return null;
  if (!isConnected || address === undefined) {
    return (
      <button type="button" disabled>
        Connect a wallet to vote
      </button>
    );
  }
  if (weight.data === 0n) {
    return (
      <p className="muted">
        You had no votes at this proposal&apos;s snapshot (fractions delegated to you before voting opened), so you
        cannot vote on it.
      </p>
    );
  }
  const reasonId = `reason-${proposalId}`;
  const votes = weight.data === undefined ? "your votes" : `your ${weight.data} votes`;
  return (
    <div role="group" aria-label={`Vote on: ${title}`}>
      <label htmlFor={reasonId}>Reason (optional)</label>
      <input id={reasonId} type="text" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
      <div className="row">
        {([1, 0, 2] as const).map((support) => (
          <TxButton
            key={support}
            label={`Vote ${SUPPORT[support]}`}
            summary={[
              `Vote ${SUPPORT[support]} on “${title}” with ${votes}`,
              reason.trim() === "" ? "Give no reason" : `Give the reason “${reason.trim()}” (public, on chain)`,
              "A vote cannot be changed once cast",
            ]}
            build={() =>
              reason.trim() === ""
                ? {
                    address: governor as Address,
                    abi: modelGovernorAbi,
                    functionName: "castVote",
                    args: [proposalId, support],
                  }
                : {
                    address: governor as Address,
                    abi: modelGovernorAbi,
                    functionName: "castVoteWithReason",
                    args: [proposalId, support, reason.trim()],
                  }
            }
            success={`Voted ${SUPPORT[support]}`}
          />
        ))}
      </div>
    </div>
  );
}
