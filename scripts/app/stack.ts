/**
 * The whole local stack behind `npm run app`, the browser tests and the app benchmark, each part on a free loopback
 * port: a `hardhat node`; the protocol deployed and the demo story seeded into it (seed.ts through `hardhat run`);
 * the deployment record; the indexer (Ponder on a temporary PGlite directory), waited for until it has indexed the
 * chain's head; the gateway (its own data directory, KEK and token secret; CORS open to the app's origin); and the
 * built app (`app/dist`, built once when stale) served with a generated `config.json`. `stop()` stops every child by
 * its own pid and removes the temporary directory. Everything waits on readiness, never on the clock.
 *
 * Plain Node (type stripping): nothing here imports Hardhat; the seeding runs in a child.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { HDNodeWallet } from "ethers";

import type { Deployment } from "../../client/deployment.ts";
import { freePort } from "../../gateway/server/main.ts";
import { appBuildStale, appDist, buildApp } from "./build.ts";
import { checkStackOptions, type StackOptions } from "./options.ts";
import { childEnv, removeOnExit, rpc, runNode, startNode, waitUntil, type Child } from "./processes.ts";
import { ROLE_INDEX, type Role, type SeedResult } from "./roles.ts";
import { serveApp, type StaticServer } from "./static-server.ts";

export { appBuildStale, appDist, buildApp } from "./build.ts";
export { checkStackOptions, type StackOptions } from "./options.ts";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const hardhatCli = path.join(root, "node_modules", "hardhat", "dist", "src", "cli.js");

/** Hardhat's default test mnemonic: `hardhat node` funds its first 20 accounts with 10,000 ETH each. */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** A seeded account: a role in the story, its key (the test mnemonic's) and what it holds. */
export interface SeededAccount {
  address: string;
  privateKey: string;
  /** Its index among the node's accounts (m/44'/60'/0'/0/index). */
  index: number;
  holds: string;
}

/** A running stack. */
export interface Stack {
  rpcUrl: string;
  chainId: number;
  indexerUrl: string;
  gatewayUrl: string;
  appUrl: string;
  deploymentFile: string;
  deployment: Deployment;
  /** The app's config.json as served. */
  config: Record<string, unknown>;
  accounts: Record<Role, SeededAccount>;
  /** The story's other facts: models, the Active proposal, the raise, the offers. */
  seed: SeedResult;
  /** Seconds each step took (node, seed, build, indexer, gateway, total). */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** The key of the node's account `index` (the test mnemonic's m/44'/60'/0'/0/index). */
export function testAccount(index: number): { address: string; privateKey: string } {
  const wallet = HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return { address: wallet.address, privateKey: wallet.privateKey };
}

/** Starts the stack; see the module comment. On any failure, what was started is stopped before rethrowing. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const o = checkStackOptions(options);
  const started = performance.now();
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await run();
    timings[name] = Math.round(performance.now() - t) / 1000;
    o.log(`${name}: ${timings[name].toFixed(1)} s`);
    return result;
  };
  const work = mkdtempSync(path.join(tmpdir(), "ws-app-"));
  const cleanup = removeOnExit(work);
  const children: Child[] = [];
  let server: StaticServer | undefined;
  const stop = async () => {
    await server?.close();
    for (const child of [...children].reverse()) await child.stop();
    rmSync(work, { recursive: true, force: true });
    cleanup.forget();
  };
  try {
    if (o.compile) {
      await step("contracts", () => runNode("hardhat build", [hardhatCli, "build", "--quiet"], root, childEnv({})));
    }
    // The app builds while the chain starts and is seeded (it needs none of them).
    const building =
      o.build === "always" || (o.build === "auto" && appBuildStale())
        ? step("app build", buildApp)
        : Promise.resolve(void (timings["app build"] = 0));
    building.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile

    const nodePort = await freePort();
    const rpcUrl = `http://127.0.0.1:${nodePort}`;
    await step("chain", async () => {
      const node = startNode(
        "hardhat node",
        [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(nodePort)],
        root,
        childEnv({}),
      );
      children.push(node);
      await waitUntil(
        node,
        "answering JSON-RPC",
        async () => (await rpc(rpcUrl, "eth_chainId")) !== undefined,
        o.timeoutMs,
      );
    });

    // The seed writes deployment.json once the protocol is deployed: the indexer starts then, while the story plays.
    const kek = randomBytes(32).toString("hex");
    const deploymentFile = path.join(work, "deployment.json");
    const seedStarted = performance.now();
    const seeding = startNode(
      "seed (hardhat run scripts/app/seed.ts)",
      [hardhatCli, "run", "--no-compile", path.join(root, "scripts", "app", "seed.ts"), "--network", "localhost"],
      root,
      childEnv({ WEIGHTSHARE_LOCALHOST_URL: rpcUrl, WEIGHTSHARE_APP_SEED_DIR: work, WEIGHTSHARE_GATEWAY_KEK: kek }),
    );
    children.push(seeding);
    await step("deploy", () =>
      waitUntil(seeding, "deploying the protocol", async () => existsSync(deploymentFile), o.timeoutMs),
    );
    const indexerPort = await freePort();
    const indexerUrl = `http://127.0.0.1:${indexerPort}`;
    const indexer = startNode(
      "indexer",
      [path.join(root, "indexer", "main.ts")],
      root,
      childEnv({
        WEIGHTSHARE_RPC_URL: rpcUrl,
        WEIGHTSHARE_CHAIN_ID: "31337",
        WEIGHTSHARE_DEPLOYMENT: deploymentFile,
        WEIGHTSHARE_INDEXER_PORT: String(indexerPort),
        WEIGHTSHARE_INDEXER_DIR: path.join(work, "indexer"),
        WEIGHTSHARE_POLLING_MS: "200",
        WEIGHTSHARE_INDEXER_LOG_FORMAT: "json",
        PONDER_LOG_LEVEL: "warn",
      }),
    );
    children.push(indexer);
    await seeding.exit;
    if (seeding.exited() !== 0)
      throw new Error(`${seeding.name} failed (exit ${seeding.exited()}):\n${seeding.output()}`);
    timings.seed = Math.round(performance.now() - seedStarted) / 1000;
    o.log(`seed: ${timings.seed.toFixed(1)} s`);
    const seed = JSON.parse(readFileSync(path.join(work, "seed.json"), "utf8")) as SeedResult;
    const accounts = {} as Record<Role, SeededAccount>;
    for (const [role, address] of Object.entries(seed.addresses) as [Role, string][]) {
      const index = ROLE_INDEX[role];
      const account = testAccount(index);
      if (account.address !== address) {
        throw new Error(`seeded ${role} is ${address}, not the test mnemonic's account ${index} (${account.address})`);
      }
      accounts[role] = { ...account, index, holds: seed.holds[role] };
    }
    const indexed = step("indexer", () =>
      waitUntil(
        indexer,
        `indexing block ${seed.head}`,
        async () => (await indexedBlock(indexerUrl)) >= seed.head,
        o.timeoutMs,
      ),
    );
    indexed.catch(() => undefined);

    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;

    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const gateway = startNode(
      "gateway",
      [
        path.join(root, "gateway", "server", "main.ts"),
        ...["--rpc-url", rpcUrl, "--port", String(gatewayPort), "--data-dir", path.join(work, "gateway")],
        ...["--deployment", deploymentFile],
      ],
      root,
      childEnv({
        WEIGHTSHARE_GATEWAY_KEK: kek,
        WEIGHTSHARE_GATEWAY_TOKEN_SECRET: randomBytes(32).toString("hex"),
        WEIGHTSHARE_GATEWAY_CORS_ORIGINS: appUrl,
        LOG_LEVEL: "warn",
      }),
    );
    children.push(gateway);
    await step("gateway", () =>
      waitUntil(gateway, "healthy", async () => (await fetch(`${gatewayUrl}/healthz`)).ok, o.timeoutMs),
    );
    await indexed;
    await building;

    const config: Record<string, unknown> = {
      chainId: seed.chainId,
      chainName: "Local chain (hardhat node)",
      rpcUrl,
      indexerUrl,
      gatewayUrl,
      ...(o.walletConnectProjectId ? { walletConnectProjectId: o.walletConnectProjectId } : {}),
      deployment: seed.deployment,
    };
    if (!existsSync(path.join(appDist, "index.html"))) {
      throw new Error(`app/dist/index.html is missing: build the app (npm run app:build) or pass build: "auto"`);
    }
    server = await serveApp({ dir: appDist, config, port: appPort });
    timings.total = Math.round(performance.now() - started) / 1000;
    o.log(`stack ready in ${timings.total.toFixed(1)} s`);
    return {
      rpcUrl,
      chainId: seed.chainId,
      indexerUrl,
      gatewayUrl,
      appUrl,
      deploymentFile,
      deployment: seed.deployment,
      config,
      accounts,
      seed,
      timings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The block the indexer has indexed (its /status) once /ready answers 200; -1 before. */
async function indexedBlock(url: string): Promise<number> {
  const ready = await fetch(`${url}/ready`);
  if (ready.status !== 200) return -1;
  const status = (await (await fetch(`${url}/status`)).json()) as Record<string, { block: { number: number } }>;
  return Object.values(status)[0]?.block.number ?? -1;
}

let shared: Promise<Stack> | undefined;

/**
 * One stack for the whole test run, started by the first caller (later callers get the same one, whatever options
 * they pass); test/app/stack-fixture.ts stops it after the run.
 */
export function sharedStack(options: StackOptions = {}): Promise<Stack> {
  shared ??= startStack(options);
  return shared;
}

/** Stops the shared stack if one was started (a no-op otherwise, or if it failed to start). */
export async function stopSharedStack(): Promise<void> {
  const running = shared;
  shared = undefined;
  if (running === undefined) return;
  const stack = await running.catch(() => undefined);
  await stack?.stop();
}
