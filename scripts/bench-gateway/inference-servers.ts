/**
 * The processes the metered-inference rows of `npm run bench:gateway` measure, each bound to 127.0.0.1 and stopped by
 * its own pid: the loopback stand-in OpenAI upstream (openai-standin-server.ts) and gateways with metered inference
 * (`gateway/server/main.ts` with the operator key), on the SQLite ledger in their data directory or on a PostgreSQL
 * ledger shared by replicas. Their settlers are held back (settle every 24 h, at 10^15 credits) so that no
 * settlement transaction runs during a measurement; settlement is measured apart (settle-gas.ts).
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { freePort } from "../../gateway/server/main.ts";
import { startChild, stopper, type Running } from "./servers.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Starts the stand-in upstream; its `url` is the OpenAI base URL (ending in /v1). */
export async function startStandInUpstream(): Promise<Running> {
  const script = fileURLToPath(new URL("./openai-standin-server.ts", import.meta.url));
  const { child, match } = await startChild(process.execPath, [script], /listening (\S+)/);
  return { process: child, url: match[1], stop: stopper(child) };
}

/** How to start one gateway with metered inference. */
export interface InferenceGatewayOptions {
  rpcUrl: string;
  deploymentFile: string;
  dataDir: string;
  kek: Buffer;
  /** The models' operator key (0x + 64 hex). */
  operatorKey: string;
  /** `<modelId>=<OpenAI base URL>`, when the gateway fronts an upstream. */
  upstream?: string;
  /** A PostgreSQL ledger shared by replicas; SQLite in `dataDir` when absent. */
  databaseUrl?: string;
  replicaId?: string;
}

/**
 * Starts a gateway (see the module comment); resolves once its `/healthz` answers 200. Its log lines go to
 * `<dataDir>.log`, as a deployed gateway's go to a file: a pipe read by the load generator would put the bench's own
 * event loop in the gateway's path.
 */
export async function startInferenceGateway(options: InferenceGatewayOptions): Promise<Running> {
  const port = await freePort();
  const args = [
    ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ?? "").split(" ").filter((o) => o !== ""), // e.g. --cpu-prof
    `${root}gateway/server/main.ts`,
    "--rpc-url",
    options.rpcUrl,
    "--deployment",
    options.deploymentFile,
    "--data-dir",
    options.dataDir,
    "--port",
    String(port),
    "--rate-limit",
    "1000000",
    "--settle-every",
    "10m",
    "--settle-credits",
    "1000000000000000",
    ...(options.upstream !== undefined ? ["--upstream", options.upstream] : []),
    ...(options.databaseUrl !== undefined ? ["--database-url", options.databaseUrl] : []),
    ...(options.replicaId !== undefined ? ["--replica-id", options.replicaId] : []),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEIGHTSHARE_GATEWAY_KEK: options.kek.toString("hex"),
    WEIGHTSHARE_OPERATOR_KEY: options.operatorKey,
    LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL; // only the flag chooses the ledger here
  const logFile = `${options.dataDir}.log`;
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", log, "pipe"] });
  closeSync(log);
  let err = "";
  child.stderr?.on("data", (part: Buffer) => (err += part.toString()));
  const url = `http://127.0.0.1:${port}`;
  const giveUpAt = Date.now() + 60_000;
  while (child.exitCode === null && child.signalCode === null) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { process: child, url, stop: stopper(child) };
    if (Date.now() > giveUpAt) break;
    await sleep(100);
  }
  await stopper(child)();
  const tail = readFileSync(logFile, "utf8").slice(-2000);
  throw new Error(
    `gateway on ${url} did not become healthy (exit ${child.exitCode ?? child.signalCode}): ${err || tail}`,
  );
}
