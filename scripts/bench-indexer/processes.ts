/**
 * Child processes for `npm run bench:indexer`: the indexer (`indexer/main.ts`, as `npm run indexer` runs it) on a
 * free loopback port with its own database, timed until it has indexed the chain's head; and a throwaway PostgreSQL
 * cluster (Debian's binaries, loopback only, fsync off; as root its commands run as the `postgres` user). Everything
 * is stopped by its own pid (pg_ctl signals the postmaster by the pid it recorded).
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { freePort } from "../../gateway/server/main.ts";

const run = promisify(execFile);
const PG_ROOT = "/usr/lib/postgresql";

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

/** The directory of PostgreSQL's server binaries (15 preferred, else the newest), or undefined. */
export function postgresBinaries(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter(
      (v) => existsSync(path.join(PG_ROOT, v, "bin", "initdb")) && existsSync(path.join(PG_ROOT, v, "bin", "pg_ctl")),
    )
    .sort((a, b) => Number(b) - Number(a));
  const chosen = versions.includes("15") ? "15" : versions[0];
  return chosen === undefined ? undefined : path.join(PG_ROOT, chosen, "bin");
}

/** A throwaway cluster: its URL (database `postgres`, trust, loopback) and how to stop it and remove its files. */
export async function startPostgres(bin: string): Promise<{ url: string; stop(): Promise<void> }> {
  const asRoot = process.getuid?.() === 0;
  const as = (command: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, command), ...args])
      : run(path.join(bin, command), args);
  const dir = await mkdtemp(path.join(tmpdir(), "ws-bench-pg-"));
  const data = path.join(dir, "data");
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
    await chown(dir, id("-u"), id("-g"));
  }
  const stopArgs = ["-D", data, "-m", "immediate", "-w", "stop"];
  const stopOnExit = () => {
    const [command, args] = asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(bin, "pg_ctl"), ...stopArgs]]
      : [path.join(bin, "pg_ctl"), stopArgs];
    spawnSync(command as string, args as string[], { stdio: "ignore" });
    spawnSync("rm", ["-rf", dir], { stdio: "ignore" });
  };
  try {
    await as("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await as("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", options, "start"]);
    process.once("exit", stopOnExit);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        process.removeListener("exit", stopOnExit);
        await as("pg_ctl", stopArgs);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopOnExit();
    throw error;
  }
}
