/**
 * `npm run bench:gateway`: the gateway measured side by side with the plain path, in one run on this machine.
 *
 *   1. a `hardhat node` on 127.0.0.1 (child), then `setup.ts` against it: protocol, model, licence, model files of
 *      BENCH_SIZES_MIB (default 256 and 1024 MiB) published into the embedded IPFS store (publish MiB/s);
 *   2. the gateway (`gateway/server/main.ts`, child), Node's own static path (`static-server.ts`, child) and Debian's
 *      nginx (child, when installed) serving the same bytes;
 *   3. licensed download throughput (best of 3 interleaved rounds, one client) vs plain Node and nginx; peak RSS of the gateway process
 *      serving each file to 8 concurrent clients; time to first byte of 50 concurrent clients (signed in already);
 *   4. metered inference (`bench-gateway/inference.ts`, a `hardhat run` child on the same chain; BENCH_INFERENCE=0
 *      leaves it out): gateway vs a stand-in upstream called directly, ledger debits on SQLite and PostgreSQL, two
 *      replicas vs one, settlement gas per licence, and the built-in ONNX runner.
 *
 * Prints two tables and writes bench/gateway.json. Loopback only, bounded counts, every child stopped by its own pid.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { HDNodeWallet, JsonRpcProvider } from "ethers";

import { signIn } from "../gateway/client/sign-in.ts";
import { fetchOnce, percentile, run, throughputs } from "./bench-gateway/load.ts";
import { peakRss, rssOf } from "./bench-gateway/rss.ts";
import { freePort } from "../gateway/server/main.ts";
import { printInferenceRows, type InferenceRow } from "./bench-gateway/rows.ts";
import { runToExit, startChild, startNginx, startStaticNode, type Running } from "./bench-gateway/servers.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const sizes = (process.env.BENCH_SIZES_MIB ?? "256,1024").split(",").map(Number);
const ROUNDS = 3;
const CONCURRENT = 8;
const TTFB_CLIENTS = 50;
const TTFB_REQUESTS = 500;
/** Hardhat's default account #6 (the licensee setup.ts buys for), from Hardhat's public test mnemonic. */
const LICENSEE_KEY_PATH = "m/44'/60'/0'/0/6";
const TEST_MNEMONIC = "test test test test test test test test test test test junk";

const hardhatCli = path.join(root, "node_modules/hardhat/dist/src/cli.js");
const work = mkdtempSync(path.join(tmpdir(), "ws-bench-gateway-"));
const kek = randomBytes(32).toString("hex");
const children: Running[] = [];
const rows: { metric: string; gateway: number; plainNode?: number; nginx?: number; ratio?: number; goal: string }[] =
  [];
const inferenceRows: InferenceRow[] = [];

async function main(): Promise<void> {
  const chainPort = await freePort();
  const rpcUrl = `http://127.0.0.1:${chainPort}`;
  const record = path.join(work, "localhost.json");
  const node = await startChild(
    process.execPath,
    [path.join(root, "scripts/node.ts"), "--port", String(chainPort)],
    /Started HTTP and WebSocket JSON-RPC server/,
    { ...process.env, WEIGHTSHARE_LOCALHOST_RECORD: record },
  );
  children.push({ process: node.child, url: rpcUrl, stop: async () => void node.child.kill("SIGTERM") });
  console.log(`chain: hardhat node at ${rpcUrl}; setting up (deploy, licence, ${sizes.join(" + ")} MiB published)...`);

  const setupEnv = {
    ...process.env,
    WEIGHTSHARE_LOCALHOST_URL: rpcUrl,
    BENCH_DIR: work,
    BENCH_SIZES_MIB: sizes.join(","),
    WEIGHTSHARE_GATEWAY_KEK: kek,
  };
  const setupRun = await startChild(
    process.execPath,
    [hardhatCli, "run", path.join(root, "scripts/bench-gateway/setup.ts"), "--network", "localhost"],
    /published \d+ bytes/,
    setupEnv,
  );
  setupRun.child.kill("SIGTERM"); // done once it printed: its HTTP provider may keep it alive
  const setup = JSON.parse(readFileSync(path.join(work, "setup.json"), "utf8")) as {
    modelId: string;
    files: { path: string; size: number }[];
    publishMs: number;
    publishedBytes: number;
  };
  const publishMiBs = setup.publishedBytes / 2 ** 20 / (setup.publishMs / 1000);
  rows.push({ metric: "publish to the embedded IPFS store (MiB/s)", gateway: publishMiBs, goal: "reported" });

  const gatewayPort = await freePort();
  const gateway = await startChild(
    process.execPath,
    [
      ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ?? "").split(" ").filter((o) => o !== ""), // e.g. --cpu-prof
      path.join(root, "gateway/server/main.ts"),
      "--rpc-url",
      rpcUrl,
      "--deployment",
      path.join(work, "deployment.json"),
      "--data-dir",
      path.join(work, "data"),
      "--port",
      String(gatewayPort),
      "--rate-limit",
      "1000000",
      "--max-downloads", // the 50 concurrent clients all sign in as the one licensee here
      "100",
    ],
    /gateway listening/,
    { ...process.env, WEIGHTSHARE_GATEWAY_KEK: kek, LOG_LEVEL: "info" },
  );
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  children.push({ process: gateway.child, url: gatewayUrl, stop: async () => void gateway.child.kill("SIGTERM") });
  const provider = new JsonRpcProvider(rpcUrl);
  const licensee = HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, LICENSEE_KEY_PATH).connect(provider);
  const session = await signIn(gatewayUrl, licensee);
  console.log(`gateway: ${gatewayUrl}, signed in as the licensee ${session.address}; measuring...`);
  const auth = { authorization: `Bearer ${session.token}` };
  rows.push({
    metric: "gateway RSS at rest, signed in (MiB)",
    gateway: rssOf(gateway.child.pid ?? 0) / 2 ** 20,
    goal: "reported",
  });
  const repo = `weightshare/${setup.modelId}`;

  for (const file of setup.files) {
    const mib = file.size / 2 ** 20;
    const plain = await startStaticNode(path.join(work, "model", file.path));
    children.push(plain);
    const nginx = await startNginx(path.join(work, "model", file.path), work);
    if (nginx !== null) children.push(nginx);
    const gatewayFile = `${gatewayUrl}/${repo}/resolve/main/${file.path}`;

    const targets = [
      { url: gatewayFile, headers: auth },
      { url: `${plain.url}/file`, headers: {} },
      ...(nginx === null ? [] : [{ url: `${nginx.url}/file`, headers: {} }]),
    ];
    const [g, p, n] = await throughputs(targets, file.size, ROUNDS);
    rows.push({
      metric: `download ${mib} MiB, 1 client (MiB/s)`,
      gateway: g,
      plainNode: p,
      nginx: n,
      ratio: g / p,
      goal: ">= 0.8 x plain Node",
    });

    const loaded = async (url: string, headers: Record<string, string>) =>
      run(CONCURRENT, CONCURRENT, () => fetchOnce(url, headers));
    const gr = await peakRss(gateway.child.pid ?? 0, () => loaded(gatewayFile, auth));
    if (gr.result.some((s) => s.status !== 200 || s.bytes !== file.size)) throw new Error("a gateway download failed");
    const pr = await peakRss(plain.process.pid ?? 0, () => loaded(`${plain.url}/file`, {}));
    rows.push({
      metric: `peak RSS, ${mib} MiB to ${CONCURRENT} concurrent clients (MiB)`,
      gateway: gr.peak / 2 ** 20,
      plainNode: pr.peak / 2 ** 20,
      goal: "< 256 MiB, flat in file size",
    });
    await plain.stop();
    if (nginx !== null) await nginx.stop();
  }

  const first = setup.files[0];
  const ttfb = await run(TTFB_REQUESTS, TTFB_CLIENTS, () =>
    fetchOnce(`${gatewayUrl}/${repo}/resolve/main/${first.path}`, { ...auth, range: "bytes=0-65535" }),
  );
  if (ttfb.some((s) => s.status !== 206))
    throw new Error(`a ranged request failed: ${ttfb.find((s) => s.status !== 206)?.status}`);
  const ttfbMs = ttfb.map((s) => s.ttfbMs);
  rows.push({
    metric: `time to first byte, ${TTFB_CLIENTS} concurrent clients, p50 (ms)`,
    gateway: percentile(ttfbMs, 50),
    goal: "reported",
  });
  rows.push({
    metric: `time to first byte, ${TTFB_CLIENTS} concurrent clients, p99 (ms)`,
    gateway: percentile(ttfbMs, 99),
    goal: "reported",
  });

  if (process.env.BENCH_INFERENCE === "0") return;
  // The download gateway has nothing more to do: stopped, it is no load beside the next rows.
  const stopped = new Promise((resolve) => gateway.child.once("exit", resolve));
  gateway.child.kill("SIGTERM");
  await stopped;
  console.log("inference: metered-inference rows (a hardhat run child on the same chain)...");
  const script = path.join(root, "scripts/bench-gateway/inference.ts");
  await runToExit(process.execPath, [hardhatCli, "run", script, "--network", "localhost"], setupEnv, (child) =>
    children.push({ process: child, url: "", stop: async () => void child.kill("SIGTERM") }),
  );
  inferenceRows.push(...(JSON.parse(readFileSync(path.join(work, "inference-rows.json"), "utf8")) as InferenceRow[]));
}

function report(): void {
  const fmt = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(v < 10 ? 2 : 0));
  console.log("\n| metric | gateway | plain Node | nginx | gateway / plain Node | goal |\n|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.metric} | ${fmt(r.gateway)} | ${fmt(r.plainNode)} | ${fmt(r.nginx)} | ${r.ratio === undefined ? "-" : r.ratio.toFixed(2)} | ${r.goal} |`,
    );
  }
  if (inferenceRows.length > 0) printInferenceRows(inferenceRows);
  const out = path.join(root, "bench", "gateway.json");
  const all = [...rows, ...inferenceRows];
  writeFileSync(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), cores: 2, rows: all }, null, 2)}\n`);
  console.log(`\nrows written to ${path.relative(process.cwd(), out)}`);
}

try {
  await main();
  report();
} finally {
  for (const child of children.reverse()) await child.stop();
  rmSync(work, { recursive: true, force: true });
}
