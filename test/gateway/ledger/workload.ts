/**
 * Many clients spending through several ledger handles on one storage at once (replicas), and the checks that no
 * credit was spent twice: per licence, `served` equals the sum of the costs the commits returned, never exceeds its
 * cap nor its credits, and the commits' running totals chain exactly (each is the previous plus its cost), so no
 * update was lost or applied twice. Used by sqlite.test.ts and postgres.test.ts.
 */
import { expect } from "chai";

import type { Ledger, UsageRecord } from "../../../gateway/ledger/ledger.js";
import { chain, NOW, receipt } from "./target.js";

/** One licence of the workload and what bounds it. */
interface Limits {
  licenceId: bigint;
  credits: bigint;
  settled: bigint;
  cap: bigint;
  metered: boolean;
}

/** Four licences: one bound by credits, one by its cap, one by credits after a settlement, one unmetered. */
export const LICENCES: readonly Limits[] = [
  { licenceId: 101n, credits: 600n, settled: 0n, cap: 1_000_000n, metered: true },
  { licenceId: 102n, credits: 1_000_000n, settled: 0n, cap: 500n, metered: true },
  { licenceId: 103n, credits: 300n, settled: 100n, cap: 1_000_000n, metered: true },
  { licenceId: 104n, credits: 0n, settled: 0n, cap: 800n, metered: false },
];

/** What a run did. */
export interface WorkloadResult {
  attempted: number;
  refused: number;
  released: number;
  committed: UsageRecord[];
}

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records the licences' chain state and receipts through `ledger`. */
export async function fundWorkload(ledger: Ledger): Promise<void> {
  for (const l of LICENCES) {
    await ledger.syncChain(l.licenceId, chain(l.credits, l.settled, 100, l.metered));
    await ledger.addReceipt(receipt(l.licenceId, l.cap), NOW);
  }
}

/**
 * `clients` async clients share `calls` calls, client i using `ledgers[i % ledgers.length]`: each reserves 1..5
 * credits on a random licence, then releases (1 in 10) or commits a cost of 0..6 (so sometimes above what it
 * reserved). Commits sign asynchronously, so transactions of different handles interleave.
 */
export async function runWorkload(
  ledgers: Ledger[],
  options: { clients: number; calls: number; seed: number },
): Promise<WorkloadResult> {
  const next = random(options.seed);
  const result: WorkloadResult = { attempted: 0, refused: 0, released: 0, committed: [] };
  async function client(index: number): Promise<void> {
    const ledger = ledgers[index % ledgers.length];
    const account = `0x${index.toString(16).padStart(40, "0")}`;
    while (result.attempted < options.calls) {
      const n = result.attempted++;
      const callId = `w-${options.seed}-${n}`;
      const licence = LICENCES[Math.floor(next() * LICENCES.length)];
      const maxCost = BigInt(1 + Math.floor(next() * 5));
      const releaseIt = next() < 0.1;
      const cost = BigInt(Math.floor(next() * 7));
      const outcome = await ledger.reserve({
        callId,
        licenceId: licence.licenceId,
        account,
        route: "oip:infer",
        model: "m",
        maxCost,
        now: NOW,
      });
      if (!outcome.ok) {
        result.refused++;
        continue;
      }
      if (releaseIt) {
        await ledger.release(callId, n);
        result.released++;
        continue;
      }
      const record = await ledger.commit({
        callId,
        cost,
        finishedAt: n,
        sign: async (r) => {
          await new Promise((resolve) => setImmediate(resolve));
          return `sig:${r.callId}:${r.total}`;
        },
      });
      result.committed.push(record);
    }
  }
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  return result;
}

/** The checks of the module comment, on the ledger's final state as `ledger` reads it. */
export async function checkWorkload(ledger: Ledger, result: WorkloadResult, calls: number): Promise<void> {
  expect(result.attempted).to.equal(calls);
  expect(result.refused, "the workload must exhaust the limits").to.be.greaterThan(0);
  expect(result.committed.length + result.refused + result.released).to.equal(calls);
  for (const l of LICENCES) {
    const state = (await ledger.licence(l.licenceId))!;
    const records = result.committed.filter((r) => r.licenceId === l.licenceId);
    const charged = records.reduce((sum, r) => sum + r.cost, 0n);
    expect(state.served, `licence ${l.licenceId}: served = sum of charged costs`).to.equal(charged);
    expect(state.reserved, `licence ${l.licenceId}: nothing left reserved`).to.equal(0n);
    expect(state.served <= l.cap, `licence ${l.licenceId}: served ${state.served} <= cap ${l.cap}`).to.equal(true);
    if (l.metered) {
      const limit = l.credits + l.settled;
      expect(state.served <= limit, `licence ${l.licenceId}: served ${state.served} <= ${limit}`).to.equal(true);
    }
    let total = 0n;
    for (const r of records.filter((x) => x.cost > 0n).sort((a, b) => (a.total < b.total ? -1 : 1))) {
      expect(r.total, `licence ${l.licenceId}: running total after call ${r.callId}`).to.equal(total + r.cost);
      expect(r.cost <= r.reservedCost).to.equal(true);
      expect(r.gatewaySignature).to.equal(`sig:${r.callId}:${r.total}`);
      total = r.total;
    }
    expect(total).to.equal(state.served);
  }
}
