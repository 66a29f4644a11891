/**
 * The gateway's inference settings (see the table in config.ts): on when the operator key is set.
 */
import { hostname } from "node:os";

import { checkUrl, ConfigError, parseDuration } from "./config-values.ts";

/** The inference settings (see the module comment). */
export interface InferenceConfig {
  /** The operator's private key (0x + 64 hex). Never logged. */
  operatorKey: string;
  /** PostgreSQL URL of a ledger shared by replicas; SQLite under the data directory when absent. */
  databaseUrl?: string;
  upstreams: Array<{ modelId: bigint; url: string }>;
  upstreamApiKey?: string;
  /** Settlement interval in ms. */
  settleEveryMs: number;
  /** Unsettled credits that trigger a settlement before the interval. */
  settleCredits: bigint;
  /** This replica's id (settler lease holder). */
  replicaId: string;
  /** How long the settler lease lasts unless renewed, in ms (at least twice the settler's poll interval). */
  settleLeaseMs: number;
}

/** Environment variable of the operator key. */
export const OPERATOR_KEY_VARIABLE = "WEIGHTSHARE_OPERATOR_KEY";

/** The inference settings, or undefined when no operator key is set. */
export function inferenceConfig(
  pick: (flag: string, variable?: string) => string | undefined,
  env: NodeJS.ProcessEnv,
): InferenceConfig | undefined {
  const key = env[OPERATOR_KEY_VARIABLE]?.trim();
  const upstreams = parseUpstreams(pick("upstream", "WEIGHTSHARE_GATEWAY_UPSTREAMS"));
  if (key === undefined || key === "") {
    if (upstreams.length > 0)
      throw new ConfigError(`--upstream: inference needs ${OPERATOR_KEY_VARIABLE} (the models' operator key)`);
    return undefined;
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new ConfigError(`${OPERATOR_KEY_VARIABLE}: expected 0x and 64 hex characters (a private key)`);
  const databaseUrl = pick("database-url", "DATABASE_URL");
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError(`--database-url / DATABASE_URL: expected a postgres:// or postgresql:// URL`);
  const settleEvery = parseDuration(
    pick("settle-every", "WEIGHTSHARE_GATEWAY_SETTLE_EVERY") ?? "60s",
    "--settle-every",
    1,
  );
  // Receipts served under must outlive the next pass (inference/process.ts): a longer interval would ask licensees
  // for receipts running hours ahead.
  if (settleEvery > 600)
    throw new ConfigError(
      `--settle-every: expected at most 10m (receipts must outlive the next pass), got ${settleEvery}s`,
    );
  const credits = pick("settle-credits", "WEIGHTSHARE_GATEWAY_SETTLE_CREDITS") ?? "1000";
  if (!/^[1-9]\d{0,18}$/.test(credits))
    throw new ConfigError(`--settle-credits: expected a whole number of credits from 1, got "${credits.slice(0, 40)}"`);
  // The settler looks at the ledger every min(5 s, interval) and renews its lease then: a lease shorter than two
  // looks would pass between replicas while its holder is still settling.
  const pollSeconds = Math.min(5, settleEvery);
  const lease = parseDuration(pick("settle-lease", "WEIGHTSHARE_GATEWAY_SETTLE_LEASE") ?? "60s", "--settle-lease", 1);
  if (lease < 2 * pollSeconds)
    throw new ConfigError(
      `--settle-lease: expected at least ${2 * pollSeconds}s (twice the settler's poll interval, min(5s, --settle-every)), got ${lease}s`,
    );
  const replicaId = pick("replica-id", "WEIGHTSHARE_GATEWAY_REPLICA_ID") ?? `${hostname()}-${process.pid}`;
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(replicaId))
    throw new ConfigError(
      `--replica-id: expected letters, digits and . _ : - (up to 100), got "${replicaId.slice(0, 40)}"`,
    );
  return {
    operatorKey: key,
    databaseUrl,
    upstreams,
    upstreamApiKey: env.WEIGHTSHARE_UPSTREAM_API_KEY?.trim() || undefined,
    settleEveryMs: settleEvery * 1000,
    settleCredits: BigInt(credits),
    replicaId,
    settleLeaseMs: lease * 1000,
  };
}

/** `--upstream`: comma-separated `<modelId>=<http(s) URL of an OpenAI-compatible API>`. */
export function parseUpstreams(value: string | undefined): Array<{ modelId: bigint; url: string }> {
  if (value === undefined) return [];
  return value.split(",").map((entry) => {
    const match = /^\s*(0|[1-9]\d{0,76})=(\S+)\s*$/.exec(entry);
    if (match === null)
      throw new ConfigError(
        `--upstream: expected <model id>=<URL> such as 7=http://127.0.0.1:8000/v1, got "${entry.slice(0, 80)}"`,
      );
    checkUrl(match[2], "--upstream");
    return { modelId: BigInt(match[1]), url: match[2] };
  });
}
