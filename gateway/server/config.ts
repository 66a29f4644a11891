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
 * | browser origins   | --cors-origins  | WEIGHTSHARE_GATEWAY_CORS_ORIGINS   | none: no CORS        |
 * | upload limit      | --max-publish-bytes | WEIGHTSHARE_GATEWAY_MAX_PUBLISH_BYTES | 64MiB of files   |
 *
 * Inference is on when the operator key is set: the gateway serves the Open Inference Protocol for models that
 * publish an ONNX file and the OpenAI API for models given an upstream (`--upstream 7=http://127.0.0.1:8000/v1`,
 * comma-separated or repeated), and settles usage on chain with that key. Replicas sharing `DATABASE_URL` settle one
 * at a time under a lease: `--settle-lease` is how long a replica that died keeps the others from settling.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { KEK_VARIABLE, kekFromConfig } from "../encryption/keys.ts";
import { inferenceConfig, type InferenceConfig } from "./config-inference.ts";
import {
  checkUrl,
  ConfigError,
  parseCount,
  parseDuration,
  parseMilliseconds,
  parseCorsOrigins,
  parsePort,
  parseSize,
  parseTrustProxy,
} from "./config-values.ts";

// What callers (main.ts, `ws gateway`, tests) take from the configuration, wherever it is parsed.
export { OPERATOR_KEY_VARIABLE, parseUpstreams, type InferenceConfig } from "./config-inference.ts";
export { ConfigError, parseCorsOrigins, parseDuration, parseTrustProxy } from "./config-values.ts";

/** Environment variable of the token-signing secret. */
export const TOKEN_SECRET_VARIABLE = "WEIGHTSHARE_GATEWAY_TOKEN_SECRET";
/** File under the data directory holding a generated token secret (mode 0600). */
export const TOKEN_SECRET_FILE = "gateway-token-secret";

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
  /** Web origins whose pages may call the gateway (CORS); empty: none. */
  corsOrigins: string[];
  /** Most bytes of files one `POST /api/models/:org/:name/versions` may publish (decoded). */
  maxPublishBytes: number;
}

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
  "cors-origins",
  "max-publish-bytes",
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
    corsOrigins: parseCorsOrigins(
      pick("cors-origins", "WEIGHTSHARE_GATEWAY_CORS_ORIGINS"),
      "--cors-origins / WEIGHTSHARE_GATEWAY_CORS_ORIGINS",
    ),
    maxPublishBytes: parseSize(
      pick("max-publish-bytes", "WEIGHTSHARE_GATEWAY_MAX_PUBLISH_BYTES") ?? "64MiB",
      "--max-publish-bytes / WEIGHTSHARE_GATEWAY_MAX_PUBLISH_BYTES",
    ),
  };
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
