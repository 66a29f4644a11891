/**
 * The indexer as a user runs it (`npm run indexer`, i.e. `node indexer/main.ts`), as a child process of a test: its
 * own loopback port and database (a temporary PGlite directory, or DATABASE_URL), waited for through Ponder's
 * /ready and /status endpoints (never by the clock), stopped by its own pid. Nothing runs on import.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import { createClient } from "@ponder/client";

import * as schema from "../../indexer/ponder.schema.js";
import { cleanEnv, freePort, root } from "../tasks/cli.js";

export { schema };

export interface RunningIndexer {
  url: string;
  pid: number;
  /** The last lines it printed (for failure messages). */
  output(): string;
  /** Resolves once Ponder answers /ready and has indexed block `block` (per /status); rejects if it exits. */
  caughtUp(block: number, ms: number): Promise<void>;
  /** Drizzle over Ponder's SQL-over-HTTP endpoint (`@ponder/client`). */
  client: ReturnType<typeof createClient<typeof schema>>;
  stop(): Promise<void>;
}

export async function startIndexer(options: {
  rpcUrl: string;
  deploymentFile: string;
  /** PGlite directory (ignored with databaseUrl). */
  directory?: string;
  databaseUrl?: string;
  databaseSchema?: string;
}): Promise<RunningIndexer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    FORCE_COLOR: "0",
    WEIGHTSHARE_RPC_URL: options.rpcUrl,
    WEIGHTSHARE_DEPLOYMENT: options.deploymentFile,
    WEIGHTSHARE_INDEXER_PORT: String(port),
    WEIGHTSHARE_POLLING_MS: "200",
    WEIGHTSHARE_INDEXER_LOG_FORMAT: "json",
    PONDER_LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  if (options.directory !== undefined) env.WEIGHTSHARE_INDEXER_DIR = options.directory;
  if (options.databaseSchema !== undefined) env.DATABASE_SCHEMA = options.databaseSchema;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "indexer", "main.ts")], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? (signal === null ? null : -1);
      resolve();
    }),
  );
  const output = () => lines.slice(-60).join("\n");

  async function indexedBlock(): Promise<number | undefined> {
    try {
      const ready = await fetch(`${url}/ready`);
      if (ready.status !== 200) return undefined;
      const status = (await (await fetch(`${url}/status`)).json()) as Record<string, { block: { number: number } }>;
      return Object.values(status)[0]?.block.number;
    } catch {
      return undefined; // not listening yet
    }
  }

  return {
    url,
    pid: child.pid!,
    output,
    async caughtUp(block: number, ms: number) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (exited !== undefined) throw new Error(`indexer exited (${exited}) before catching up:\n${output()}`);
        const indexed = await indexedBlock();
        if (indexed !== undefined && indexed >= block) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`indexer at ${url} had not indexed block ${block} within ${ms} ms:\n${output()}`);
    },
    client: createClient(`${url}/sql`, { schema }),
    async stop() {
      if (exited !== undefined) return;
      process.kill(child.pid!, "SIGTERM"); // its own pid
      const killed = setTimeout(() => {
        if (exited === undefined) process.kill(child.pid!, "SIGKILL");
      }, 15_000);
      await exit;
      clearTimeout(killed);
    },
  };
}

/** Every table, rows sorted by their JSON, bigints as strings: what "the same state" means between two indexers. */
export async function dumpTables(indexer: RunningIndexer): Promise<Record<string, string[]>> {
  const tables = Object.entries(schema).filter(([name]) => !name.endsWith("Relations"));
  const dump: Record<string, string[]> = {};
  for (const [name, table] of tables) {
    const rows = (await indexer.client.db.select().from(table as never)) as Record<string, unknown>[];
    dump[name] = rows.map((row) => JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).sort();
  }
  return dump;
}
