/**
 * The gateway's configuration from command-line flags and the environment (flags win). Every invalid value is one
 * `ConfigError` line naming the flag or variable and what was expected; secret values are never echoed.
 *
 * | setting           | flag            | environment                        | default              |
 * |-------------------|-----------------|------------------------------------|----------------------|
 * | listen address    | --host          |                                    | 127.0.0.1            |
 * | port (0 = any)    | --port          |                                    | 8484                 |
 * | data directory    | --data-dir      | WEIGHTSHARE_DATA_DIR               | gateway-data         |
 * | chain RPC         | --rpc-url       | WEIGHTSHARE_RPC_URL                | (required by main)   |
 * | deployment record | --deployment    |                                    | the chain's record   |
 * | SIWE domain       | --domain        | WEIGHTSHARE_GATEWAY_DOMAIN         | host:port            |
 * | KEK               |                 | WEIGHTSHARE_GATEWAY_KEK            | (required)           |
 * | token secret      |                 | WEIGHTSHARE_GATEWAY_TOKEN_SECRET   | generated, persisted |
 * | token lifetime    | --token-ttl     | WEIGHTSHARE_GATEWAY_TOKEN_TTL      | 1h                   |
 * | IPFS node         | --ipfs-api-url  | IPFS_API_URL                       | embedded blockstore  |
 * | rate limit        | --rate-limit    | WEIGHTSHARE_GATEWAY_RATE_LIMIT     | 600 per minute       |
 * | chain head poll   | --block-poll-ms | WEIGHTSHARE_GATEWAY_BLOCK_POLL_MS  | 200 (0 = every check)|
 * | reverse proxy     | --trust-proxy   | WEIGHTSHARE_GATEWAY_TRUST_PROXY    | none trusted         |
 * | downloads/client  | --max-downloads | WEIGHTSHARE_GATEWAY_MAX_DOWNLOADS  | 16 in flight         |
 * | operator key      |                 | WEIGHTSHARE_OPERATOR_KEY           | none: no inference   |
 * | ledger            | --database-url  | DATABASE_URL                       | SQLite in data dir   |
 * | OpenAI upstreams  | --upstream      | WEIGHTSHARE_GATEWAY_UPSTREAMS      | none                 |
 * | upstream API key  |                 | WEIGHTSHARE_UPSTREAM_API_KEY       | none                 |
 * | settle every      | --settle-every  | WEIGHTSHARE_GATEWAY_SETTLE_EVERY   | 60s                  |
 * | settle at credits | --settle-credits| WEIGHTSHARE_GATEWAY_SETTLE_CREDITS | 1000 unsettled       |
 * | settler lease     | --settle-lease  | WEIGHTSHARE_GATEWAY_SETTLE_LEASE   | 60s                  |
 * | replica id        | --replica-id    | WEIGHTSHARE_GATEWAY_REPLICA_ID     | host name and pid    |
 *
 * Inference is on when the operator key is set: the gateway serves the Open Inference Protocol for models that
 * publish an ONNX file and the OpenAI API for models given an upstream (`--upstream 7=http://127.0.0.1:8000/v1`,
 * comma-separated or repeated), and settles usage on chain with that key. Replicas sharing `DATABASE_URL` settle one
 * at a time under a lease: `--settle-lease` is how long a replica that died keeps the others from settling.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { KEK_VARIABLE, kekFromConfig } from "../encryption/keys.ts";

/** Environment variable of the token-signing secret. */
export const TOKEN_SECRET_VARIABLE = "WEIGHTSHARE_GATEWAY_TOKEN_SECRET";
/** File under the data directory holding a generated token secret (mode 0600). */
export const TOKEN_SECRET_FILE = "gateway-token-secret";

/** An invalid setting: the message is one line naming it. */
export class ConfigError extends Error {
  /** @param message one line naming the setting and what was expected. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Everything the gateway process needs to start. */
export interface GatewayConfig {
  host: string;
  port: number;
  dataDir: string;
  rpcUrl?: string;
  deployment?: string;
  /** The SIWE domain (the gateway's public host[:port]); default `host:port` once listening. */
  domain?: string;
  kek: Buffer;
  tokenSecret: Buffer;
  /** Bearer token lifetime in seconds. */
  tokenTtl: number;
  ipfsApiUrl?: string;
  /** Requests per minute per signed-in account (or per IP without a valid token). */
  rateLimit: number;
  /** How long the chain's latest block is reused by access checks, in ms (0: read it on every check). */
  blockPollMs: number;
  /** Which reverse proxies' `X-Forwarded-For` to believe: true (any), a hop count, or addresses; false: none. */
  trustProxy: boolean | number | string;
  /** Downloads in flight per account (per address on /ipfs). */
  maxDownloads: number;
  /** Metered inference, when the operator key is set. */
  inference?: InferenceConfig;
}

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

const FLAGS = [
  "host",
  "port",
  "data-dir",
  "rpc-url",
  "deployment",
  "domain",
  "token-ttl",
  "ipfs-api-url",
  "rate-limit",
  "block-poll-ms",
  "trust-proxy",
  "max-downloads",
  "database-url",
  "upstream",
  "settle-every",
  "settle-credits",
  "settle-lease",
  "replica-id",
];
/** Flags that may be given more than once (their values are joined with commas). */
const REPEATABLE = ["upstream"];

/** Parses `--name value` / `--name=value` flags; refuses unknown flags and flags without a value. */
export function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new ConfigError(`unexpected argument "${arg}": expected --flag value (${flagList()})`);
    const [, name, inline] = match;
    if (!FLAGS.includes(name)) throw new ConfigError(`--${name}: unknown flag; known: ${flagList()}`);
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new ConfigError(`--${name}: expected a value`);
    }
    flags[name] = REPEATABLE.includes(name) && flags[name] !== undefined ? `${flags[name]},${value}` : value;
  }
  return flags;
}

function flagList(): string {
  return FLAGS.map((f) => `--${f}`).join(", ");
}

/** Builds the configuration from `argv` (without node and script) and `env`; reads or creates the token secret. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const flags = parseFlags(argv);
  const pick = (flag: string, variable?: string): string | undefined => {
    const value = flags[flag] ?? (variable === undefined ? undefined : env[variable]);
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const host = pick("host") ?? "127.0.0.1";
  const port = parsePort(pick("port") ?? "8484");
  const dataDir = path.resolve(pick("data-dir", "WEIGHTSHARE_DATA_DIR") ?? "gateway-data");
  const rpcUrl = pick("rpc-url", "WEIGHTSHARE_RPC_URL");
  if (rpcUrl !== undefined) checkUrl(rpcUrl, "--rpc-url / WEIGHTSHARE_RPC_URL");
  const ipfsApiUrl = pick("ipfs-api-url", "IPFS_API_URL");
  if (ipfsApiUrl !== undefined) checkUrl(ipfsApiUrl, "--ipfs-api-url / IPFS_API_URL");
  const domain = pick("domain", "WEIGHTSHARE_GATEWAY_DOMAIN");
  if (domain !== undefined && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(domain)) {
    throw new ConfigError(`--domain: "${domain}" is not a host[:port] (e.g. gateway.example.org or localhost:8484)`);
  }
  let kek: Buffer;
  try {
    kek = kekFromConfig(env[KEK_VARIABLE]);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    host,
    port,
    dataDir,
    rpcUrl,
    deployment: pick("deployment"),
    domain,
    kek,
    tokenSecret: tokenSecret(dataDir, env[TOKEN_SECRET_VARIABLE]),
    tokenTtl: parseDuration(pick("token-ttl", "WEIGHTSHARE_GATEWAY_TOKEN_TTL") ?? "1h", "--token-ttl"),
    ipfsApiUrl,
    rateLimit: parseCount(pick("rate-limit", "WEIGHTSHARE_GATEWAY_RATE_LIMIT") ?? "600", "--rate-limit"),
    blockPollMs: parseMilliseconds(pick("block-poll-ms", "WEIGHTSHARE_GATEWAY_BLOCK_POLL_MS") ?? "200"),
    trustProxy: parseTrustProxy(pick("trust-proxy", "WEIGHTSHARE_GATEWAY_TRUST_PROXY")),
    maxDownloads: parseCount(
      pick("max-downloads", "WEIGHTSHARE_GATEWAY_MAX_DOWNLOADS") ?? "16",
      "--max-downloads",
      "downloads in flight",
    ),
    inference: inferenceConfig(pick, env),
  };
}

/** The inference settings, or undefined when no operator key is set. */
function inferenceConfig(
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

/** `--trust-proxy`: "true", a hop count, or comma-separated proxy addresses / CIDRs; unset: trust none. */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  if (/^[0-9A-Fa-f:.,/ ]+$/.test(value)) return value;
  throw new ConfigError(
    `--trust-proxy: expected true, a hop count or the proxies' addresses (e.g. 127.0.0.1 or 10.0.0.0/8), got "${value.slice(0, 80)}"`,
  );
}

/** Milliseconds 0..60000 for `--block-poll-ms`. */
export function parseMilliseconds(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 60_000) {
    throw new ConfigError(
      `--block-poll-ms: expected milliseconds 0..60000 (e.g. 200; 0 = every check), got "${value}"`,
    );
  }
  return Number(value);
}

/** A TCP port 0..65535 (0: any free port). */
export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw new ConfigError(`--port: expected 0..65535 (0 = any free port), got "${value}"`);
  }
  return Number(value);
}

/** A duration as seconds: "3600", "90s", "30m", "1h", "1d"; at least `min` (60) s, at most 30 days. */
export function parseDuration(value: string, setting: string, min = 60): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match?.[2] ?? ""] ?? 1;
  const seconds = match === null ? NaN : Number(match[1]) * unit;
  if (!Number.isSafeInteger(seconds) || seconds < min || seconds > 30 * 86400) {
    throw new ConfigError(`${setting}: expected a duration from ${min}s to 30d such as 15m or 1h, got "${value}"`);
  }
  return seconds;
}

function parseCount(value: string, setting: string, what = "requests per minute"): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000) {
    throw new ConfigError(`${setting}: expected ${what} from 1 to 1000000, got "${value}"`);
  }
  return Number(value);
}

function checkUrl(value: string, setting: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${setting}: "${value}" is not a URL (e.g. http://127.0.0.1:8545)`);
  }
  if (!["http:", "https:"].includes(url.protocol)) {
    throw new ConfigError(`${setting}: expected an http(s) URL, got "${url.protocol}"`);
  }
}

/**
 * The secret that signs bearer tokens: `WEIGHTSHARE_GATEWAY_TOKEN_SECRET` (at least 32 characters) when set, else the
 * one generated earlier under the data directory, else a new random one written there with mode 0600 (so tokens
 * survive a restart). Replicas behind one domain must share it through the variable.
 */
export function tokenSecret(dataDir: string, value: string | undefined): Buffer {
  if (value !== undefined && value.trim() !== "") {
    if (value.trim().length < 32) {
      throw new ConfigError(
        `${TOKEN_SECRET_VARIABLE} is too short: expected at least 32 characters (openssl rand -hex 32)`,
      );
    }
    return Buffer.from(value.trim(), "utf8");
  }
  const file = path.join(dataDir, TOKEN_SECRET_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(stored)) {
      throw new ConfigError(`${file} is not a token secret (64 hex characters): remove it to generate a new one`);
    }
    return Buffer.from(stored, "utf8");
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return Buffer.from(secret, "utf8");
}
