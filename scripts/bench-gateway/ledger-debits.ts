/**
 * Ledger debits per second for the metered-inference rows of `npm run bench:gateway`: reserve + commit cycles (what
 * every metered call costs the ledger, without the chain reads, the HTTP work and the gateway's signature over the
 * record) straight on the `Ledger` API, in this process, on SQLite (a file in a temporary directory) and on
 * PostgreSQL (a throwaway cluster on loopback, test/helpers/postgres.ts, stopped by the bench). Two shapes: callers
 * spread over as many licences (each decision locks its own licence row) and every caller on one licence (they queue
 * for its row lock).
 */
import { randomUUID } from "node:crypto";

import type { Ledger } from "../../gateway/ledger/ledger.js";
import { reported, type InferenceRow } from "./rows.js";

/** Callers in flight at once. */
export const LEDGER_CALLERS = 16;
/** At most this many cycles per run... */
const MAX_CYCLES = 4000;
/** ...and no longer than this (ms). */
const MAX_MS = 5000;
const BIG = 10n ** 15n;

/**
 * Debits per second on `ledger` with `LEDGER_CALLERS` callers over `licences` licences (ids from `firstId`), after a
 * warm-up: each cycle reserves 1 credit and commits it.
 */
export async function debitsPerSecond(ledger: Ledger, licences: number, firstId: bigint): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const ids = Array.from({ length: licences }, (_, i) => firstId + BigInt(i));
  const holder = (id: bigint) => `0x${id.toString(16).padStart(40, "0")}`;
  for (const licenceId of ids) {
    await ledger.syncChain(licenceId, {
      modelId: 1n,
      holder: holder(licenceId),
      metered: true,
      credits: BIG,
      settled: 0n,
      block: 1,
    });
    const receipt = {
      licenceId,
      modelId: 1n,
      signer: holder(licenceId),
      cap: BIG,
      deadline: now + 86_400,
      signature: `0x${"11".repeat(65)}`,
    };
    const outcome = await ledger.addReceipt(receipt, now);
    if (!outcome.accepted) throw new Error(`ledger refused the bench's receipt for licence ${licenceId}`);
  }
  const cycle = async (k: number) => {
    const licenceId = ids[k % ids.length];
    const callId = randomUUID();
    const reserved = await ledger.reserve({
      callId,
      licenceId,
      account: holder(licenceId),
      route: "oip:infer",
      model: "bench",
      maxCost: 1n,
      now,
    });
    if (!reserved.ok) throw new Error(`ledger refused a 1-credit call on licence ${licenceId}: ${reserved.reason}`);
    await ledger.commit({ callId, cost: 1n, finishedAt: Date.now() });
  };
  for (let k = 0; k < LEDGER_CALLERS * 5; k++) await cycle(k);

  let started = 0;
  let done = 0;
  const begin = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - begin) / 1e6;
  await Promise.all(
    Array.from({ length: LEDGER_CALLERS }, async (_, caller) => {
      while (started < MAX_CYCLES && elapsedMs() < MAX_MS) {
        started++;
        await cycle(caller);
        done++;
      }
    }),
  );
  return done / (elapsedMs() / 1000);
}

/**
 * The two rows of one backend (`label`: "SQLite" or "PostgreSQL"), measured on `ledger`; licence ids from `firstId`
 * (each run uses its own).
 */
export async function ledgerRows(ledger: Ledger, label: string, firstId: bigint): Promise<InferenceRow[]> {
  const spread = await debitsPerSecond(ledger, LEDGER_CALLERS, firstId);
  const hot = await debitsPerSecond(ledger, 1, firstId + 1000n);
  return [
    reported(
      `ledger debits/s (reserve + commit), ${label}, ${LEDGER_CALLERS} callers on ${LEDGER_CALLERS} licences`,
      spread,
      "reported",
      label === "SQLite"
        ? `the Ledger API in the bench's process, no chain reads, no HTTP, no signature over the record; at most ${MAX_CYCLES} cycles or ${MAX_MS / 1000} s per run`
        : undefined,
    ),
    reported(`ledger debits/s (reserve + commit), ${label}, ${LEDGER_CALLERS} callers on one licence`, hot),
  ];
}
