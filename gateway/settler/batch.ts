/**
 * Sending one settlement batch and seeing it confirmed, or picking one up again after a crash. The ledger records
 * the transaction hash (`markSent`) before anything waits on it, and only a transaction mined, successful and
 * `confirmations` deep marks the batch confirmed. `settle` takes cumulative totals, so sending the same items again
 * charges nothing twice: this is what makes every recovery below a plain resend.
 * - A batch with a hash: the transaction is looked up. Mined and successful: wait for the confirmations. Reverted:
 *   the batch failed (its licences are due again, and the next simulation finds the culprit). Pending: wait. Unknown
 *   to the node twice in a row (dropped, or never broadcast because the process died in between): send again.
 * - A batch without a hash (the process died before it was sent, or between broadcast and `markSent`): send it.
 * Every send is simulated first (preflight.ts); receipts that would revert are quarantined and the batch is marked
 * failed, so its other licences go into the next batch without them.
 */
import type { Provider, TransactionReceipt } from "ethers";

import type { UsageMeter } from "../../types/ethers-contracts/index.ts";
import type { Batch, Ledger } from "../ledger/ledger.ts";
import type { SettlerMetrics } from "./metrics.ts";
import { type Culprit, preflight, receiptsOf } from "./preflight.ts";
import { describeError, isRevert, type RetryPolicy, SettlerStopped, sleep } from "./retry.ts";

/** What one batch came to in a settlement pass. */
export interface BatchOutcome {
  batchId: number;
  /** Licences (receipts) in the batch. */
  licences: number;
  /**
   * confirmed: settled on chain and in the ledger; failed: will not be sent again (its licences are due again,
   * quarantined ones left out); open: left for a later pass (not confirmed yet, chain unreachable, lease lost).
   */
  status: "confirmed" | "failed" | "open";
  /** The last transaction sent for it. */
  txHash?: string;
  block?: number;
  /** Gas used by the confirmed transaction. */
  gasUsed?: bigint;
  /** Why it failed or is still open. */
  error?: string;
  /** Licences quarantined because their receipt made the simulation revert. */
  quarantined?: bigint[];
  /** True when a simulated revert could not be pinned on any receipt. */
  unattributed?: boolean;
}

/** What sending needs from the settler. */
export interface BatchContext {
  ledger: Ledger;
  /** Connected to the operator's signer. */
  meter: UsageMeter;
  provider: Provider;
  confirmations: number;
  /** Between two looks at a transaction, in ms. */
  pollMs: number;
  /** Looks at a transaction before leaving it for a later pass. */
  maxPolls: number;
  retry: RetryPolicy;
  signal: AbortSignal;
  log: (line: string) => void;
  metrics: SettlerMetrics;
  /** Runs a chain call with retries (`withRetry` with the settler's policy, signal and metrics). */
  retrying: <T>(step: string, call: () => Promise<T>) => Promise<T>;
  /** Renews the settler lease; false when another replica took it. */
  keepLease: () => Promise<boolean>;
  /** Leaves these licences out of the next batches. */
  quarantine: (culprits: Culprit[]) => Promise<void>;
}

/** Picks up a batch a previous pass (or process) left open. */
export async function resumeBatch(ctx: BatchContext, batch: Batch): Promise<BatchOutcome> {
  return guarded(ctx, batch, async () => {
    if (batch.txHash) {
      ctx.log(`batch ${batch.id}: resuming, looking up ${batch.txHash}`);
      const seen = await confirm(ctx, batch, batch.txHash);
      if (seen !== "dropped") return seen;
      ctx.log(`batch ${batch.id}: transaction ${batch.txHash} is unknown to the chain, sending the same items again`);
    } else {
      ctx.log(`batch ${batch.id}: resuming, never sent`);
    }
    return send(ctx, batch);
  });
}

/** Simulates, sends and confirms a new (pending) batch. */
export async function settleBatch(ctx: BatchContext, batch: Batch): Promise<BatchOutcome> {
  return guarded(ctx, batch, () => send(ctx, batch));
}

/**
 * Runs `work`; an error that is not a stop records a failed attempt on the batch (it stays open for a later pass)
 * and becomes an `open` outcome. A stop is rethrown: the batch is left as it is, and resumed next time.
 */
async function guarded(ctx: BatchContext, batch: Batch, work: () => Promise<BatchOutcome>): Promise<BatchOutcome> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SettlerStopped) throw error;
    const text = describeError(error);
    ctx.log(`batch ${batch.id}: attempt failed, left open for the next pass: ${text}`);
    await ctx.ledger.markAttemptFailed(batch.id, text);
    return outcome(batch, "open", { error: text });
  }
}

function outcome(batch: Batch, status: BatchOutcome["status"], rest: Partial<BatchOutcome> = {}): BatchOutcome {
  return { batchId: batch.id, licences: batch.items.length, status, ...rest };
}

/** Simulate, send, record the hash, confirm; again while the transaction gets dropped (at most `maxAttempts` sends). */
async function send(ctx: BatchContext, batch: Batch): Promise<BatchOutcome> {
  let lastHash: string | undefined;
  for (let sends = 0; sends < ctx.retry.maxAttempts; sends++) {
    const check = await ctx.retrying("simulate", () => preflight(ctx.meter, batch));
    if (!check.ok) {
      const error = `simulated settle reverts: ${check.reason}`;
      await ctx.ledger.markFailed(batch.id, error);
      ctx.metrics.batches.inc({ result: "failed" });
      await ctx.quarantine(check.culprits);
      const quarantined = check.culprits.map((c) => c.item.licenceId);
      ctx.log(`batch ${batch.id}: failed, rebuilt without ${quarantined.join(", ") || "(no receipt named)"}: ${error}`);
      return outcome(batch, "failed", { error, quarantined, unattributed: quarantined.length === 0 });
    }
    if (!(await ctx.keepLease())) return outcome(batch, "open", { error: "the settler lease went to another replica" });
    const receipts = receiptsOf(check); // as simulated: a revoked signature settles on the kept authorisation
    let hash: string;
    try {
      hash = (await ctx.retrying("send", () => ctx.meter.settle(receipts))).hash;
    } catch (error) {
      if (!isRevert(error)) throw error;
      ctx.log(`batch ${batch.id}: gas estimation reverted after a clean simulation, simulating again`);
      continue; // the chain moved between simulation and sending: the next simulation names the culprit
    }
    await ctx.ledger.markSent(batch.id, hash);
    lastHash = hash;
    ctx.metrics.batches.inc({ result: "sent" });
    ctx.metrics.lastBatchLicences.set(batch.items.length);
    ctx.log(`batch ${batch.id}: sent ${batch.items.length} receipt(s) in ${hash}`);
    const seen = await confirm(ctx, batch, hash);
    if (seen !== "dropped") return seen;
    ctx.log(`batch ${batch.id}: transaction ${hash} was dropped, sending again`);
  }
  const error = `not settled after ${ctx.retry.maxAttempts} sends (transactions dropped, or gas estimation reverting)`;
  await ctx.ledger.markAttemptFailed(batch.id, error);
  return outcome(batch, "open", { error, txHash: lastHash });
}

/**
 * Watches `hash` until it is mined and `confirmations` deep (marks the batch confirmed), reverted (marks it
 * failed), unknown twice in a row ("dropped"), or `maxPolls` looks went by (left open).
 */
async function confirm(ctx: BatchContext, batch: Batch, hash: string): Promise<BatchOutcome | "dropped"> {
  let unknown = 0;
  for (let poll = 1; ; poll++) {
    const receipt: TransactionReceipt | null = await ctx.retrying("receipt", () =>
      ctx.provider.getTransactionReceipt(hash),
    );
    if (receipt) {
      unknown = 0;
      if (receipt.status === 0) {
        const error = `transaction ${hash} reverted in block ${receipt.blockNumber}`;
        await ctx.ledger.markFailed(batch.id, error);
        ctx.metrics.batches.inc({ result: "failed" });
        ctx.log(`batch ${batch.id}: ${error}; its licences are due again`);
        return outcome(batch, "failed", { error, txHash: hash, block: receipt.blockNumber });
      }
      const depth = await ctx.retrying("confirmations", () => receipt.confirmations());
      if (depth >= ctx.confirmations) {
        await ctx.ledger.markConfirmed(batch.id, receipt.blockNumber);
        ctx.metrics.batches.inc({ result: "confirmed" });
        ctx.metrics.lastGasUsed.set(Number(receipt.gasUsed));
        ctx.log(`batch ${batch.id}: confirmed in block ${receipt.blockNumber} (${receipt.gasUsed} gas)`);
        return outcome(batch, "confirmed", { txHash: hash, block: receipt.blockNumber, gasUsed: receipt.gasUsed });
      }
    } else {
      const pending = await ctx.retrying("transaction", () => ctx.provider.getTransaction(hash));
      unknown = pending ? 0 : unknown + 1;
      if (unknown >= 2) return "dropped";
    }
    if (poll >= ctx.maxPolls) {
      const error = `transaction ${hash} not ${receipt ? `${ctx.confirmations} blocks deep` : "mined"} yet`;
      await ctx.ledger.markAttemptFailed(batch.id, error);
      ctx.log(`batch ${batch.id}: ${error}, looking again next pass`);
      return outcome(batch, "open", { error, txHash: hash });
    }
    if (!(await ctx.keepLease())) {
      return outcome(batch, "open", { error: "the settler lease went to another replica", txHash: hash });
    }
    await sleep(ctx.pollMs, ctx.signal);
  }
}

/**
 * Sends one `settle` with `receipts` (e.g. `receiptsOf(batch)`) and returns the gas it used once mined: for the
 * benchmark's "settlement gas per licence per batch" rows. Throws if it reverts.
 */
export async function measureSettleGas(meter: UsageMeter, receipts: ReturnType<typeof receiptsOf>): Promise<bigint> {
  const mined = await (await meter.settle(receipts)).wait();
  if (!mined || mined.status !== 1) throw new Error(`settle of ${receipts.length} receipt(s) did not succeed`);
  return mined.gasUsed;
}
