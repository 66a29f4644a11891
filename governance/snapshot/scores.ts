/**
 * Voting power and results for a Snapshot proposal, computed offline with the calls the space's strategies make:
 * `erc20-votes` reads `getVotes(account)` and `erc1155-balance-of` reads `balanceOf(account, id)`, both batched
 * through `snapshot.utils.multicall` at the proposal's snapshot block, then turned into numbers with the strategy's
 * `decimals` as Snapshot does. Results come from snapshot.js's own voting classes. Snapshot's score API is not
 * reachable offline (and refuses chain 31337): this reproduces it for our two strategies, nothing more.
 */
import { Web3Provider, type ExternalProvider } from "@ethersproject/providers";
import { formatUnits, getAddress } from "ethers";

import type { CapturedVote } from "./capture-server.js";
import type { SnapshotStrategy } from "./space.js";
import { snapshot } from "./snapshotjs.js";

/** The ABI fragments the two core strategies call (snapshot-strategies `erc20-votes`, `erc1155-balance-of`). */
export const STRATEGY_CALLS = {
  "erc20-votes": "function getVotes(address account) view returns (uint256)",
  "erc1155-balance-of": "function balanceOf(address owner, uint256 id) view returns (uint256)",
} as const;

/** An ethers 5 provider over an EIP-1193 provider (Hardhat's, a wallet's): what `utils.multicall` expects. */
export function multicallProvider(eip1193: ExternalProvider): Web3Provider {
  return new Web3Provider(eip1193);
}

export interface ScoreQuery {
  provider: Web3Provider;
  network: string;
  strategies: SnapshotStrategy[];
  addresses: string[];
  /** The proposal's snapshot block. */
  snapshot: number;
  /** The Multicall to batch through; Snapshot's own for the network when omitted. */
  multicall?: string;
}

export interface Scores {
  /** Per strategy, per address (checksummed): the number Snapshot shows. */
  scores: Record<string, number>[];
  /** Per strategy, per address: the exact on-chain amount behind it. */
  raw: Record<string, bigint>[];
  /** Per address: the sum over strategies (Snapshot's `vp`). */
  vp: Record<string, number>;
}

/** Reads every address's power under every strategy at `snapshot`, as Snapshot's score API would. */
export async function computeScores(query: ScoreQuery): Promise<Scores> {
  const addresses = query.addresses.map((a) => getAddress(a));
  const options = { blockTag: query.snapshot, ...(query.multicall ? { multicallAddress: query.multicall } : {}) };
  const raw: Record<string, bigint>[] = [];
  const scores: Record<string, number>[] = [];
  for (const strategy of query.strategies) {
    const abi = [STRATEGY_CALLS[strategy.name]];
    const calls =
      strategy.name === "erc20-votes"
        ? addresses.map((a) => [strategy.params.address, "getVotes", [a.toLowerCase()]])
        : addresses.map((a) => [strategy.params.address, "balanceOf", [a, strategy.params.tokenId]]);
    const results: { toString(): string }[][] = await snapshot.utils.multicall(
      query.network,
      query.provider,
      abi,
      calls,
      options,
    );
    const exact = Object.fromEntries(addresses.map((a, i) => [a, BigInt(results[i][0].toString())]));
    raw.push(exact);
    scores.push(
      Object.fromEntries(addresses.map((a) => [a, parseFloat(formatUnits(exact[a], strategy.params.decimals))])),
    );
  }
  const vp = Object.fromEntries(addresses.map((a) => [a, scores.reduce((sum, s) => sum + s[a], 0)]));
  return { scores, raw, vp };
}

export interface Result {
  /** Per choice (in the proposal's order): total power. */
  scores: number[];
  /** Per choice, per strategy. */
  scoresByStrategy: number[][];
  scoresTotal: number;
  /** 1-based index of the leading choice, 0 when nobody voted. */
  leader: number;
}

/** Tallies counted votes with snapshot.js's voting class for the proposal's type. */
export function tally(
  proposal: { type: string; choices: string[] },
  votes: Pick<CapturedVote, "voter" | "choice">[],
  strategies: SnapshotStrategy[],
  scores: Scores,
): Result {
  const Voting = (snapshot.utils.voting as Record<string, new (...args: unknown[]) => VotingClass>)[proposal.type];
  if (Voting === undefined) throw new Error(`type: expected a Snapshot voting type, got ${proposal.type}`);
  const weighted = votes.map((v) => {
    const voter = getAddress(v.voter);
    return { choice: v.choice, balance: scores.vp[voter] ?? 0, scores: scores.scores.map((s) => s[voter] ?? 0) };
  });
  const voting = new Voting(proposal, weighted, strategies, 0);
  const totals = voting.getScores();
  const best = Math.max(0, ...totals);
  return {
    scores: totals,
    scoresByStrategy: voting.getScoresByStrategy(),
    scoresTotal: voting.getScoresTotal(),
    leader: best === 0 ? 0 : totals.indexOf(best) + 1,
  };
}

interface VotingClass {
  getScores(): number[];
  getScoresByStrategy(): number[][];
  getScoresTotal(): number;
}
