/**
 * The `Ledger` over a `Database` (sql.ts): the one implementation both backends share. sqlite.ts and postgres.ts
 * only open the database; every rule lives in spending.ts and settlement.ts.
 */
import type { Ledger } from "./ledger.ts";
import { migrate } from "./migrations.ts";
import * as settlement from "./settlement.ts";
import * as spending from "./spending.ts";
import type { Database } from "./sql.ts";

/** The ledger stored in `db` (not migrated: call `migrate()` first, as `openLedger` does). */
export function sqlLedger(db: Database): Ledger {
  return {
    kind: db.dialect.kind,
    migrate: () => migrate(db),
    licence: (licenceId) => spending.licenceState(db, licenceId),
    syncChain: (licenceId, chain) => spending.syncChain(db, licenceId, chain),
    addReceipt: (receipt, now) => spending.addReceipt(db, receipt, now),
    reserve: (request) => spending.reserve(db, request),
    commit: (request) => spending.commit(db, request),
    release: (callId, finishedAt) => spending.release(db, callId, finishedAt),
    releaseStale: (startedBefore, finishedAt) => spending.releaseStale(db, startedBefore, finishedAt),
    usage: (account, options) => spending.usage(db, account, options),
    acquireLease: (holder, now, until) => settlement.acquireLease(db, holder, now, until),
    releaseLease: (holder) => settlement.releaseLease(db, holder),
    createBatch: (query) => settlement.createBatch(db, query),
    openBatches: () => settlement.openBatches(db),
    markSent: (batchId, txHash) => settlement.markSent(db, batchId, txHash),
    markConfirmed: (batchId, block) => settlement.markConfirmed(db, batchId, block),
    markFailed: (batchId, error) => settlement.markFailed(db, batchId, error),
    markAttemptFailed: (batchId, error) => settlement.markAttemptFailed(db, batchId, error),
    stats: () => settlement.stats(db),
    close: () => db.close(),
  };
}
