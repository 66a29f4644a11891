/**
 * `npm run indexer`: checks the settings (settings.ts) and starts Ponder's production server (`ponder start`) on this
 * folder in this process, on 127.0.0.1 (WEIGHTSHARE_INDEXER_HOST to change it) and port 42069
 * (WEIGHTSHARE_INDEXER_PORT), in database schema "weightshare" (DATABASE_SCHEMA), with Ponder's telemetry off.
 * Stop it with Ctrl-C or SIGTERM to its pid.
 */
import { fileURLToPath, pathToFileURL } from "node:url";

import { indexerSettings } from "./settings.ts";

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

const env = process.env;
let settings;
try {
  settings = indexerSettings(env);
} catch (error) {
  fail((error as Error).message);
}
const port = env.WEIGHTSHARE_INDEXER_PORT || "42069";
if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  fail(`WEIGHTSHARE_INDEXER_PORT: expected a port number (1..65535), got ${JSON.stringify(port)}`);
}
const host = env.WEIGHTSHARE_INDEXER_HOST || "127.0.0.1";
const schema = env.DATABASE_SCHEMA || "weightshare";
if (!/^[A-Za-z_][A-Za-z0-9_]{0,44}$/.test(schema)) {
  fail(`DATABASE_SCHEMA: expected a schema name ([A-Za-z_][A-Za-z0-9_]*, at most 45 characters), got ${schema}`);
}
// A local chain (31337) is new each time its node restarts, with the same addresses: PGlite's default directory is
// kept per chain, by its genesis block's hash, so a restarted node never resumes from the old chain's tables.
if (settings.chainId === 31337 && settings.database.kind === "pglite" && !env.WEIGHTSHARE_INDEXER_DIR) {
  const genesis = await genesisHash(settings.rpcUrl);
  if (genesis !== undefined) {
    settings.database.directory = `${settings.database.directory}-${genesis.slice(2, 14)}`;
    env.WEIGHTSHARE_INDEXER_DIR = settings.database.directory;
  }
}
env.PONDER_TELEMETRY_DISABLED ??= "true";
// Ponder reads PORT before its --port flag: ours decides.
delete env.PORT;

console.log(
  `indexer: chain ${settings.chainId} at ${settings.rpcUrl}, deployment ${settings.deploymentFile}, ` +
    (settings.database.kind === "pglite"
      ? `PGlite in ${settings.database.directory}`
      : `PostgreSQL (DATABASE_URL), schema ${schema}`) +
    `; serving http://${host}:${port}/graphql and /sql`,
);

// Ponder's command line (its package exports only its library entry, dist/esm/index.js; the CLI sits beside it).
const bin = fileURLToPath(new URL("./bin/ponder.js", import.meta.resolve("ponder")));
process.argv = [
  process.execPath,
  bin,
  "start",
  "--root",
  import.meta.dirname,
  "--schema",
  schema,
  "--hostname",
  host,
  "--port",
  port,
  ...(env.WEIGHTSHARE_INDEXER_LOG_FORMAT === "json" ? ["--log-format", "json"] : []),
];
// Ponder writes generated/schema.graphql (and reads .env.local) in the working directory: keep them in indexer/.
process.chdir(import.meta.dirname);
await import(pathToFileURL(bin).href);

/** The hash of block 0, or undefined when the node does not answer (Ponder then reports the RPC error itself). */
async function genesisHash(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["0x0", false] }),
    });
    const hash = ((await res.json()) as { result?: { hash?: string } }).result?.hash;
    return typeof hash === "string" && /^0x[0-9a-f]{64}$/i.test(hash) ? hash.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
