/**
 * Rebuilds, from a model's chain events, the objects Tally shows for it: the governor, its token, every proposal
 * with its status and vote stats, and the delegates with their voting power. State is derived the way
 * OpenZeppelin's Governor derives it (plus ModelGovernor's expiry), from the events alone: proposal lifecycle
 * events, votes, the quorum numerator's history, the timelock (treasury) address, and the token's transfers and
 * delegation events. Static labels (names, symbols, decimals) are read by call, as Tally does when a DAO is added.
 * Shapes follow Tally's public GraphQL API (`Governor`, `Token`, `Proposal`, `VoteStats`, `Delegate`).
 */
import { Contract, Interface, getAddress, type Log, type Provider } from "ethers";

import {
  GOVERNOR_EVENTS,
  GOVERNOR_FUNCTIONS,
  PROPOSAL_STATES,
  QUORUM_DENOMINATOR,
  TOKEN_EVENTS,
  TOKEN_FUNCTIONS,
  VOTE_TYPES,
} from "./abi.js";

export type ProposalStatus = Lowercase<(typeof PROPOSAL_STATES)[number]>;

/** ModelGovernor's grace period to queue or execute before a proposal expires (PROPOSAL_GRACE_PERIOD). */
export const PROPOSAL_GRACE_PERIOD = 14n * 86_400n;

export interface TallyToken {
  id: string;
  type: "ERC20";
  name: string;
  symbol: string;
  decimals: number;
  supply: string;
}

export interface TallyVoteStat {
  type: (typeof VOTE_TYPES)[number];
  votesCount: string;
  votersCount: number;
  percent: number;
}

export interface TallyProposal {
  id: string;
  onchainId: string;
  chainId: string;
  governorId: string;
  status: ProposalStatus;
  proposer: { address: string };
  metadata: { title: string; description: string };
  start: { timestamp: number };
  end: { timestamp: number };
  block: { number: number; timestamp: number };
  eta: number | null;
  quorum: string;
  executableCalls: { target: string; value: string; calldata: string; signature: string }[];
  voteStats: TallyVoteStat[];
}

export interface TallyDelegate {
  account: { address: string };
  votesCount: string;
  delegatorsCount: number;
}

export interface TallyGovernor {
  id: string;
  chainId: string;
  name: string;
  kind: "openzeppelingovernor";
  quorum: string;
  timelockId: string;
  token: TallyToken;
  proposalStats: { total: number; active: number; failed: number; passed: number };
}

export interface TallyView {
  governor: TallyGovernor;
  proposals: TallyProposal[];
  delegates: TallyDelegate[];
  /** The block and time the view was built at. */
  at: { block: number; timestamp: number };
}

const governorInterface = new Interface([...GOVERNOR_EVENTS, ...GOVERNOR_FUNCTIONS]);
const tokenInterface = new Interface([...TOKEN_EVENTS, ...TOKEN_FUNCTIONS]);

/** A value over time, from events: the last value set at or before a time wins (Checkpoints' upperLookup). */
class History {
  private readonly points: [time: bigint, value: bigint][] = [];
  set(time: bigint, value: bigint) {
    this.points.push([time, value]);
  }
  add(time: bigint, delta: bigint) {
    this.set(time, this.latest() + delta);
  }
  latest(): bigint {
    return this.points.at(-1)?.[1] ?? 0n;
  }
  at(time: bigint): bigint {
    let value = 0n;
    for (const [t, v] of this.points) {
      if (t > time) break;
      value = v;
    }
    return value;
  }
}

interface ProposalRecord {
  id: bigint;
  proposer: string;
  targets: string[];
  values: bigint[];
  signatures: string[];
  calldatas: string[];
  voteStart: bigint;
  voteEnd: bigint;
  description: string;
  block: number;
  blockTime: number;
  eta: bigint;
  executed: boolean;
  canceled: boolean;
  votes: [bigint, bigint, bigint];
  voters: [Set<string>, Set<string>, Set<string>];
}

export interface IndexOptions {
  governor: string;
  token: string;
  /** First block to read (the model's registration block). */
  fromBlock: number;
  /** Last block to read; latest when omitted. */
  toBlock?: number;
  /** Most blocks per `eth_getLogs` request (public RPCs cap the range); 10,000 when omitted. */
  maxBlockRange?: number;
}

/** Reads every event of the model's governor and token and rebuilds Tally's view of it. */
export async function indexModel(provider: Provider, options: IndexOptions): Promise<TallyView> {
  const governor = getAddress(options.governor);
  const token = getAddress(options.token);
  const toBlock = options.toBlock ?? (await provider.getBlockNumber());
  const head = await provider.getBlock(toBlock);
  if (head === null) throw new Error(`toBlock: block ${toBlock} does not exist`);
  const now = BigInt(head.timestamp);
  const chainId = (await provider.getNetwork()).chainId;
  const caip = `eip155:${chainId}`;

  const range = options.maxBlockRange ?? 10_000;
  if (!Number.isInteger(range) || range < 1)
    throw new Error(`maxBlockRange: expected a positive integer, got ${range}`);
  const [governorLogs, tokenLogs] = await Promise.all([
    logsInChunks(provider, governor, options.fromBlock, toBlock, range),
    logsInChunks(provider, token, options.fromBlock, toBlock, range),
  ]);
  const times = await blockTimes(provider, [...governorLogs, ...tokenLogs]);

  // Governor events, in chain order.
  const proposals = new Map<bigint, ProposalRecord>();
  const quorumNumerator = new History();
  let timelock = "0x0000000000000000000000000000000000000000";
  for (const log of governorLogs) {
    const parsed = governorInterface.parseLog(log);
    if (parsed === null) continue;
    const a = parsed.args;
    const time = times.get(log.blockNumber)!;
    switch (parsed.name) {
      case "ProposalCreated":
        proposals.set(a[0], {
          id: a[0],
          proposer: a[1],
          targets: [...a[2]],
          values: [...a[3]],
          signatures: [...a[4]],
          calldatas: [...a[5]],
          voteStart: a[6],
          voteEnd: a[7],
          description: a[8],
          block: log.blockNumber,
          blockTime: Number(time),
          eta: 0n,
          executed: false,
          canceled: false,
          votes: [0n, 0n, 0n],
          voters: [new Set(), new Set(), new Set()],
        });
        break;
      case "ProposalExtended":
        proposals.get(a[0])!.voteEnd = a[1];
        break;
      case "ProposalQueued":
        proposals.get(a[0])!.eta = a[1];
        break;
      case "ProposalExecuted":
        proposals.get(a[0])!.executed = true;
        break;
      case "ProposalCanceled":
        proposals.get(a[0])!.canceled = true;
        break;
      case "VoteCast":
      case "VoteCastWithParams": {
        const p = proposals.get(a[1])!;
        const support = Number(a[2]);
        p.votes[support] += a[3];
        p.voters[support].add(getAddress(a[0]));
        break;
      }
      case "QuorumNumeratorUpdated":
        quorumNumerator.set(time, a[1]);
        break;
      case "TimelockChange":
        timelock = getAddress(a[1]);
        break;
    }
  }

  // Token events: supply, votable supply (outside the treasury), delegation.
  const supply = new History();
  const votable = new History();
  const delegateVotes = new Map<string, bigint>();
  const delegateeOf = new Map<string, string>();
  const zero = "0x0000000000000000000000000000000000000000";
  for (const log of tokenLogs) {
    const parsed = tokenInterface.parseLog(log);
    if (parsed === null) continue;
    const a = parsed.args;
    const time = times.get(log.blockNumber)!;
    if (parsed.name === "Transfer") {
      const [from, to, value] = [getAddress(a[0]), getAddress(a[1]), a[2] as bigint];
      if (from === zero) supply.add(time, value);
      if (to === zero) supply.add(time, -value);
      const fromVotable = from !== zero && from !== timelock;
      const toVotable = to !== zero && to !== timelock;
      if (!fromVotable && toVotable) votable.add(time, value);
      if (fromVotable && !toVotable) votable.add(time, -value);
    } else if (parsed.name === "DelegateVotesChanged") {
      delegateVotes.set(getAddress(a[0]), a[2]);
    } else if (parsed.name === "DelegateChanged") {
      delegateeOf.set(getAddress(a[0]), getAddress(a[2]));
    }
  }

  const quorumAt = (time: bigint) => (votable.at(time) * quorumNumerator.at(time)) / QUORUM_DENOMINATOR;
  const governorId = `${caip}:${governor}`;
  const built = [...proposals.values()].map((p) => {
    const quorum = quorumAt(p.voteStart);
    const status = statusOf(p, now, quorum);
    const total = p.votes[0] + p.votes[1] + p.votes[2];
    const voteStats = VOTE_TYPES.map((type) => {
      const i = VOTE_TYPES.indexOf(type);
      return {
        type,
        votesCount: p.votes[i].toString(),
        votersCount: p.voters[i].size,
        percent: total === 0n ? 0 : Number((p.votes[i] * 10_000n) / total) / 100,
      };
    });
    const [title, ...rest] = p.description.split("\n");
    return {
      id: p.id.toString(),
      onchainId: p.id.toString(),
      chainId: caip,
      governorId,
      status,
      proposer: { address: getAddress(p.proposer) },
      metadata: { title: title.replace(/^#+\s*/, "").trim(), description: rest.join("\n").trim() },
      start: { timestamp: Number(p.voteStart) },
      end: { timestamp: Number(p.voteEnd) },
      block: { number: p.block, timestamp: p.blockTime },
      eta: p.eta === 0n ? null : Number(p.eta),
      quorum: quorum.toString(),
      executableCalls: p.targets.map((target, i) => ({
        target: getAddress(target),
        value: p.values[i].toString(),
        calldata: p.calldatas[i],
        signature: p.signatures[i],
      })),
      voteStats,
    } satisfies TallyProposal;
  });

  const delegatorsCount = new Map<string, number>();
  for (const [, delegatee] of delegateeOf) {
    if (delegatee !== zero) delegatorsCount.set(delegatee, (delegatorsCount.get(delegatee) ?? 0) + 1);
  }
  const delegates = [...new Set([...delegateVotes.keys(), ...delegatorsCount.keys()])]
    .map((address) => ({
      account: { address },
      votesCount: (delegateVotes.get(address) ?? 0n).toString(),
      delegatorsCount: delegatorsCount.get(address) ?? 0,
    }))
    .sort((x, y) =>
      BigInt(y.votesCount) > BigInt(x.votesCount) ? 1 : BigInt(y.votesCount) < BigInt(x.votesCount) ? -1 : 0,
    );

  const labels = new Contract(token, tokenInterface, provider);
  const governorLabels = new Contract(governor, governorInterface, provider);
  const failed: ProposalStatus[] = ["defeated", "expired", "canceled"];
  const passed: ProposalStatus[] = ["succeeded", "queued", "executed"];
  return {
    governor: {
      id: governorId,
      chainId: caip,
      name: await governorLabels.name(),
      kind: "openzeppelingovernor",
      // Today's quorum, from the latest votable supply and numerator (what a new proposal would need).
      quorum: ((votable.latest() * quorumNumerator.latest()) / QUORUM_DENOMINATOR).toString(),
      timelockId: `${caip}:${timelock}`,
      token: {
        id: `${caip}/erc20:${token}`,
        type: "ERC20",
        name: await labels.name(),
        symbol: await labels.symbol(),
        decimals: Number(await labels.decimals()),
        supply: supply.latest().toString(),
      },
      proposalStats: {
        total: built.length,
        active: built.filter((p) => p.status === "active").length,
        failed: built.filter((p) => failed.includes(p.status)).length,
        passed: built.filter((p) => passed.includes(p.status)).length,
      },
    },
    proposals: built,
    delegates,
    at: { block: toBlock, timestamp: Number(now) },
  };
}

/** OpenZeppelin Governor's `state()` with GovernorTimelockControl and ModelGovernor's expiry, from events. */
function statusOf(p: ProposalRecord, now: bigint, quorum: bigint): ProposalStatus {
  const [against, forVotes, abstain] = p.votes;
  if (p.executed) return "executed";
  if (p.canceled) return "canceled";
  if (p.voteStart >= now) return "pending";
  if (p.voteEnd >= now) return "active";
  if (quorum > forVotes + abstain || forVotes <= against) return "defeated";
  if (p.eta === 0n) return now > p.voteEnd + PROPOSAL_GRACE_PERIOD ? "expired" : "succeeded";
  return now > p.eta + PROPOSAL_GRACE_PERIOD ? "expired" : "queued";
}

async function logsInChunks(provider: Provider, address: string, from: number, to: number, range: number) {
  const logs: Log[] = [];
  for (let start = from; start <= to; start += range) {
    logs.push(...(await provider.getLogs({ address, fromBlock: start, toBlock: Math.min(to, start + range - 1) })));
  }
  return logs;
}

async function blockTimes(provider: Provider, logs: Log[]): Promise<Map<number, bigint>> {
  const times = new Map<number, bigint>();
  for (const n of new Set(logs.map((l) => l.blockNumber))) {
    const block = await provider.getBlock(n);
    times.set(n, BigInt(block!.timestamp));
  }
  return times;
}
