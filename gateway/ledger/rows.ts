/**
 * Rows of the ledger's tables (migrations.ts) as the types of ledger.ts, and back.
 */
import type { Batch, BatchItem, LicenceState, StoredReceipt, UsageRecord } from "./ledger.ts";
import {
  creditOf,
  type Dialect,
  intOf,
  optionalIntOf,
  optionalTextOf,
  type Row,
  type Sql,
  type SqlValue,
} from "./sql.ts";

/** A licence row: its public state plus when its oldest unsettled call was served (Unix ms, null when none). */
export interface LicenceRow extends LicenceState {
  unsettledSince: number | null;
}

/** The licence row of `row`. */
export function licenceOf(row: Row): LicenceRow {
  return {
    licenceId: BigInt(String(row.licence_id)),
    modelId: BigInt(String(row.model_id)),
    holder: String(row.holder),
    metered: intOf(row.metered) === 1,
    cap: creditOf(row.cap),
    capDeadline: intOf(row.cap_deadline),
    served: creditOf(row.served),
    reserved: creditOf(row.reserved),
    settled: creditOf(row.settled),
    chainCredits: creditOf(row.chain_credits),
    chainSettled: creditOf(row.chain_settled),
    chainBlock: intOf(row.chain_block),
    unsettledSince: optionalIntOf(row.unsettled_since) ?? null,
  };
}

/** What callers see of a licence row. */
export function stateOf(licence: LicenceRow): LicenceState {
  const state: LicenceState & { unsettledSince?: number | null } = { ...licence };
  delete state.unsettledSince;
  return state;
}

/** The licence `licenceId`, locked for this transaction when `lock` (see `Dialect.forUpdate`); undefined if none. */
export async function readLicence(
  sql: Sql,
  d: Dialect,
  licenceId: bigint,
  lock: boolean,
): Promise<LicenceRow | undefined> {
  const rows = await sql.all(`SELECT * FROM licences WHERE licence_id = ?${lock ? d.forUpdate : ""}`, [
    licenceId.toString(),
  ]);
  return rows.length === 0 ? undefined : licenceOf(rows[0]);
}

/** Writes every mutable field of `licence` back. */
export async function saveLicence(sql: Sql, d: Dialect, licence: LicenceRow): Promise<void> {
  await sql.run(
    `UPDATE licences SET holder = ?, metered = ?, cap = ?, cap_deadline = ?, served = ?, reserved = ?, settled = ?,
       chain_credits = ?, chain_settled = ?, chain_block = ?, unsettled_since = ?
     WHERE licence_id = ?`,
    [
      licence.holder,
      licence.metered ? 1 : 0,
      d.credit(licence.cap),
      licence.capDeadline,
      d.credit(licence.served),
      d.credit(licence.reserved),
      d.credit(licence.settled),
      d.credit(licence.chainCredits),
      d.credit(licence.chainSettled),
      licence.chainBlock,
      licence.unsettledSince,
      licence.licenceId.toString(),
    ],
  );
}

/** The receipt of a `receipts` or `batch_items` row. */
export function receiptOf(row: Row): StoredReceipt {
  return {
    licenceId: BigInt(String(row.licence_id)),
    modelId: BigInt(String(row.model_id)),
    signer: String(row.signer),
    cap: creditOf(row.cap),
    deadline: intOf(row.deadline),
    signature: String(row.signature),
  };
}

/** The usage record of a `calls` row. */
export function recordOf(row: Row): UsageRecord {
  const record: UsageRecord = {
    callId: String(row.call_id),
    licenceId: BigInt(String(row.licence_id)),
    account: String(row.account),
    route: String(row.route),
    model: String(row.model),
    status: String(row.status) as UsageRecord["status"],
    reservedCost: creditOf(row.reserved_cost),
    cost: creditOf(row.cost),
    total: creditOf(row.total),
    startedAt: intOf(row.started_at),
  };
  const promptTokens = optionalIntOf(row.prompt_tokens);
  const completionTokens = optionalIntOf(row.completion_tokens);
  const finishedAt = optionalIntOf(row.finished_at);
  const gatewaySignature = optionalTextOf(row.gateway_signature);
  if (promptTokens !== undefined) record.promptTokens = promptTokens;
  if (completionTokens !== undefined) record.completionTokens = completionTokens;
  if (finishedAt !== undefined) record.finishedAt = finishedAt;
  if (gatewaySignature !== undefined) record.gatewaySignature = gatewaySignature;
  return record;
}

/** The `calls` columns that change when a call finishes, with their values for `record`, then its call id. */
export function finishedCallParams(d: Dialect, record: UsageRecord): SqlValue[] {
  return [
    record.status,
    d.credit(record.cost),
    d.credit(record.total),
    record.promptTokens ?? null,
    record.completionTokens ?? null,
    record.finishedAt ?? null,
    record.gatewaySignature ?? null,
    record.callId,
  ];
}

/** Statement that finishes a call, taking `finishedCallParams`. */
export const FINISH_CALL = `UPDATE calls SET status = ?, cost = ?, total = ?, prompt_tokens = ?, completion_tokens = ?,
  finished_at = ?, gateway_signature = ? WHERE call_id = ?`;

/** The batch of a `batches` row with its items (`batch_items` rows, in order). */
export function batchOf(row: Row, itemRows: Row[]): Batch {
  const items: BatchItem[] = itemRows.map((item) => ({
    licenceId: BigInt(String(item.licence_id)),
    modelId: BigInt(String(item.model_id)),
    receipt: receiptOf(item),
    total: creditOf(item.total),
  }));
  const batch: Batch = {
    id: intOf(row.id),
    status: String(row.status) as Batch["status"],
    items,
    attempts: intOf(row.attempts),
    createdAt: intOf(row.created_at),
    updatedAt: intOf(row.updated_at),
  };
  const txHash = optionalTextOf(row.tx_hash);
  const block = optionalIntOf(row.confirmed_block);
  const error = optionalTextOf(row.last_error);
  if (txHash !== undefined) batch.txHash = txHash;
  if (block !== undefined) batch.block = block;
  if (error !== undefined) batch.error = error;
  return batch;
}
