/**
 * A model's proposals, newest first, with the state the governor would give them (computed from the indexer's
 * tables by indexer/proposal-state.ts at the chain's latest block time), their tallies, and vote buttons while
 * Active; what each will execute (ProposalActions.tsx); a link to Tally when configured, and to the propose page.
 */
import { useAccount, useBlock } from "wagmi";

import { proposalState, quorumAt } from "../../../../indexer/proposal-state.ts";
import { useAppConfig } from "../../context.tsx";
import { useIndexer } from "../../data/indexer.ts";
import { formatTime, shortAddress } from "../../format.ts";
import { href } from "../../router.ts";
import { ProposalActions, type IndexedCalls } from "./ProposalActions.tsx";
import { VoteButtons, type MyVote } from "./VoteButtons.tsx";

interface ProposalRow extends IndexedCalls {
  proposalId: string;
  governor: string;
  proposer: string;
  description: string;
  voteStart: string;
  voteEnd: string;
  status: string;
  etaSeconds: string | null;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  voterCount: number;
}
interface ProposalsData {
  proposals: { items: ProposalRow[] };
  votableSupplys: { items: { timestamp: string; supply: string }[] };
  quorumNumerators: { items: { timestamp: string; numerator: string }[] };
}

const PROPOSALS = `query Proposals($id: BigInt!) {
  proposals(where: { modelId: $id }, orderBy: "createdAt", orderDirection: "desc", limit: 50) {
    items {
      proposalId governor proposer description targets values calldatas voteStart voteEnd status etaSeconds forVotes againstVotes abstainVotes voterCount
    }
  }
  votableSupplys(where: { modelId: $id }, orderBy: "timestamp", orderDirection: "asc", limit: 1000) {
    items { timestamp supply }
  }
  quorumNumerators(where: { modelId: $id }, orderBy: "timestamp", orderDirection: "asc", limit: 1000) {
    items { timestamp numerator }
  }
}`;

const MY_VOTES = `query MyVotes($id: BigInt!, $voter: String!) {
  votes(where: { modelId: $id, voter: $voter }, limit: 1000) { items { proposalId support weight reason } }
}`;

/** The proposal's title: the first line of its description, without a Markdown heading mark. */
export function proposalTitle(description: string): string {
  const first = description.split("\n").find((line) => line.trim() !== "") ?? "";
  return first.replace(/^#+\s*/, "").trim() || "(no description)";
}

export interface ProposalsProps {
  modelId: bigint;
  /** The model's governor (null before its registration is indexed). */
  governor: string | null;
  /** The model's timelock (its treasury), which the decoder names as such. */
  timelock: string;
}

/** The proposals section of model `modelId`. */
export function Proposals({ modelId, governor, timelock }: ProposalsProps) {
  const { chainId, tallyUrl } = useAppConfig();
  const { address } = useAccount();
  const block = useBlock({ watch: true });
  const data = useIndexer<ProposalsData>(["proposals", String(modelId)], PROPOSALS, { id: String(modelId) });
  const mine = useIndexer<{ votes: { items: MyVote[] } }>(
    ["my-votes", String(modelId), address?.toLowerCase()],
    MY_VOTES,
    { id: String(modelId), voter: address?.toLowerCase() ?? "" },
    address !== undefined,
  );
  const supply = (data.data?.votableSupplys.items ?? []).map((r) => ({
    timestamp: BigInt(r.timestamp),
    supply: BigInt(r.supply),
  }));
  const numerators = (data.data?.quorumNumerators.items ?? []).map((r) => ({
    timestamp: BigInt(r.timestamp),
    numerator: BigInt(r.numerator),
  }));
  const now = block.data?.timestamp;
  const proposals = data.data?.proposals.items ?? [];
  return (
    <section aria-labelledby="proposals">
      <h2 id="proposals">Proposals</h2>
      <p>
        <a href={href({ page: "propose", modelId })}>Propose a change</a>
        {tallyUrl !== undefined && governor !== null && (
          <>
            {" · "}
            <a href={`${tallyUrl}/gov/eip155:${chainId}:${governor}`} target="_blank" rel="noreferrer">
              Vote on Tally (opens a new tab)
            </a>
          </>
        )}
      </p>
      {data.isLoading && <p>Loading proposals…</p>}
      {data.isError && <p className="error">Could not load the proposals: {data.error.message}.</p>}
      {data.data !== undefined && proposals.length === 0 && <p>No proposals yet.</p>}
      <ul className="cards" aria-label="Proposals">
        {proposals.map((p) => {
          const row = {
            status: p.status,
            voteStart: BigInt(p.voteStart),
            voteEnd: BigInt(p.voteEnd),
            etaSeconds: p.etaSeconds === null ? null : BigInt(p.etaSeconds),
            forVotes: BigInt(p.forVotes),
            againstVotes: BigInt(p.againstVotes),
            abstainVotes: BigInt(p.abstainVotes),
          };
          const quorum = quorumAt(supply, numerators, row.voteStart);
          const state = now === undefined ? undefined : proposalState(row, quorum, now);
          const myVote = mine.data?.votes.items.find((v) => v.proposalId === p.proposalId);
          return (
            <li key={p.proposalId} className="card">
              <h3>{proposalTitle(p.description)}</h3>
              <p>
                <strong>State: {state ?? "…"}</strong> · proposed by{" "}
                <span title={p.proposer}>{shortAddress(p.proposer)}</span>
              </p>
              <p className="muted">
                Voting {formatTime(p.voteStart)} – {formatTime(p.voteEnd)}. Quorum {quorum.toString()} votes.
              </p>
              <ProposalActions
                modelId={modelId}
                governor={p.governor}
                timelock={timelock}
                calls={p}
                title={proposalTitle(p.description)}
              />
              <table>
                <caption className="muted">
                  Votes cast ({p.voterCount} voter{p.voterCount === 1 ? "" : "s"})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">For</th>
                    <th scope="col">Against</th>
                    <th scope="col">Abstain</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>{p.forVotes}</td>
                    <td>{p.againstVotes}</td>
                    <td>{p.abstainVotes}</td>
                  </tr>
                </tbody>
              </table>
              <details>
                <summary>Description and proposal id</summary>
                <p style={{ whiteSpace: "pre-wrap" }}>{p.description}</p>
                <p className="mono">{p.proposalId}</p>
              </details>
              {governor !== null && (
                <VoteButtons
                  governor={governor}
                  proposalId={BigInt(p.proposalId)}
                  voteStart={BigInt(p.voteStart)}
                  title={proposalTitle(p.description)}
                  active={state === "Active"}
                  myVote={myVote}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
