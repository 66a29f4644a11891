/**
 * The settler's Prometheus metrics (prom-client), registered in the registry it is given (the gateway's own, so
 * `/metrics` shows them beside the request counters) or in a fresh one.
 */
import { Counter, Gauge, Registry } from "prom-client";

/** Every metric the settler updates. */
export interface SettlerMetrics {
  registry: Registry;
  /** Age in seconds of the oldest served call not yet covered by a confirmed settlement (0 when none). */
  lagSeconds: Gauge;
  /** Credits served and not yet settled, over all licences. */
  unsettledCredits: Gauge;
  /** Batches pending or sent, not yet confirmed. */
  openBatches: Gauge;
  /** Batches by outcome: sent (each transaction broadcast), confirmed, failed (will not be sent again). */
  batches: Counter<"result">;
  /** Licences in the last batch sent. */
  lastBatchLicences: Gauge;
  /** Gas used by the last confirmed settlement transaction. */
  lastGasUsed: Gauge;
  /** Licences left out of batches because their receipt made `settle` revert. */
  quarantinedLicences: Gauge;
  /** Chain calls that failed and were retried, by what was being done. */
  retries: Counter<"step">;
  /** Whether this replica holds the settler lease (1) or not (0). */
  leader: Gauge;
}

/** Creates the settler's metrics in `registry` (default: a fresh one). */
export function createSettlerMetrics(registry: Registry = new Registry()): SettlerMetrics {
  const registers = [registry];
  return {
    registry,
    lagSeconds: new Gauge({
      name: "weightshare_settler_lag_seconds",
      help: "Age of the oldest served call not yet settled on chain (0 when everything is settled)",
      registers,
    }),
    unsettledCredits: new Gauge({
      name: "weightshare_settler_unsettled_credits",
      help: "Credits served and not yet covered by a confirmed settlement",
      registers,
    }),
    openBatches: new Gauge({
      name: "weightshare_settler_open_batches",
      help: "Settlement batches pending or sent, not yet confirmed",
      registers,
    }),
    batches: new Counter({
      name: "weightshare_settler_batches_total",
      help: "Settlement batches by outcome (sent: a transaction broadcast; confirmed; failed: not sent again)",
      labelNames: ["result"],
      registers,
    }),
    lastBatchLicences: new Gauge({
      name: "weightshare_settler_last_batch_licences",
      help: "Licences (one receipt each) in the last settlement transaction sent",
      registers,
    }),
    lastGasUsed: new Gauge({
      name: "weightshare_settler_last_gas_used",
      help: "Gas used by the last confirmed settlement transaction",
      registers,
    }),
    quarantinedLicences: new Gauge({
      name: "weightshare_settler_quarantined_licences",
      help: "Licences left out of settlement batches because their receipt made settle revert",
      registers,
    }),
    retries: new Counter({
      name: "weightshare_settler_retries_total",
      help: "Chain calls that failed and were retried with backoff, by step",
      labelNames: ["step"],
      registers,
    }),
    leader: new Gauge({
      name: "weightshare_settler_leader",
      help: "1 when this replica holds the settler lease, else 0",
      registers,
    }),
  };
}
