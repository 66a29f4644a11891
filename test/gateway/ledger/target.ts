/**
 * What the shared ledger behaviours (spending.behavior.ts, settlement.behavior.ts) run against: one empty storage
 * of a backend (a SQLite file, a PostgreSQL database), opened as many times as a test needs (two handles = two
 * replicas; close and open again = a restart), and the small fixtures they share.
 */
import { expect } from "chai";

import type { ChainUsage, Ledger, StoredReceipt } from "../../../gateway/ledger/ledger.js";
import type { Database } from "../../../gateway/ledger/sql.js";

/** One empty storage of one backend. */
export interface LedgerTarget {
  /** A new handle on the storage, migrated. */
  ledger(): Promise<Ledger>;
  /** A new raw handle on the storage (not migrated), for schema checks. */
  database(): Promise<Database>;
  /** Removes the storage (handles must be closed first). */
  dispose(): Promise<void>;
}

/** Makes a fresh, empty storage for each test. */
export type TargetFactory = () => Promise<LedgerTarget>;

/** Unix seconds "now" in the tests (a fixed instant: no test depends on the clock). */
export const NOW = 1_900_000_000;
/** The licensee's address. */
export const HOLDER = "0x00000000000000000000000000000000000000a1";
export const MODEL = 7n;

/** The chain's view of a metered licence with `credits` left and `settled` settled, at `block`. */
export function chain(credits: bigint, settled = 0n, block = 100, metered = true): ChainUsage {
  return { modelId: MODEL, holder: HOLDER, metered, credits, settled, block };
}

/** A receipt for `licenceId` of running-total `cap`, valid until `deadline`. */
export function receipt(licenceId: bigint, cap: bigint, deadline = NOW + 3600): StoredReceipt {
  return { licenceId, modelId: MODEL, signer: HOLDER, cap, deadline, signature: `0xsig-${licenceId}-${cap}` };
}

/** Syncs `licenceId` as metered with `credits` and accepts a receipt of `cap`; returns the ledger. */
export async function fund(ledger: Ledger, licenceId: bigint, credits: bigint, cap: bigint): Promise<Ledger> {
  await ledger.syncChain(licenceId, chain(credits));
  const outcome = await ledger.addReceipt(receipt(licenceId, cap), NOW);
  if (!outcome.accepted) throw new Error(`fixture receipt refused: ${outcome.reason}`);
  return ledger;
}

let calls = 0;
let clock = NOW * 1000;
/** A fresh call id. */
export function callId(): string {
  return `call-${process.pid}-${++calls}`;
}

/** Reserves `maxCost` on `licenceId` for `account` and charges `cost` (each call finishing 1 ms after the one before,
 * on a fake clock); returns the record. */
export async function serve(ledger: Ledger, licenceId: bigint, maxCost: bigint, cost = maxCost, account = HOLDER) {
  const id = callId();
  const outcome = await ledger.reserve({
    callId: id,
    licenceId,
    account,
    route: "oip:infer",
    model: "m",
    maxCost,
    now: NOW,
  });
  if (!outcome.ok) throw new Error(`fixture reservation refused: ${outcome.reason}`);
  return ledger.commit({ callId: id, cost, finishedAt: ++clock });
}

/** Expects `promise` to reject with a message matching `pattern`. */
export async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, "expected a rejection").to.be.instanceOf(Error);
  expect((error as Error).message).to.match(pattern);
}
