/**
 * The ledger's spending rules (see ledger.ts), written once for both backends: chain state, receipts, reservations,
 * charges and releases. Each decision is one `Database.write` transaction that first locks the licence's row
 * (`SELECT ... FOR UPDATE` in PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes every other writer), so a call's
 * row only ever changes under its licence's lock and replicas never both spend the same credit.
 */
import type {
  ChainUsage,
  CommitRequest,
  LicenceState,
  ReceiptOutcome,
  ReserveOutcome,
  ReserveRequest,
  StoredReceipt,
  UsageRecord,
} from "./ledger.ts";
import {
  FINISH_CALL,
  finishedCallParams,
  type LicenceRow,
  readLicence,
  recordOf,
  saveLicence,
  stateOf,
} from "./rows.ts";
import { checkCredit, creditOf, type Database, type Dialect, intOf, maxCredit, minCredit, type Sql } from "./sql.ts";

/** Records the chain's view of a licence (see `Ledger.syncChain`). */
export async function syncChain(db: Database, licenceId: bigint, chain: ChainUsage): Promise<LicenceState> {
  checkCredit("chain credits", chain.credits);
  checkCredit("chain settled", chain.settled);
  const d = db.dialect;
  return db.write(async (sql) => {
    let licence = await readLicence(sql, d, licenceId, true);
    if (licence === undefined) {
      // ON CONFLICT: another replica may create the row between our read and this insert.
      await sql.run(
        `INSERT INTO licences (licence_id, model_id, holder, metered, cap, cap_deadline, served, reserved, settled,
           chain_credits, chain_settled, chain_block, unsettled_since)
         VALUES (?, ?, ?, 0, ?, 0, ?, ?, ?, ?, ?, -1, NULL) ON CONFLICT (licence_id) DO NOTHING`,
        [licenceId.toString(), chain.modelId.toString(), chain.holder.toLowerCase(), ...Array(6).fill(d.credit(0n))],
      );
      licence = (await readLicence(sql, d, licenceId, true))!;
    }
    if (chain.block < licence.chainBlock) return stateOf(licence);
    const holder = chain.holder.toLowerCase();
    if (holder !== licence.holder) {
      // A new holder is served only under what it signs itself: the previous holder's receipts stay for settling
      // what was served before, but authorise nothing more.
      const own = await sql.all(
        "SELECT cap, deadline FROM receipts WHERE licence_id = ? AND signer = ? ORDER BY cap DESC LIMIT 1",
        [licenceId.toString(), holder],
      );
      licence.cap = own.length === 0 ? 0n : creditOf(own[0].cap);
      licence.capDeadline = own.length === 0 ? 0 : intOf(own[0].deadline);
    }
    licence.holder = holder;
    licence.metered = chain.metered;
    licence.chainCredits = chain.credits;
    licence.chainSettled = chain.settled;
    licence.chainBlock = chain.block;
    await saveLicence(sql, d, licence);
    return stateOf(licence);
  });
}

/** Offers a verified receipt (see `Ledger.addReceipt` and `ReceiptOutcome`). */
export async function addReceipt(db: Database, receipt: StoredReceipt, now: number): Promise<ReceiptOutcome> {
  checkCredit("receipt cap", receipt.cap);
  const d = db.dialect;
  return db.write(async (sql) => {
    const licence = await lockedLicence(sql, d, receipt.licenceId);
    if (licence.modelId !== receipt.modelId) {
      throw new Error(
        `receipt for licence ${receipt.licenceId} names model ${receipt.modelId}; the licence is of model ${licence.modelId}`,
      );
    }
    const inForce = await liveCap(sql, d, licence, now);
    // Only the holder the ledger knows may authorise (a replica reading a lagging node may still see an earlier one).
    const notHolder = receipt.signer.toLowerCase() !== licence.holder;
    if (notHolder || receipt.deadline < now || (inForce !== undefined && receipt.cap <= inForce)) {
      return { accepted: false, reason: "stale", state: stateOf(licence) };
    }
    if (receipt.cap < licence.served + licence.reserved) {
      return { accepted: false, reason: "below-used", state: stateOf(licence) };
    }
    // A receipt of the same cap may be stored already, expired (it was not in force): the new one replaces it.
    await sql.run(
      `INSERT INTO receipts (licence_id, cap, model_id, signer, deadline, signature, accepted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (licence_id, cap) DO UPDATE SET model_id = excluded.model_id, signer = excluded.signer,
         deadline = excluded.deadline, signature = excluded.signature, accepted_at = excluded.accepted_at`,
      [
        receipt.licenceId.toString(),
        d.credit(receipt.cap),
        receipt.modelId.toString(),
        receipt.signer.toLowerCase(),
        receipt.deadline,
        receipt.signature,
        Date.now(),
      ],
    );
    licence.cap = receipt.cap;
    licence.capDeadline = receipt.deadline;
    await saveLicence(sql, d, licence);
    return { accepted: true, state: stateOf(licence) };
  });
}

/**
 * Reserves a call's worst-case cost (see `Ledger.reserve`). When refused, `reason` names the tighter limit (credits
 * when both are as tight) and `available` is the most a call could reserve now under both.
 */
export async function reserve(db: Database, request: ReserveRequest): Promise<ReserveOutcome> {
  checkCredit(`call ${request.callId} maxCost`, request.maxCost);
  const d = db.dialect;
  return db.write(async (sql) => {
    const licence = await lockedLicence(sql, d, request.licenceId);
    // A caller that no longer holds the licence (as the ledger last synced it) has nothing authorised on it.
    const holder = request.account.toLowerCase() === licence.holder;
    const cap = holder ? ((await liveCap(sql, d, licence, request.now + (request.deadlineMargin ?? 0))) ?? 0n) : 0n;
    const used = licence.served + licence.reserved;
    const wanted = used + request.maxCost;
    const capRoom = maxCredit(cap - used, 0n);
    const creditRoom = licence.metered ? maxCredit(licence.chainCredits + licence.chainSettled - used, 0n) : undefined;
    const capOk = wanted <= cap;
    const creditsOk = !licence.metered || wanted - licence.chainSettled <= licence.chainCredits;
    if (!capOk || !creditsOk) {
      const available = creditRoom === undefined ? capRoom : minCredit(capRoom, creditRoom);
      const reason = !creditsOk && (capOk || creditRoom! <= capRoom) ? "credits" : "cap";
      return { ok: false, reason, available, state: stateOf(licence) };
    }
    const existing = await sql.all("SELECT call_id FROM calls WHERE call_id = ?", [request.callId]);
    if (existing.length > 0) throw new Error(`call ${request.callId} is already in the ledger; expected a new call id`);
    await sql.run(
      `INSERT INTO calls (call_id, licence_id, account, route, model, status, reserved_cost, cost, total, started_at)
       VALUES (?, ?, ?, ?, ?, 'reserved', ?, ?, ?, ?)`,
      [
        request.callId,
        request.licenceId.toString(),
        request.account.toLowerCase(),
        request.route,
        request.model,
        d.credit(request.maxCost),
        d.credit(0n),
        d.credit(0n),
        Date.now(),
      ],
    );
    licence.reserved += request.maxCost;
    await saveLicence(sql, d, licence);
    return { ok: true, state: stateOf(licence) };
  });
}

/** Charges a reserved call (see `Ledger.commit`); a call already served returns its stored record unchanged. */
export async function commit(db: Database, request: CommitRequest): Promise<UsageRecord> {
  checkCredit(`call ${request.callId} cost`, request.cost);
  const d = db.dialect;
  return db.write(async (sql) => {
    const { licence, call } = await lockedCall(sql, d, request.callId);
    if (call === undefined || licence === undefined) {
      throw new Error(`call ${request.callId} is not in the ledger; expected a reserved call`);
    }
    if (call.status === "served") return call;
    if (call.status === "failed") throw new Error(`call ${request.callId} was released; it cannot be charged`);
    const charged = minCredit(request.cost, call.reservedCost);
    if (charged > 0n && licence.served <= licence.settled) licence.unsettledSince = request.finishedAt;
    licence.reserved -= call.reservedCost;
    licence.served += charged;
    const record: UsageRecord = { ...call, status: "served", cost: charged, total: licence.served };
    if (request.promptTokens !== undefined) record.promptTokens = request.promptTokens;
    if (request.completionTokens !== undefined) record.completionTokens = request.completionTokens;
    record.finishedAt = request.finishedAt;
    if (request.sign !== undefined) record.gatewaySignature = await request.sign({ ...record });
    await sql.run(FINISH_CALL, finishedCallParams(d, record));
    await saveLicence(sql, d, licence);
    return record;
  });
}

/** Releases a reserved call, charging nothing (see `Ledger.release`); nothing happens to a call not reserved. */
export async function release(db: Database, callId: string, finishedAt: number): Promise<void> {
  const d = db.dialect;
  await db.write(async (sql) => {
    const { licence, call } = await lockedCall(sql, d, callId);
    if (call === undefined || licence === undefined || call.status !== "reserved") return;
    licence.reserved -= call.reservedCost;
    await sql.run(FINISH_CALL, finishedCallParams(d, { ...call, status: "failed", finishedAt }));
    await saveLicence(sql, d, licence);
  });
}

/**
 * Releases every call still reserved that started before `startedBefore` (Unix ms): the reservations of a replica
 * that died mid-call, which would otherwise hold their licences' headroom forever. Returns how many were released.
 */
export async function releaseStale(db: Database, startedBefore: number, finishedAt: number): Promise<number> {
  const rows = await db.read((sql) =>
    sql.all("SELECT call_id FROM calls WHERE status = 'reserved' AND started_at < ?", [startedBefore]),
  );
  for (const row of rows) await release(db, String(row.call_id), finishedAt);
  return rows.length;
}

/** The licence's state, undefined when the ledger never saw it. */
export async function licenceState(db: Database, licenceId: bigint): Promise<LicenceState | undefined> {
  const licence = await db.read((sql) => readLicence(sql, db.dialect, licenceId, false));
  return licence && stateOf(licence);
}

/**
 * Served calls of `account`, newest charge first (by `finishedAt`, then call id); `before` (Unix ms) keeps those
 * charged earlier; `limit` defaults to 100.
 */
export async function usage(
  db: Database,
  account: string,
  options: { licenceId?: bigint; limit?: number; before?: number } = {},
): Promise<UsageRecord[]> {
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`usage limit: expected a whole number >= 1, got ${limit}`);
  const where = ["account = ?", "status = 'served'"];
  const params: (string | number)[] = [account.toLowerCase()];
  if (options.licenceId !== undefined) {
    where.push("licence_id = ?");
    params.push(options.licenceId.toString());
  }
  if (options.before !== undefined) {
    where.push("finished_at < ?");
    params.push(options.before);
  }
  const rows = await db.read((sql) =>
    sql.all(`SELECT * FROM calls WHERE ${where.join(" AND ")} ORDER BY finished_at DESC, call_id DESC LIMIT ?`, [
      ...params,
      limit,
    ]),
  );
  return rows.map(recordOf);
}

/** The licence, locked; throws when the ledger never saw it (the chain's state comes first: `syncChain`). */
async function lockedLicence(sql: Sql, d: Dialect, licenceId: bigint): Promise<LicenceRow> {
  const licence = await readLicence(sql, d, licenceId, true);
  if (licence === undefined) {
    throw new Error(`licence ${licenceId} is not in the ledger; record its chain state first (syncChain)`);
  }
  return licence;
}

/** The call and its licence, the licence locked first (every change to a call happens under its licence's lock). */
async function lockedCall(sql: Sql, d: Dialect, callId: string): Promise<{ licence?: LicenceRow; call?: UsageRecord }> {
  const found = await sql.all("SELECT licence_id FROM calls WHERE call_id = ?", [callId]);
  if (found.length === 0) return {};
  const licence = await lockedLicence(sql, d, BigInt(String(found[0].licence_id)));
  const rows = await sql.all("SELECT * FROM calls WHERE call_id = ?", [callId]);
  return { licence, call: recordOf(rows[0]) };
}

/**
 * The cap of the widest receipt of the licence's current holder still valid at `at` (Unix s), undefined when none
 * is. The licence's own cap is that receipt when its deadline holds (a receipt is only accepted above the one in
 * force); otherwise an older receipt with a lower cap and a later deadline may still be. A previous holder's receipts
 * authorise nothing more (they stay for settlement).
 */
async function liveCap(sql: Sql, d: Dialect, licence: LicenceRow, at: number): Promise<bigint | undefined> {
  if (licence.capDeadline >= at && licence.capDeadline > 0) return licence.cap;
  const rows = await sql.all(
    "SELECT cap FROM receipts WHERE licence_id = ? AND signer = ? AND deadline >= ? ORDER BY cap DESC LIMIT 1",
    [licence.licenceId.toString(), licence.holder, at],
  );
  return rows.length === 0 ? undefined : creditOf(rows[0].cap);
}
