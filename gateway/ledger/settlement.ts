/**
 * The ledger's settlement side (see ledger.ts), written once for both backends: the settler lease, batches from
 * creation to confirmation, and the figures the settler's triggers and metrics read. Batch states:
 * pending -> sent (markSent) -> confirmed (markConfirmed) or failed (markFailed); a failed attempt
 * (markAttemptFailed) puts a batch back to pending, still open.
 */
import type { Batch, BatchItem, LedgerStats, SettlementQuery } from "./ledger.ts";
import { batchOf, readLicence, receiptOf, saveLicence } from "./rows.ts";
import { creditOf, type Database, intOf, maxCredit, type Row, type Sql } from "./sql.ts";

/** Advisory lock key (PostgreSQL) held while choosing a batch's licences, so two batches never share a licence. */
export const BATCH_LOCK = 7_157_002;

const OPEN = "('pending', 'sent')";

/** Takes or renews the settler lease (see `Ledger.acquireLease`); the lease is free once `now >= held_until`. */
export async function acquireLease(db: Database, holder: string, now: number, until: number): Promise<boolean> {
  if (holder === "") throw new RangeError("lease holder: expected a non-empty name");
  return db.write(async (sql) => {
    const rows = await sql.all(`SELECT holder, held_until FROM leases WHERE name = 'settler'${db.dialect.forUpdate}`);
    const current = rows[0];
    if (current.holder !== holder && current.holder !== "" && now < intOf(current.held_until)) return false;
    await sql.run("UPDATE leases SET holder = ?, held_until = ? WHERE name = 'settler'", [holder, until]);
    return true;
  });
}

/** Gives up the settler lease if `holder` has it. */
export async function releaseLease(db: Database, holder: string): Promise<void> {
  await db.write((sql) =>
    sql.run("UPDATE leases SET holder = '', held_until = 0 WHERE name = 'settler' AND holder = ?", [holder]),
  );
}

/**
 * Builds and stores a pending batch (see `Ledger.createBatch`): due licences not in `query.exclude`, those whose
 * oldest unsettled call is oldest first.
 */
export async function createBatch(db: Database, query: SettlementQuery): Promise<Batch | undefined> {
  if (!Number.isSafeInteger(query.maxLicences) || query.maxLicences < 1) {
    throw new RangeError(`maxLicences: expected a whole number >= 1, got ${query.maxLicences}`);
  }
  const d = db.dialect;
  const excluded = new Set((query.exclude ?? []).map((id) => id.toString()));
  return db.write(async (sql) => {
    const lock = d.lock(BATCH_LOCK);
    if (lock !== undefined) await sql.all(lock);
    const due = await sql.all(
      `SELECT licence_id, model_id, served, settled FROM licences l WHERE served > settled AND NOT EXISTS (
         SELECT 1 FROM batch_items i JOIN batches b ON b.id = i.batch_id
         WHERE i.licence_id = l.licence_id AND b.status IN ${OPEN})
       ORDER BY unsettled_since, licence_id`,
    );
    const items: BatchItem[] = [];
    for (const licence of due) {
      if (items.length === query.maxLicences) break;
      if (excluded.has(String(licence.licence_id))) continue;
      // The narrowest receipt that covers what was served, valid long enough for the batch to land; when none covers
      // it all (the covering one ran too close to its deadline), the widest valid one settles what it can, and the
      // rest stays due for a later receipt.
      const served = creditOf(licence.served);
      const validUntil = query.now + query.deadlineMargin;
      let receipts = await sql.all(
        "SELECT * FROM receipts WHERE licence_id = ? AND cap >= ? AND deadline >= ? ORDER BY cap LIMIT 1",
        [String(licence.licence_id), d.credit(served), validUntil],
      );
      if (receipts.length === 0) {
        receipts = await sql.all(
          "SELECT * FROM receipts WHERE licence_id = ? AND cap > ? AND deadline >= ? ORDER BY cap DESC LIMIT 1",
          [String(licence.licence_id), d.credit(creditOf(licence.settled)), validUntil],
        );
      }
      if (receipts.length === 0) continue;
      const receipt = receiptOf(receipts[0]);
      items.push({
        licenceId: BigInt(String(licence.licence_id)),
        modelId: BigInt(String(licence.model_id)),
        receipt,
        total: receipt.cap < served ? receipt.cap : served,
      });
    }
    if (items.length === 0) return undefined;
    const now = Date.now();
    const [row] = await sql.all(
      "INSERT INTO batches (status, attempts, created_at, updated_at) VALUES ('pending', 0, ?, ?) RETURNING *",
      [now, now],
    );
    const id = intOf(row.id);
    for (const [index, item] of items.entries()) {
      await sql.run(
        `INSERT INTO batch_items (batch_id, item_index, licence_id, model_id, total, signer, cap, deadline, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          index,
          item.licenceId.toString(),
          item.modelId.toString(),
          d.credit(item.total),
          item.receipt.signer,
          d.credit(item.receipt.cap),
          item.receipt.deadline,
          item.receipt.signature,
        ],
      );
    }
    return { ...batchOf(row, []), items };
  });
}

/** Batches pending or sent, oldest first. */
export async function openBatches(db: Database): Promise<Batch[]> {
  return db.read(async (sql) => {
    const batches = await sql.all(`SELECT * FROM batches WHERE status IN ${OPEN} ORDER BY id`);
    const items = await sql.all(
      `SELECT i.* FROM batch_items i JOIN batches b ON b.id = i.batch_id WHERE b.status IN ${OPEN}
       ORDER BY i.batch_id, i.item_index`,
    );
    return batches.map((b) =>
      batchOf(
        b,
        items.filter((i) => intOf(i.batch_id) === intOf(b.id)),
      ),
    );
  });
}

/** Records a sent transaction: status sent, its hash, one more attempt. Only an open batch can be sent. */
export async function markSent(db: Database, batchId: number, txHash: string): Promise<void> {
  await db.write(async (sql) => {
    await lockedBatch(sql, db, batchId, ["pending", "sent"], "sent");
    await sql.run(
      "UPDATE batches SET status = 'sent', tx_hash = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
      [txHash, Date.now(), batchId],
    );
  });
}

/** Confirms a batch: each item's licence `settled` rises to the item's total (idempotent; never lowers it). */
export async function markConfirmed(db: Database, batchId: number, block: number): Promise<void> {
  const d = db.dialect;
  await db.write(async (sql) => {
    const batch = await lockedBatch(sql, db, batchId, ["pending", "sent", "confirmed", "failed"], "confirmed");
    if (batch.status === "confirmed") return;
    const items = await sql.all("SELECT licence_id, total FROM batch_items WHERE batch_id = ? ORDER BY licence_id", [
      batchId,
    ]);
    for (const item of items) {
      const licence = (await readLicence(sql, d, BigInt(String(item.licence_id)), true))!;
      const settled = maxCredit(licence.settled, creditOf(item.total));
      if (settled === licence.settled) continue;
      licence.settled = settled;
      licence.unsettledSince =
        settled >= licence.served ? null : await oldestServedAbove(sql, db, licence.licenceId, settled);
      await saveLicence(sql, d, licence);
    }
    await sql.run("UPDATE batches SET status = 'confirmed', confirmed_block = ?, updated_at = ? WHERE id = ?", [
      block,
      Date.now(),
      batchId,
    ]);
  });
}

/** Closes a batch for good (its licences become due again). A confirmed batch cannot fail. */
export async function markFailed(db: Database, batchId: number, error: string): Promise<void> {
  await db.write(async (sql) => {
    await lockedBatch(sql, db, batchId, ["pending", "sent", "failed"], "failed");
    await sql.run("UPDATE batches SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ?", [
      error,
      Date.now(),
      batchId,
    ]);
  });
}

/**
 * Records a failed attempt: the batch goes back to pending (no transaction of it is in flight) with `error`, keeping
 * its last transaction hash. An attempt that failed before any transaction was sent (still pending) is counted here;
 * one that was sent was counted by markSent.
 */
export async function markAttemptFailed(db: Database, batchId: number, error: string): Promise<void> {
  await db.write(async (sql) => {
    const batch = await lockedBatch(sql, db, batchId, ["pending", "sent"], "retried");
    const attempts = batch.attempts + (batch.status === "pending" ? 1 : 0);
    await sql.run("UPDATE batches SET status = 'pending', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?", [
      attempts,
      error,
      Date.now(),
      batchId,
    ]);
  });
}

/** Unsettled credits over all licences, the oldest unsettled call, and the open batches. */
export async function stats(db: Database): Promise<LedgerStats> {
  return db.read(async (sql) => {
    const licences = await sql.all("SELECT served, settled, unsettled_since FROM licences WHERE served > settled");
    const [open] = await sql.all(`SELECT COUNT(*) AS n FROM batches WHERE status IN ${OPEN}`);
    const result: LedgerStats = { unsettledCredits: 0n, openBatches: intOf(open.n) };
    for (const l of licences) {
      result.unsettledCredits += creditOf(l.served) - creditOf(l.settled);
      const since = l.unsettled_since === null ? undefined : intOf(l.unsettled_since);
      if (since !== undefined && (result.oldestUnsettledAt === undefined || since < result.oldestUnsettledAt)) {
        result.oldestUnsettledAt = since;
      }
    }
    return result;
  });
}

/** The batch, locked; throws unless it exists and its status is one of `allowed` (`action` names what was tried). */
async function lockedBatch(
  sql: Sql,
  db: Database,
  batchId: number,
  allowed: Batch["status"][],
  action: string,
): Promise<{ status: Batch["status"]; attempts: number }> {
  const rows: Row[] = await sql.all(`SELECT status, attempts FROM batches WHERE id = ?${db.dialect.forUpdate}`, [
    batchId,
  ]);
  if (rows.length === 0) throw new Error(`batch ${batchId} is not in the ledger`);
  const status = String(rows[0].status) as Batch["status"];
  if (!allowed.includes(status)) {
    throw new Error(`batch ${batchId} is ${status}; only a batch ${allowed.join(" or ")} can be marked ${action}`);
  }
  return { status, attempts: intOf(rows[0].attempts) };
}

/** When the oldest served call of the licence whose running total is above `settled` was charged (Unix ms). */
async function oldestServedAbove(sql: Sql, db: Database, licenceId: bigint, settled: bigint): Promise<number | null> {
  const [row] = await sql.all(
    "SELECT MIN(finished_at) AS since FROM calls WHERE licence_id = ? AND status = 'served' AND total > ?",
    [licenceId.toString(), db.dialect.credit(settled)],
  );
  return row.since === null || row.since === undefined ? null : intOf(row.since);
}
