/**
 * The settler: settles what the gateway served on chain, in batches, with the operator's key. A loop looks at the
 * ledger every `pollMs` and runs a settlement pass when a batch is open, when `intervalMs` went by since the last
 * pass with credits unsettled, or at once when unsettled credits reach `maxCredits`.
 *
 * A pass: take or renew the lease (replicas share one ledger, and only the lease holder settles), resume open
 * batches first (crash recovery, batch.ts), then build batches of at most `maxLicences` licences, one receipt each,
 * from the ledger and settle them one after another. Chain calls are retried with exponential backoff; a pass that
 * cannot reach the chain leaves its batch open and the next one picks it up. Receipts the chain refuses are left
 * out for a while (quarantine.ts) so that they never hold the other licences back.
 *
 * The lease makes one replica send, but correctness does not rest on it: receipts are cumulative, so two replicas
 * sending the same items (a lease that expired mid-pass) would charge nothing twice, only spend gas.
 */
import type { Provider } from "ethers";
import type { Registry } from "prom-client";

import type { UsageMeter } from "../../types/ethers-contracts/index.ts";
import type { Ledger, LedgerStats, SettlementQuery } from "../ledger/ledger.ts";
import { type BatchContext, type BatchOutcome, resumeBatch, settleBatch } from "./batch.ts";
import { createSettlerMetrics, type SettlerMetrics } from "./metrics.ts";
import type { Culprit } from "./preflight.ts";
import { Quarantine } from "./quarantine.ts";
import {
  backoffDelay,
  DEFAULT_RETRY,
  describeError,
  type RetryPolicy,
  SettlerStopped,
  sleep,
  withRetry,
} from "./retry.ts";

/** How the settler is set up. Only `ledger`, `meter` and `holder` are required. */
export interface SettlerOptions {
  ledger: Ledger;
  /** The usage meter, connected to the operator's signer (the address the model's timelock named with `setOperator`). */
  meter: UsageMeter;
  /** This replica's name for the lease (e.g. hostname and pid). */
  holder: string;
  /** Settle at least this often when credits are unsettled, in ms (default 60,000). */
  intervalMs?: number;
  /** Settle at once when unsettled credits reach this (default: only by interval). */
  maxCredits?: bigint;
  /** Licences (receipts) per batch (default 100). */
  maxLicences?: number;
  /** Blocks a settlement must be deep before the ledger marks it settled (default 1: mined). */
  confirmations?: number;
  /** Receipts must stay valid this many seconds past the chain's time to be batched (default 600). */
  deadlineMargin?: number;
  /** Backoff for chain calls (default DEFAULT_RETRY). */
  retry?: Partial<RetryPolicy>;
  /** Registry for the settler's metrics (the gateway's, so `/metrics` shows them); default a fresh one. */
  registry?: Registry;
  /** Unix ms now (default Date.now): the lease, the lag metric and the quarantine's clock. */
  now?: () => number;
  /** One line per thing worth knowing (default: console.log with a "settler:" prefix). */
  log?: (line: string) => void;
  /**
   * How often the loop looks at the ledger and a pending transaction, in ms (default min(5,000, intervalMs)). Below
   * 250 ms, give the meter a provider built with `cacheTimeout: -1`: ethers answers a repeated call from a 250 ms cache.
   */
  pollMs?: number;
  /** How long the lease lasts unless renewed, in ms (default max(60,000, 4 x pollMs)). */
  leaseMs?: number;
  /** How long a pass waits for a transaction before leaving it for the next, in ms (default 600,000). */
  confirmTimeoutMs?: number;
  /** How long a licence whose receipt reverts is left out at most, in ms (default 600,000). */
  quarantineMs?: number;
  /** Batches built per pass at most (default 10). */
  maxBatchesPerPass?: number;
  /**
   * A call still reserved after this long belongs to a replica that died mid-call: released each pass, charging
   * nothing (default 900,000 ms, far above any upstream timeout).
   */
  staleCallMs?: number;
}

/** What one settlement pass did. */
export interface PassReport {
  /** False when another replica holds the lease: this pass did nothing. */
  leader: boolean;
  /** Every batch resumed or built, in order. */
  batches: BatchOutcome[];
  /** Licences left out of batches after this pass (their receipt reverts). */
  quarantined: bigint[];
  /** Why the pass ended early (chain or ledger unreachable, stopping). */
  error?: string;
}

/** A running (or runnable) settler; see the module comment. */
export class Settler {
  readonly metrics: SettlerMetrics;
  private readonly options: SettlerOptions;
  private readonly ledger: Ledger;
  private readonly retry: RetryPolicy;
  private readonly quarantine: Quarantine;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly intervalMs: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxLicences: number;
  private readonly staleCallMs: number;
  /** Batch size now: halved after a revert no receipt could be blamed for, back up after a confirmation. */
  private batchLimit: number;
  private queue: Promise<unknown> = Promise.resolve();
  private passAbort?: AbortController;
  private loopAbort?: AbortController;
  private loopDone?: Promise<void>;

  constructor(options: SettlerOptions) {
    this.options = options;
    this.ledger = options.ledger;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.log(`settler: ${line}`));
    this.intervalMs = options.intervalMs ?? 60_000;
    this.pollMs = options.pollMs ?? Math.min(5_000, this.intervalMs);
    this.leaseMs = options.leaseMs ?? Math.max(60_000, 4 * this.pollMs);
    this.maxLicences = options.maxLicences ?? 100;
    this.staleCallMs = options.staleCallMs ?? 900_000;
    this.batchLimit = this.maxLicences;
    this.quarantine = new Quarantine(options.quarantineMs ?? 600_000);
    this.metrics = createSettlerMetrics(options.registry);
    if (!options.meter.runner?.provider)
      throw new Error("the usage meter must be connected to a signer with a provider");
  }

  /** Starts the loop (see the module comment); returns this. */
  start(): this {
    if (this.loopDone) return this;
    const abort = new AbortController();
    this.loopAbort = abort;
    this.loopDone = this.loop(abort.signal);
    return this;
  }

  /** One settlement pass, after any pass in progress; for tests, and to settle what is left at shutdown. */
  runOnce(): Promise<PassReport> {
    const pass = this.queue.then(() => this.pass());
    this.queue = pass.catch(() => undefined);
    return pass;
  }

  /**
   * Stops the loop: a wait in progress (backoff, confirmations) is abandoned, a send in progress finishes and its
   * hash is recorded, then the lease is given up. What is left open is resumed by the next settler to run.
   */
  async stop(): Promise<void> {
    this.loopAbort?.abort();
    this.passAbort?.abort();
    await this.loopDone;
    await this.queue;
    this.loopDone = undefined;
    try {
      await this.ledger.releaseLease(this.options.holder);
    } catch (error) {
      this.log(`could not give up the lease: ${describeError(error)}`);
    }
    this.metrics.leader.set(0);
  }

  /** Licences left out of batches now, and why. */
  quarantined() {
    return this.quarantine.list();
  }

  /** Reads the ledger's figures into the metrics (lag, unsettled credits, open batches); returns them. */
  async refreshMetrics(): Promise<LedgerStats> {
    const now = this.now();
    const stats = await this.ledger.stats(now);
    const oldest = stats.oldestUnsettledAt;
    this.metrics.lagSeconds.set(oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000));
    this.metrics.unsettledCredits.set(Number(stats.unsettledCredits));
    this.metrics.openBatches.set(stats.openBatches);
    this.metrics.quarantinedLicences.set(this.quarantine.size);
    return stats;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let lastPass = this.now(); // open batches are resumed at once; new ones wait for a trigger
    let failures = 0;
    while (!signal.aborted) {
      let wait = this.pollMs;
      try {
        const stats = await this.refreshMetrics();
        const now = this.now();
        const max = this.options.maxCredits;
        const due =
          stats.openBatches > 0 ||
          (stats.unsettledCredits > 0n && now - lastPass >= this.intervalMs) ||
          (max !== undefined && stats.unsettledCredits >= max);
        if (due) {
          lastPass = now;
          const report = await this.runOnce();
          // A pass that ended early or left a batch open backs off before the next (the chain may be down).
          const trouble =
            (report.error && report.error !== "stopped") || report.batches.some((b) => b.status === "open");
          failures = trouble ? failures + 1 : 0;
        }
      } catch (error) {
        failures++;
        this.log(`cannot read the ledger: ${describeError(error)}`);
      }
      if (failures > 0) wait = Math.max(wait, backoffDelay(this.retry, failures));
      await sleep(wait, signal).catch(() => undefined);
    }
  }

  private async keepLease(): Promise<boolean> {
    const now = this.now();
    const held = await this.ledger.acquireLease(this.options.holder, now, now + this.leaseMs);
    this.metrics.leader.set(held ? 1 : 0);
    return held;
  }

  private context(signal: AbortSignal): BatchContext {
    const { meter } = this.options;
    const confirmations = this.options.confirmations ?? 1;
    return {
      ledger: this.ledger,
      meter,
      provider: meter.runner!.provider as Provider,
      confirmations,
      pollMs: this.pollMs,
      maxPolls: Math.max(2, Math.ceil((this.options.confirmTimeoutMs ?? 600_000) / this.pollMs)),
      retry: this.retry,
      signal,
      log: this.log,
      metrics: this.metrics,
      retrying: (step, call) =>
        withRetry(step, call, this.retry, {
          signal,
          onRetry: (what, error, attempt, delayMs) => {
            this.metrics.retries.inc({ step: what });
            this.log(`${what} failed (try ${attempt}), retrying in ${delayMs} ms: ${describeError(error)}`);
          },
        }),
      keepLease: () => this.keepLease(),
      quarantine: (culprits: Culprit[]) => this.leaveOut(culprits),
    };
  }

  private async leaveOut(culprits: Culprit[]): Promise<void> {
    for (const { item, reason } of culprits) {
      await this.quarantine.add(this.ledger, item.licenceId, reason, this.now());
      this.log(`licence ${item.licenceId}: left out of settlement batches: ${reason}`);
    }
    this.metrics.quarantinedLicences.set(this.quarantine.size);
  }

  private async pass(): Promise<PassReport> {
    const abort = new AbortController();
    this.passAbort = abort;
    const report: PassReport = { leader: false, batches: [], quarantined: [] };
    try {
      if (!(await this.keepLease())) return report;
      report.leader = true;
      // Reservations left by a replica that died mid-call free their licences' headroom (charging nothing).
      const released = await this.ledger.releaseStale(this.now() - this.staleCallMs, this.now());
      if (released > 0) this.log(`released ${released} reservation(s) older than ${this.staleCallMs} ms`);
      const ctx = this.context(abort.signal);
      for (const batch of await this.ledger.openBatches()) {
        const outcome = await resumeBatch(ctx, batch);
        report.batches.push(outcome);
        if (outcome.status === "open") return report;
      }
      await this.newBatches(ctx, report);
    } catch (error) {
      report.error = error instanceof SettlerStopped ? "stopped" : describeError(error);
      if (report.error !== "stopped") this.log(`settlement pass ended early: ${report.error}`);
    } finally {
      this.passAbort = undefined;
      report.quarantined = this.quarantine.list().map((e) => e.licenceId);
      await this.refreshMetrics().catch(() => undefined);
    }
    return report;
  }

  /** Builds and settles batches until nothing is due, a batch stays open, or `maxBatchesPerPass`. */
  private async newBatches(ctx: BatchContext, report: PassReport): Promise<void> {
    for (let n = 0; n < (this.options.maxBatchesPerPass ?? 10); n++) {
      const exclude = await this.quarantine.held(this.ledger, this.now());
      const head = await ctx.retrying("block", () => ctx.provider.getBlock("latest"));
      if (!head) throw new Error("the chain returned no latest block");
      const query: SettlementQuery = {
        now: head.timestamp,
        deadlineMargin: this.options.deadlineMargin ?? 600,
        maxLicences: this.batchLimit,
        exclude, // receipts that revert (quarantine.ts)
      };
      const batch = await this.ledger.createBatch(query);
      if (!batch) return;
      const ignored = batch.items.some((item) => exclude.includes(item.licenceId));
      if (ignored)
        this.log(`batch ${batch.id}: the ledger did not leave out quarantined licences ${exclude.join(", ")}`);
      const outcome = await settleBatch(ctx, batch);
      report.batches.push(outcome);
      if (outcome.status === "confirmed") this.batchLimit = Math.min(this.maxLicences, this.batchLimit * 2);
      if (outcome.unattributed) this.batchLimit = Math.max(1, Math.floor(batch.items.length / 2));
      if (outcome.status === "open" || ignored) return;
    }
  }
}

/** Creates a settler and starts its loop; `stop()` it on shutdown (after a last `runOnce()` if wanted). */
export function startSettler(options: SettlerOptions): Settler {
  return new Settler(options).start();
}
