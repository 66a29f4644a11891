/**
 * The registration wizard's draft and its checks, step by step, with the sentences `ws register` prints but naming
 * the form's fields. Defaults are `ws register`'s: sdk/protocol.ts `defaultGovernance()` with its consortium rule
 * (proposing needs 1% of the fractions, quorum 20%: tasks/register.ts `consortiumGovernance`). Both modules import
 * Hardhat and Node, so their values and `registrationArgs`' mapping are restated here.
 */
import { zeroAddress, zeroHash, type Address } from "viem";

import { formatDuration } from "../../../../sdk/format.ts";
import { documentHash } from "../propose/documents.ts";
import { address, bad, bytes32, durationWithUnit, uint, type Named } from "../propose/fields.ts";

export interface MemberDraft {
  account: string;
  amount: string;
}

/** Everything the form holds, as typed. */
export interface Draft {
  name: string;
  symbol: string;
  metadataURI: string;
  contentHash: string;
  members: MemberDraft[];
  votingDelay: string;
  votingPeriod: string;
  proposalThreshold: string;
  quorumNumerator: string;
  lateQuorumExtension: string;
  timelockDelay: string;
  guardian: string;
}

/** sdk/protocol.ts `GovernanceSettings`. */
export interface GovernanceSettings {
  votingDelay: bigint;
  votingPeriod: bigint;
  proposalThreshold: bigint;
  quorumNumerator: bigint;
  lateQuorumExtension: bigint;
  guardian: Address;
  timelockDelay: bigint;
}

/** sdk/protocol.ts `defaultGovernance`: 1 hour delay, 3 day vote, 4% quorum, 1 day late-quorum, 2 day timelock. */
export function defaultGovernance(overrides: Partial<GovernanceSettings> = {}): GovernanceSettings {
  return {
    votingDelay: 3600n,
    votingPeriod: 3n * 86400n,
    proposalThreshold: 0n,
    quorumNumerator: 4n,
    lateQuorumExtension: 86400n,
    guardian: zeroAddress,
    timelockDelay: 2n * 86400n,
    ...overrides,
  };
}

/** A duration as the form shows it: `3d`, `12h`, `90m`, `3600s`. */
export function durationInput(seconds: bigint): string {
  for (const [unit, size] of [
    ["d", 86_400n],
    ["h", 3_600n],
    ["m", 60n],
  ] as const) {
    if (seconds !== 0n && seconds % size === 0n) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** `ws register`'s proposal threshold for a supply: 1% of it, rounded up, at least 1. */
export function consortiumThreshold(supply: bigint): bigint {
  const onePercent = (supply + 99n) / 100n;
  return onePercent > 1n ? onePercent : 1n;
}

/** A fresh draft: the registrant as the first member when connected, governance at `ws register`'s defaults. */
export function newDraft(account?: string): Draft {
  const g = defaultGovernance({ quorumNumerator: 20n });
  return {
    name: "",
    symbol: "WS",
    metadataURI: "",
    contentHash: "",
    members: [{ account: account ?? "", amount: "1000" }],
    votingDelay: durationInput(g.votingDelay),
    votingPeriod: durationInput(g.votingPeriod),
    proposalThreshold: "",
    quorumNumerator: String(g.quorumNumerator),
    lateQuorumExtension: durationInput(g.lateQuorumExtension),
    timelockDelay: durationInput(g.timelockDelay),
    guardian: "",
  };
}

export const FIELDS = {
  name: { name: "name", label: "Name" },
  symbol: { name: "symbol", label: "Symbol" },
  metadataURI: { name: "metadataURI", label: "Metadata URI" },
  contentHash: { name: "contentHash", label: "Content hash" },
  votingDelay: { name: "votingDelay", label: "Voting delay" },
  votingPeriod: { name: "votingPeriod", label: "Voting period" },
  proposalThreshold: { name: "proposalThreshold", label: "Proposal threshold (votes)" },
  quorumNumerator: { name: "quorumNumerator", label: "Quorum (percent)" },
  lateQuorumExtension: { name: "lateQuorumExtension", label: "Late-quorum extension" },
  timelockDelay: { name: "timelockDelay", label: "Timelock delay" },
  guardian: { name: "guardian", label: "Guardian" },
} satisfies Record<string, Named>;

/** The fields of member `i` (0-based; labels count from 1). */
export function memberFields(i: number): { account: Named; amount: Named } {
  return {
    account: { name: `member-${i}-account`, label: `Member ${i + 1} account` },
    amount: { name: `member-${i}-amount`, label: `Member ${i + 1} fractions` },
  };
}

/** Step 1: the name and symbol, and the metadata's content hash (zero with no URI). */
export async function checkBasics(d: Draft): Promise<{ name: string; symbol: string; contentHash: string }> {
  if (d.name.trim() === "") bad(FIELDS.name, "expected a non-empty name");
  if (d.symbol.trim() === "") bad(FIELDS.symbol, "expected a short symbol, such as WS");
  if (d.metadataURI.trim() === "") {
    if (d.contentHash.trim() !== "") bad(FIELDS.metadataURI, "expected the metadata's URI with its content hash");
    return { name: d.name.trim(), symbol: d.symbol.trim(), contentHash: zeroHash };
  }
  if (d.contentHash.trim() !== "") bytes32(FIELDS.contentHash, d.contentHash);
  const contentHash = await documentHash(FIELDS.metadataURI, d.metadataURI, FIELDS.contentHash, d.contentHash);
  return { name: d.name.trim(), symbol: d.symbol.trim(), contentHash };
}

/** Step 2: the first holders, each a distinct address with at least one fraction. */
export function checkMembers(d: Draft): { account: Address; amount: bigint }[] {
  if (d.members.length === 0) bad({ name: "members", label: "Members" }, "expected at least one member");
  const members = d.members.map((m, i) => {
    const f = memberFields(i);
    const account = address(f.account, m.account);
    if (account === zeroAddress) bad(f.account, "expected a member's address, got the zero address");
    const amount = uint(f.amount, m.amount, 2n ** 208n - 1n);
    if (amount === 0n) bad(f.amount, "expected at least 1 fraction, got 0");
    return { account, amount };
  });
  members.forEach((m, i) => {
    const first = members.findIndex((o) => o.account === m.account);
    if (first !== i) bad(memberFields(i).account, `${m.account} appears twice (member ${first + 1}); merge them`);
  });
  return members;
}

/** The fractions minted at registration. */
export function supplyOf(members: { amount: bigint }[]): bigint {
  return members.reduce((sum, m) => sum + m.amount, 0n);
}

function within(f: Named, value: bigint, min: bigint, max: bigint, show: (v: bigint) => string): bigint {
  if (value < min || value > max) {
    bad(
      f,
      min === 0n
        ? `expected at most ${show(max)}, got ${show(value)}`
        : `expected from ${show(min)} to ${show(max)}, got ${show(value)}`,
    );
  }
  return value;
}

const DAY = 86_400n;
const HOUR = 3_600n;
const time = (v: bigint) => formatDuration(v, true);

/** Step 3: the governance settings, within GovernanceBounds.sol (as the registry checks them). */
export function checkGovernance(d: Draft, supply: bigint): GovernanceSettings {
  const f = FIELDS;
  const votingPeriod = within(
    f.votingPeriod,
    durationWithUnit(f.votingPeriod, d.votingPeriod, "votingPeriod"),
    HOUR,
    90n * DAY,
    time,
  );
  const threshold =
    d.proposalThreshold.trim() === "" ? consortiumThreshold(supply) : uint(f.proposalThreshold, d.proposalThreshold);
  if (threshold > supply) {
    bad(f.proposalThreshold, `expected at most the fractions minted (${supply} votes), got ${threshold}`);
  }
  return defaultGovernance({
    votingDelay: within(
      f.votingDelay,
      durationWithUnit(f.votingDelay, d.votingDelay, "votingDelay"),
      0n,
      30n * DAY,
      time,
    ),
    votingPeriod,
    proposalThreshold: threshold,
    quorumNumerator: within(f.quorumNumerator, uint(f.quorumNumerator, d.quorumNumerator), 1n, 100n, (v) => `${v}%`),
    lateQuorumExtension: within(
      f.lateQuorumExtension,
      durationWithUnit(f.lateQuorumExtension, d.lateQuorumExtension, "lateQuorumExtension"),
      0n,
      votingPeriod < 30n * DAY ? votingPeriod : 30n * DAY,
      time,
    ),
    timelockDelay: within(
      f.timelockDelay,
      durationWithUnit(f.timelockDelay, d.timelockDelay, "timelockDelay"),
      HOUR,
      30n * DAY,
      time,
    ),
    guardian: d.guardian.trim() === "" ? zeroAddress : address(f.guardian, d.guardian),
  });
}

/** The checked registration, and the argument `ModelRegistry.registerModel` takes. */
export async function checkAll(d: Draft) {
  const basics = await checkBasics(d);
  const members = checkMembers(d);
  const governance = checkGovernance(d, supplyOf(members));
  const registration = { ...basics, metadataURI: d.metadataURI.trim(), members, governance };
  // sdk/protocol.ts `registrationArgs`: the tuple `registerModel` takes.
  const args = {
    name: registration.name,
    symbol: registration.symbol,
    contentHash: registration.contentHash as `0x${string}`,
    metadataURI: registration.metadataURI,
    members: members.map((m) => m.account),
    amounts: members.map((m) => m.amount),
    governor: {
      votingDelay: governance.votingDelay,
      votingPeriod: governance.votingPeriod,
      proposalThreshold: governance.proposalThreshold,
      quorumNumerator: governance.quorumNumerator,
      lateQuorumExtension: governance.lateQuorumExtension,
      guardian: governance.guardian,
    },
    timelockDelay: governance.timelockDelay,
  };
  return { registration, args };
}
