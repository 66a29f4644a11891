/**
 * The gateway process: `startGateway(config)` connects to the chain (`--rpc-url`), reads the deployment record, opens
 * the store and catalogue under the data directory, builds the gateway and listens; `runGatewayUntilSignal` keeps it
 * running until SIGINT/SIGTERM and then shuts down gracefully (stop accepting, let downloads finish for up to 10 s,
 * cut the rest cleanly) and exits 0. Logs are JSON lines (pino, through fastify) without tokens or keys.
 *
 * Run directly: `node gateway/server/main.ts --rpc-url http://127.0.0.1:8545 [--port 8484] ...` with
 * WEIGHTSHARE_GATEWAY_KEK set; or through `npx hardhat ws gateway` / `npm run gateway` (local chain).
 */
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { JsonRpcProvider, Network } from "ethers";
import type { FastifyInstance } from "fastify";

import { readDeployment, recordedDeploymentPath, type Deployment } from "../../client/deployment.ts";
import { openCatalogue } from "../catalogue.ts";
import { prepareInference, type InferenceProcess } from "../inference/process.ts";
import { openStore } from "../storage/open.ts";
import type { ChainProvider } from "./access.ts";
import { buildGateway, closeGateway, gatewayContext } from "./app.ts";
import { ConfigError, loadConfig, type GatewayConfig } from "./config.ts";

/** How long shutdown lets downloads in flight finish before cutting them. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** A listening gateway. */
export interface RunningGateway {
  app: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:8484 (what HF_ENDPOINT is set to). */
  url: string;
  domain: string;
  chainId: bigint;
  /** Graceful shutdown; resolves when everything is closed. */
  stop(graceMs?: number): Promise<void>;
}

/** What a caller (the `ws gateway` task) may provide instead of `--rpc-url` and the deployment file. */
export interface StartOverrides {
  provider?: ChainProvider;
  deployment?: Deployment;
  /** Project root for the default deployment record (default: the current directory). */
  root?: string;
  /** fastify logger option (default: JSON at LOG_LEVEL or info). */
  logger?: boolean | Record<string, unknown>;
}

/** The chain at `url`: its id from one `eth_chainId` call (5 s), then a provider pinned to that network. */
async function connectRpc(url: string): Promise<JsonRpcProvider> {
  let chainId: bigint;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(5000),
    });
    chainId = BigInt(((await response.json()) as { result: string }).result);
  } catch {
    throw new ConfigError(`--rpc-url: no Ethereum JSON-RPC node answers eth_chainId at ${url}`);
  }
  const network = Network.from(chainId);
  return new JsonRpcProvider(url, network, { staticNetwork: network });
}

/** A free TCP port on `host` (for `--port 0` when the SIWE domain must name the port). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a gateway from `config`; see the module comment. */
export async function startGateway(config: GatewayConfig, overrides: StartOverrides = {}): Promise<RunningGateway> {
  let provider = overrides.provider;
  let ownProvider: JsonRpcProvider | undefined;
  if (provider === undefined) {
    if (config.rpcUrl === undefined)
      throw new ConfigError("--rpc-url / WEIGHTSHARE_RPC_URL: expected the chain's RPC URL");
    provider = ownProvider = await connectRpc(config.rpcUrl);
  }
  const chainId = (await provider.getNetwork()).chainId;
  const deployment =
    overrides.deployment ?? readDeployment(config.deployment ?? recordedDeploymentPath(chainId, overrides.root));
  const port = config.port === 0 && config.domain === undefined ? await freePort(config.host) : config.port;
  const domain = config.domain ?? `${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  const store = await openStore({ dataDir: config.dataDir, ipfsApiUrl: config.ipfsApiUrl ?? "" });
  let app: FastifyInstance;
  let inference: InferenceProcess | undefined;
  try {
    if (config.inference !== undefined)
      inference = await prepareInference(config.inference, config.dataDir, provider, deployment);
    app = await buildGateway({
      provider,
      deployment,
      store,
      catalogue: openCatalogue(config.dataDir),
      kek: config.kek,
      tokenSecret: config.tokenSecret,
      domain,
      tokenTtl: config.tokenTtl,
      rateLimit: config.rateLimit,
      blockPollMs: config.blockPollMs,
      trustProxy: config.trustProxy,
      maxDownloadsPerClient: config.maxDownloads,
      corsOrigins: config.corsOrigins,
      maxPublishBytes: config.maxPublishBytes,
      logger: overrides.logger ?? { level: process.env.LOG_LEVEL ?? "info" },
      ...(inference !== undefined ? { inference: inference.options } : {}),
    });
    await app.listen({ host: config.host, port });
    inference?.startSettler(app, gatewayContext(app).metrics.registry);
  } catch (error) {
    await inference?.stop();
    await store.close();
    ownProvider?.destroy();
    throw error;
  }
  const address = app.server.address() as { port: number };
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
  app.log.info(
    {
      url,
      domain,
      chainId: chainId.toString(),
      store: store.description,
      ...(inference !== undefined
        ? { ledger: inference.ledger.kind, operator: await inference.options.operator.getAddress() }
        : {}),
    },
    "gateway listening",
  );
  return {
    app,
    url,
    domain,
    chainId,
    async stop(graceMs = SHUTDOWN_GRACE_MS) {
      const cut = await closeGateway(app, graceMs);
      await inference?.stop();
      app.log.info({ streamsCut: cut }, "gateway stopped");
      await store.close();
      ownProvider?.destroy();
    },
  };
}

/** Runs `gateway` until SIGINT or SIGTERM, then stops it gracefully (a second signal cuts streams at once). */
export function runUntilSignal(gateway: RunningGateway): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        gateway.app.log.warn({ signal }, "second signal: cutting downloads now");
        gatewayContext(gateway.app).streams.cutAll("shutdown");
        return;
      }
      stopping = true;
      gateway.app.log.info({ signal }, "shutting down: no new connections, downloads finish or are cut");
      gateway.stop().then(done, (error) => {
        gateway.app.log.error({ err: error }, "shutdown failed");
        done();
      });
    };
    const done = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** The process entry: flags and environment, start, run until a signal, exit 0 (1 with one line on bad config). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(loadConfig(argv));
  } catch (error) {
    console.error(`error: ${(error as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
  await runUntilSignal(gateway);
  process.exit(0);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
