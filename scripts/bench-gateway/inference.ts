/**
 * `npm run bench:gateway`, metered-inference rows (run by scripts/bench-gateway.ts as `hardhat run ... --network
 * localhost` against the `hardhat node` it started; BENCH_DIR, WEIGHTSHARE_GATEWAY_KEK and WEIGHTSHARE_LOCALHOST_URL
 * set). Side by side, on this machine, loopback only, bounded in count and time:
 *   1. OpenAI chat calls through a gateway (capped receipt signed ahead, 1 credit per call, SQLite ledger) vs the
 *      same loopback STAND-IN upstream called directly: added latency p50/p99 (1 client) and calls/s (16 clients);
 *   2. ledger debits per second (reserve + commit) on SQLite and on a throwaway PostgreSQL cluster;
 *   3. Open Inference Protocol calls per second with two gateway replicas on one PostgreSQL ledger vs one;
 *   4. settlement gas per licence for batches of 1, 10 and 100 licences (real `UsageMeter.settle`);
 *   and, for information, OIP calls through the built-in ONNX runner (calls/s, p50).
 * Writes the rows to BENCH_DIR/inference-rows.json and prints `inference rows written`. Every process it starts is
 * stopped by its own pid (PostgreSQL by pg_ctl, from the pid file of its data directory).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { network } from "hardhat";

import { authoriseCap } from "../../gateway/client/infer.js";
import { signIn } from "../../gateway/client/sign-in.js";
import { upstreamName } from "../../gateway/inference/openai/upstreams.js";
import { openLedger } from "../../gateway/ledger/open.js";
import { openSqliteLedger } from "../../gateway/ledger/sqlite.js";
import { postgresMissing, startPostgres } from "../../test/helpers/postgres.js";
import { chatCall, interleavedLatencies, interleavedThroughput, oipCall, type LoadBounds } from "./calls.js";
import { inferenceChain } from "./inference-chain.js";
import { startInferenceGateway, startStandInUpstream } from "./inference-servers.js";
import { ledgerRows } from "./ledger-debits.js";
import { percentile } from "./load.js";
import { replicaRows } from "./replicas.js";
import { compared, reported, skipped, type InferenceRow } from "./rows.js";
import { settlementGasRows } from "./settle-gas.js";

const dir = process.env.BENCH_DIR ?? "";
const kek = Buffer.from(process.env.WEIGHTSHARE_GATEWAY_KEK ?? "", "hex");
const rpcUrl = process.env.WEIGHTSHARE_LOCALHOST_URL ?? "";
if (dir === "" || kek.length !== 32 || rpcUrl === "") {
  throw new Error(
    "inference.ts is run by scripts/bench-gateway.ts (BENCH_DIR, WEIGHTSHARE_GATEWAY_KEK, WEIGHTSHARE_LOCALHOST_URL)",
  );
}
/** Throughput runs: 16 callers, at most 3,000 calls or 4 s each, best of 2 interleaved rounds. */
const BOUNDS: LoadBounds = { concurrency: 16, count: 3000, maxMs: 4000 };
const ROUNDS = 2;
/** Latency: 4 interleaved rounds of 250 calls per target, one at a time. */
const LATENCY_ROUNDS = 4;
const LATENCY_PER_ROUND = 250;
const STAND_IN = "stand-in upstream, direct";

const work = path.join(dir, "inference");
const stops: (() => Promise<void>)[] = [];
const started = Date.now();
const log = (line: string) => console.log(`inference [${Math.round((Date.now() - started) / 1000)} s]: ${line}`);
process.once("SIGTERM", () => {
  void Promise.allSettled(stops.map((stop) => stop())).then(() => process.exit(1));
});

async function main(): Promise<InferenceRow[]> {
  const connection = await network.getOrCreate();
  log("deploying a second protocol, publishing an ONNX model with inference terms, buying a metered licence");
  const chain = await inferenceChain(connection, work, kek);
  log("settlement gas: batches of 1, 10 and 100 licences, twice each");
  const gasRows = await settlementGasRows(chain, rpcUrl);

  const standIn = await startStandInUpstream();
  stops.push(standIn.stop);
  const gateway = await startInferenceGateway({
    rpcUrl,
    deploymentFile: chain.deploymentFile,
    dataDir: chain.dataDir,
    kek,
    operatorKey: chain.operator.privateKey,
    upstream: `${chain.modelId}=${standIn.url}`,
  });
  stops.push(gateway.stop);
  const { token } = await signIn(gateway.url, chain.licensee, { chainId: chain.chainId });
  const session = { gateway: gateway.url, token, signer: chain.licensee, domain: chain.domain };
  await authoriseCap(session, chain.modelId, 5_000_000n); // capped mode: one receipt ahead for every call below
  log(`gateway ${gateway.url} (SQLite ledger) in front of the stand-in upstream ${standIn.url}; measuring`);

  const model = upstreamName(chain.modelId);
  const viaGateway = chatCall(`${gateway.url}/v1`, model, token);
  const direct = chatCall(standIn.url, model);
  const [g, d] = await interleavedLatencies([viaGateway, direct], LATENCY_ROUNDS, LATENCY_PER_ROUND);
  const [gatewayRate, directRate] = await interleavedThroughput([[viaGateway], [direct]], ROUNDS, BOUNDS);
  const oip = oipCall(gateway.url, token, chain.modelId);
  const [o] = await interleavedLatencies([oip], 2, LATENCY_PER_ROUND);
  const [oipRate] = await interleavedThroughput([[oip]], ROUNDS, BOUNDS);
  await gateway.stop();
  await standIn.stop();
  const calls = LATENCY_ROUNDS * LATENCY_PER_ROUND;
  const rows: InferenceRow[] = [
    compared(
      "OpenAI chat call through the gateway, latency p50, 1 client (ms)",
      percentile(g, 50),
      percentile(d, 50),
      STAND_IN,
      "added p50 < 2 ms",
      "ms",
      `${calls} calls each way, interleaved; metered in capped mode (one receipt signed ahead), 1 credit per call, SQLite ledger; the upstream is a loopback stand-in (no LLM), in its own process`,
    ),
    compared(
      "OpenAI chat call through the gateway, latency p99, 1 client (ms)",
      percentile(g, 99),
      percentile(d, 99),
      STAND_IN,
      "reported",
      "ms",
    ),
    compared(
      `OpenAI chat calls/s through the gateway, ${BOUNDS.concurrency} clients`,
      gatewayRate,
      directRate,
      STAND_IN,
      ">= 0.9 x",
      "rate",
      `best of ${ROUNDS} interleaved runs of at most ${BOUNDS.count} calls or ${BOUNDS.maxMs / 1000} s each`,
    ),
  ];

  log("ledger debits on SQLite");
  const sqlite = await openSqliteLedger(path.join(work, "debits.sqlite"));
  try {
    await sqlite.migrate();
    rows.push(...(await ledgerRows(sqlite, "SQLite", 1_000_000n)));
  } finally {
    await sqlite.close();
  }
  const missing = postgresMissing();
  if (missing !== undefined) {
    rows.push(skipped("ledger debits/s (reserve + commit), PostgreSQL", missing));
    rows.push(skipped("OIP calls/s (ONNX runner), 2 gateway replicas vs 1, one PostgreSQL ledger", missing));
  } else {
    log("starting a throwaway PostgreSQL cluster on loopback");
    const postgres = await startPostgres();
    stops.push(postgres.stop);
    try {
      const ledger = await openLedger({ dataDir: work, databaseUrl: await postgres.createDatabase("bench_debits") });
      try {
        log("ledger debits on PostgreSQL");
        rows.push(...(await ledgerRows(ledger, "PostgreSQL", 1_000_000n)));
      } finally {
        await ledger.close();
      }
      log("two gateway replicas vs one on one PostgreSQL ledger");
      const databaseUrl = await postgres.createDatabase("bench_replicas");
      rows.push(
        ...(await replicaRows({ chain, rpcUrl, kek, databaseUrl, workDir: work, bounds: BOUNDS, rounds: ROUNDS })),
      );
    } finally {
      await postgres.stop();
    }
  }
  rows.push(...gasRows);
  rows.push(
    reported(
      `OIP calls/s through the gateway (built-in ONNX runner, SQLite ledger), ${BOUNDS.concurrency} clients`,
      oipRate,
      "for information",
    ),
    reported("OIP call latency p50, 1 client (ms)", percentile(o, 50), "for information"),
  );
  return rows;
}

try {
  const rows = await main();
  writeFileSync(path.join(dir, "inference-rows.json"), `${JSON.stringify(rows, null, 2)}\n`);
  log("inference rows written");
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
process.exit(0);
