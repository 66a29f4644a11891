/**
 * The indexer process for `npm run bench:indexer`: `indexer/main.ts`, as `npm run indexer` runs it, on a free
 * loopback port with its own database, timed until it has indexed the chain's head, and stopped by its own pid. The
 * throwaway PostgreSQL cluster is the tests' (test/helpers/postgres.ts).
 */
import { spawn } from "node:child_process";
import path from "node:path";

import { freePort } from "../../gateway/server/main.ts";

export interface IndexerRun {
  /** Seconds from spawning the indexer until /ready answered 200 and /status had reached `head`. */
  seconds: number;
  /** Seconds from spawning it until its HTTP server first answered (start-up: build, schema, before indexing). */
  serverSeconds: number;
  /** Events Ponder reports it indexed (the sum of `ponder_indexing_completed_events` on /metrics). */
  events: number;
}

/** Starts a fresh indexer over the finished chain, waits (polling /ready and /status) until it reaches `head`. */
export async function timeIndexer(options: {
  root: string;
  rpcUrl: string;
  deploymentFile: string;
  head: number;
  directory?: string;
  databaseUrl?: string;
  timeoutMs: number;
}): Promise<IndexerRun> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FORCE_COLOR: "0",
    WEIGHTSHARE_RPC_URL: options.rpcUrl,
    WEIGHTSHARE_DEPLOYMENT: options.deploymentFile,
    WEIGHTSHARE_INDEXER_PORT: String(port),
    WEIGHTSHARE_POLLING_MS: "200",
    WEIGHTSHARE_INDEXER_LOG_FORMAT: "json",
    PONDER_LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  delete env.WEIGHTSHARE_INDEXER_DIR;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  if (options.directory !== undefined) env.WEIGHTSHARE_INDEXER_DIR = options.directory;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [path.join(options.root, "indexer", "main.ts")], {
    cwd: options.root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited: number | string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? signal ?? -1;
      resolve();
    }),
  );
  try {
    const until = Date.now() + options.timeoutMs;
    let serverSeconds: number | undefined;
    for (;;) {
      if (exited !== undefined) throw new Error(`indexer exited (${exited}):\n${lines.join("\n")}`);
      if (Date.now() > until) throw new Error(`indexer had not reached block ${options.head}:\n${lines.join("\n")}`);
      const indexed = await indexedBlock(url);
      if (indexed > -2 && serverSeconds === undefined) serverSeconds = elapsed(started);
      if (indexed >= options.head) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = elapsed(started);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    let events = 0;
    for (const line of metrics.split("\n")) {
      const m = line.match(/^ponder_indexing_completed_events(?:\{[^}]*\})?\s+(\d+(?:\.\d+)?(?:e\+?\d+)?)$/);
      if (m !== null) events += Number(m[1]);
    }
    return { seconds, serverSeconds: serverSeconds ?? seconds, events };
  } finally {
    if (exited === undefined) {
      child.kill("SIGTERM"); // its own pid
      const killed = setTimeout(() => exited === undefined && child.kill("SIGKILL"), 15_000);
      await exit;
      clearTimeout(killed);
    }
  }
}

const elapsed = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** The block the indexer has indexed (per /status) once /ready answers 200; -1 while it is not ready, -2 before it
 * listens. */
async function indexedBlock(url: string): Promise<number> {
  let listening = false;
  try {
    const ready = await fetch(`${url}/ready`);
    listening = true;
    if (ready.status !== 200) return -1;
    const status = (await (await fetch(`${url}/status`)).json()) as Record<string, { block: { number: number } }>;
    return Object.values(status)[0]?.block.number ?? -1;
  } catch {
    return listening ? -1 : -2; // -2: not listening yet
  }
}
