/**
 * The usage ledger: what the gateway has been authorised to charge (licensees' cumulative receipts), what it served
 * (one row per metered call), and what it settled on chain (batches). One interface, two backends: embedded SQLite
 * (`node:sqlite`, a file in the data directory; one gateway) and PostgreSQL (`DATABASE_URL`; any number of replicas).
 *
 * Every decision that spends credits is taken inside one database transaction that holds the licence's row lock
 * (PostgreSQL `SELECT ... FOR UPDATE`, SQLite `BEGIN IMMEDIATE`), never in-process state, so replicas sharing one
 * database can never serve the same credit twice.
 *
 * Per licence the ledger keeps, in credits (the licence's units on chain):
 * - `cap`, `capDeadline`: the widest receipt accepted (a running total the licensee authorised, until when);
 * - `served`: running total charged for calls served (what the next settlement charges up to);
 * - `reserved`: held by calls in flight (their worst-case cost);
 * - `chainCredits`, `chainSettled`, `chainBlock`: credits left and running total settled, read together from the
 *   chain at `chainBlock` (credits 0 with `metered` false means unmetered);
 * - `settled`: the running total the ledger's own confirmed settlements reached.
 * A call of worst-case cost `c` may start only if `served + reserved + c <= cap` (never beyond what was signed) and,
 * for a metered licence, `(served + reserved + c) - chainSettled <= chainCredits` (never beyond the credits left
 * minus what was served but not yet settled).
 */

/** A licensee's receipt as the gateway keeps it (the EIP-712 `UsageReceipt` plus signer and signature). */
export interface StoredReceipt {
  licenceId: bigint;
  modelId: bigint;
  /** Lowercase 0x address that signed (the licence's owner when it was accepted). */
  signer: string;
  cap: bigint;
  /** Unix seconds. */
  deadline: number;
  /** 0x hex signature. */
  signature: string;
}

/** One licence's metering state (see the module comment). */
export interface LicenceState {
  licenceId: bigint;
  modelId: bigint;
  /** Lowercase 0x address of the owner the ledger last saw. */
  holder: string;
  metered: boolean;
  cap: bigint;
  capDeadline: number;
  served: bigint;
  reserved: bigint;
  settled: bigint;
  chainCredits: bigint;
  chainSettled: bigint;
  chainBlock: number;
}

/** The chain's view of a licence, read at one block. */
export interface ChainUsage {
  modelId: bigint;
  holder: string;
  metered: boolean;
  /** Credits left on chain. */
  credits: bigint;
  /** `UsageMeter.usageOf(licenceId).settled`. */
  settled: bigint;
  block: number;
}

/** Outcome of offering a receipt. */
export type ReceiptOutcome =
  | { accepted: true; state: LicenceState }
  /** `stale`: its cap is not above the one in force (replayed or superseded); `below-used`: its cap is under what was already served or reserved. */
  | { accepted: false; reason: "stale" | "below-used"; state: LicenceState };

/** A call about to be served. */
export interface ReserveRequest {
  /** Unique id of the call (a UUID). */
  callId: string;
  licenceId: bigint;
  /** Lowercase 0x address of the caller. */
  account: string;
  /** Route label: "openai:chat.completions", "oip:infer", ... */
  route: string;
  /** Model name as the client asked for it. */
  model: string;
  /** Worst-case cost in credits (0 allowed for unmetered). */
  maxCost: bigint;
  /** Unix seconds now (receipts whose deadline passed no longer authorise). */
  now: number;
  /** A receipt's deadline must be at least this many seconds ahead to authorise a new call (default 0). */
  deadlineMargin?: number;
}

/** Outcome of a reservation. */
export type ReserveOutcome =
  | { ok: true; state: LicenceState }
  /** `cap`: beyond what the licensee signed; `credits`: beyond the credits left on chain minus unsettled usage. */
  | { ok: false; reason: "cap" | "credits"; available: bigint; state: LicenceState };

/** One served (or failed) call, as `GET /usage` lists it. */
export interface UsageRecord {
  callId: string;
  licenceId: bigint;
  account: string;
  route: string;
  model: string;
  /** "reserved" while in flight, "served" once charged, "failed" when nothing was charged. */
  status: "reserved" | "served" | "failed";
  reservedCost: bigint;
  /** Credits charged (0 unless served). */
  cost: bigint;
  /** The licence's running total `served` right after this call was charged (0 unless served). */
  total: bigint;
  /** Token usage the upstream reported, when any. */
  promptTokens?: number;
  completionTokens?: number;
  /** Unix milliseconds. */
  startedAt: number;
  finishedAt?: number;
  /** The gateway's signature over the record (see metering/signed-usage.ts), once served. */
  gatewaySignature?: string;
}

/** What finished a call. */
export interface CommitRequest {
  callId: string;
  /** Credits to charge; the ledger charges `min(cost, reservedCost)`. */
  cost: bigint;
  promptTokens?: number;
  completionTokens?: number;
  /** Unix milliseconds. */
  finishedAt: number;
  /** Signs the final record; called inside the transaction with the record as it will be stored. */
  sign?: (record: UsageRecord) => Promise<string> | string;
}

/** One licence's line in a settlement batch. */
export interface BatchItem {
  licenceId: bigint;
  modelId: bigint;
  /** The receipt that authorises `total` (cap >= total, deadline not passed). */
  receipt: StoredReceipt;
  /** Running total to settle. */
  total: bigint;
}

/** A settlement batch. */
export interface Batch {
  id: number;
  status: "pending" | "sent" | "confirmed" | "failed";
  items: BatchItem[];
  txHash?: string;
  /** Block the transaction was confirmed in. */
  block?: number;
  attempts: number;
  error?: string;
  /** Unix milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** What a settlement run may batch now. */
export interface SettlementQuery {
  /** Unix seconds now; receipts must still be valid at `now + deadlineMargin`. */
  now: number;
  deadlineMargin: number;
  /** At most this many licences per batch. */
  maxLicences: number;
  /**
   * Licences to leave out of the batch: the settler's quarantine (gateway/settler/quarantine.ts), receipts that
   * made `settle` revert, so that one bad receipt never holds back every other licence's settlement.
   */
  exclude?: readonly bigint[];
}

/** Ledger figures for metrics and the settler's triggers. */
export interface LedgerStats {
  /** Credits served and not yet covered by a confirmed settlement, over all licences. */
  unsettledCredits: bigint;
  /** Oldest served call not yet settled (Unix ms), when any. */
  oldestUnsettledAt?: number;
  /** Batches pending or sent, not confirmed. */
  openBatches: number;
}

/** The ledger (see the module comment). All methods are safe to call concurrently from any replica. */
export interface Ledger {
  /** "sqlite" or "postgres". */
  readonly kind: "sqlite" | "postgres";
  /** Applies the versioned migrations not applied yet (idempotent; replicas may race). Returns the schema version. */
  migrate(): Promise<number>;
  /** The licence's state, or undefined when the ledger never saw it. */
  licence(licenceId: bigint): Promise<LicenceState | undefined>;
  /** Records what the chain says of a licence (creating its row when new). Never lowers `chainBlock`. */
  syncChain(licenceId: bigint, chain: ChainUsage): Promise<LicenceState>;
  /** Offers a verified receipt (the caller checked its signature, signer and deadline). */
  addReceipt(receipt: StoredReceipt, now: number): Promise<ReceiptOutcome>;
  /** Reserves a call's worst-case cost, or says why not (see the module comment). */
  reserve(request: ReserveRequest): Promise<ReserveOutcome>;
  /** Charges a reserved call `min(cost, reserved)` and returns its final record. Idempotent per callId. */
  commit(request: CommitRequest): Promise<UsageRecord>;
  /** Releases a reserved call: charges nothing. Idempotent; no effect on a call already served. */
  release(callId: string, finishedAt: number): Promise<void>;
  /**
   * Releases calls still reserved that started before `startedBefore` (Unix ms), charging nothing: what a replica
   * that died mid-call left behind. Returns how many. The settler calls it each pass with a bound far above any call.
   */
  releaseStale(startedBefore: number, finishedAt: number): Promise<number>;
  /** Served calls of `account` (newest first), optionally of one licence. */
  usage(account: string, options?: { licenceId?: bigint; limit?: number; before?: number }): Promise<UsageRecord[]>;

  /**
   * Takes or renews the settler lease for `holder` until `until` (Unix ms), if free, expired, or already held by
   * `holder`. Only the lease holder settles: one settler across replicas.
   */
  acquireLease(holder: string, now: number, until: number): Promise<boolean>;
  /** Gives up the lease if `holder` has it. */
  releaseLease(holder: string): Promise<void>;
  /**
   * Builds and stores a pending batch: every licence with `served > settled`, not in an open batch, with a receipt
   * that covers `served` until `now + deadlineMargin` (the receipt with the lowest such cap), and not in
   * `query.exclude`. Undefined when nothing is due.
   */
  createBatch(query: SettlementQuery): Promise<Batch | undefined>;
  /** Batches pending or sent (after a crash: resume these first). */
  openBatches(): Promise<Batch[]>;
  /** Records the batch's transaction hash (before waiting for it) and counts the attempt. */
  markSent(batchId: number, txHash: string): Promise<void>;
  /** The batch's transaction is confirmed: each licence's `settled` rises to its item's total (never lowers). */
  markConfirmed(batchId: number, block: number): Promise<void>;
  /** The batch will not be sent again (its licences become due again in a later batch). */
  markFailed(batchId: number, error: string): Promise<void>;
  /** Records a failed attempt (the batch stays open to retry). */
  markAttemptFailed(batchId: number, error: string): Promise<void>;
  stats(now: number): Promise<LedgerStats>;
  close(): Promise<void>;
}
