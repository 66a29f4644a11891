/**
 * `npm run bench:indexer [-- --scale S]` (default S = 0.25, see DEFAULT_SCALE): how fast the indexer (Ponder) catches up over a finished chain, in events
 * per second, on PGlite and on PostgreSQL. A benchmark, not a test: it prints figures and writes bench/indexer.json.
 *
 *   1. a `hardhat node` on 127.0.0.1 (child), then `bench-indexer/chain.ts` against it (a `hardhat run` child): the
 *      protocol deployed with the sdk; at scale 1, 100 models, 10,000 fraction transfers, 1,000 proposals with two
 *      votes each and 5,000 licence purchases (S in (0, 1] scales every count; at least 2 models);
 *   2. a fresh indexer on a fresh PGlite directory over that chain, timed from its start until /ready answers and
 *      /status has reached the chain's head; the events it indexed are Ponder's own count (/metrics);
 *   3. the same on a throwaway PostgreSQL cluster (Debian's binaries; skipped, saying why, when they are missing).
 *
 * Loopback only; every child stopped by its own pid.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { freePort } from "../gateway/server/main.ts";
import { runToExit, startChild } from "./bench-gateway/servers.ts";
import { postgresBinaries, postgresMissing, startPostgres } from "../test/helpers/postgres.ts";
import { timeIndexer, type IndexerRun } from "./bench-indexer/processes.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const hardhatCli = path.join(root, "node_modules/hardhat/dist/src/cli.js");
const INDEXER_TIMEOUT_MS = 20 * 60_000;
/**
 * Scale 1 is about 63,000 events, and on a 2-core machine Ponder catches up at about 100 events/s over a local hardhat
 * node (one block per transaction): over ten minutes per database. A quarter of it (about 15,800 events) runs in about
 * seven minutes in all.
 */
const DEFAULT_SCALE = 0.25;

function parseScale(argv: string[]): number {
  let scale = DEFAULT_SCALE;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = arg === "--scale" ? argv[++i] : arg.startsWith("--scale=") ? arg.slice(8) : undefined;
    if (value === undefined) {
      console.error(`error: unknown argument ${arg}: expected --scale S with S in (0, 1]`);
      process.exit(1);
    }
    scale = Number(value);
    if (!(scale > 0 && scale <= 1)) {
      console.error(`error: --scale: expected a number in (0, 1], got ${JSON.stringify(value)}`);
      process.exit(1);
    }
  }
  return scale;
}

const scale = parseScale(process.argv.slice(2));
const work = mkdtempSync(path.join(tmpdir(), "ws-bench-indexer-"));
const stops: (() => void | Promise<void>)[] = [];

async function main(): Promise<void> {
  const chainPort = await freePort();
  const rpcUrl = `http://127.0.0.1:${chainPort}`;
  const node = await startChild(
    process.execPath,
    [path.join(root, "scripts/node.ts"), "--port", String(chainPort)],
    /Started HTTP and WebSocket JSON-RPC server/,
    { ...process.env, WEIGHTSHARE_LOCALHOST_RECORD: path.join(work, "localhost.json") },
  );
  node.child.stdout?.resume();
  stops.push(() => void node.child.kill("SIGTERM")); // its own pid
  console.log(`bench:indexer at scale ${scale}: hardhat node at ${rpcUrl}; generating the chain...`);
  await runToExit(
    process.execPath,
    [hardhatCli, "run", "--no-compile", path.join(root, "scripts/bench-indexer/chain.ts"), "--network", "localhost"],
    { ...process.env, WEIGHTSHARE_LOCALHOST_URL: rpcUrl, BENCH_DIR: work, BENCH_SCALE: String(scale) },
    (child) => stops.push(() => void (child.exitCode === null && child.kill("SIGTERM"))),
  );
  const chain = JSON.parse(readFileSync(path.join(work, "chain.json"), "utf8")) as {
    counts: Record<string, number>;
    transactions: number;
    head: number;
    generateSeconds: number;
  };
  const deploymentFile = path.join(work, "deployment.json");
  const common = { root, rpcUrl, deploymentFile, head: chain.head, timeoutMs: INDEXER_TIMEOUT_MS };

  type Result = IndexerRun & { eventsPerSecond: number; eventsPerSecondAfterStartup: number };
  const results: Record<string, Result | { skipped: string }> = {};
  const report = (name: string, r: IndexerRun) => {
    const eventsPerSecond = r.events / r.seconds;
    const eventsPerSecondAfterStartup = r.events / (r.seconds - r.serverSeconds);
    results[name] = { ...r, eventsPerSecond, eventsPerSecondAfterStartup };
    console.log(
      `${name}: ${r.events} events to block ${chain.head} in ${r.seconds.toFixed(1)} s = ${eventsPerSecond.toFixed(0)} ` +
        `events/s (${(r.seconds - r.serverSeconds).toFixed(1)} s after its server answered: ` +
        `${eventsPerSecondAfterStartup.toFixed(0)} events/s)`,
    );
  };
  console.log(`indexing ${chain.head} blocks on PGlite...`);
  report("pglite", await timeIndexer({ ...common, directory: path.join(work, "pglite") }));
  const bin = postgresBinaries();
  if (bin === undefined) {
    const reason = String(postgresMissing());
    console.log(`postgres: skipped: ${reason}`);
    results.postgres = { skipped: reason };
  } else {
    const postgres = await startPostgres();
    stops.push(() => postgres.stop());
    console.log(`indexing ${chain.head} blocks on PostgreSQL (${path.basename(path.dirname(bin))})...`);
    report("postgres", await timeIndexer({ ...common, databaseUrl: postgres.url }));
  }

  const out = {
    date: new Date().toISOString(),
    scale,
    chain: { ...chain.counts, transactions: chain.transactions, headBlock: chain.head },
    generateSeconds: chain.generateSeconds,
    note: "catch-up of a fresh indexer over a finished local chain: from start to /status at the head; events from Ponder's /metrics",
    results,
  };
  writeFileSync(path.join(root, "bench", "indexer.json"), `${JSON.stringify(out, null, 2)}\n`);
  console.log("wrote bench/indexer.json");
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop();
  rmSync(work, { recursive: true, force: true });
}
