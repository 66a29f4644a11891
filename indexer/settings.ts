/**
 * What the indexer indexes, read from the environment (ponder.config.ts passes `process.env`): the chain's RPC URL
 * and id, the deployment record (client/deployment.ts reads it: Ignition's deployed_addresses.json or a plain JSON),
 * the first block, and the database (PGlite under a directory by default, PostgreSQL when DATABASE_URL is set).
 * A bad value is one line naming the variable and what was expected.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

import { readDeployment, recordedDeploymentPath, type Deployment } from "../client/deployment.ts";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_CHAIN_ID = 31337;
// import.meta.url, not import.meta.dirname: Ponder loads this file through vite-node, which has only the former.
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const ZERO = "0x0000000000000000000000000000000000000000";

export interface IndexerSettings {
  rpcUrl: string;
  chainId: number;
  deploymentFile: string;
  deployment: Deployment;
  startBlock: number;
  pollingInterval: number;
  /** Hardhat's and Anvil's chain id: every restart is a new chain, so Ponder's RPC cache would lie. */
  disableCache: boolean;
  database: { kind: "pglite"; directory: string } | { kind: "postgres"; connectionString: string };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`${name}: expected an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/**
 * The settings from `env`:
 * - WEIGHTSHARE_RPC_URL (default http://127.0.0.1:8545, what `npm run node` serves)
 * - WEIGHTSHARE_CHAIN_ID (default 31337)
 * - WEIGHTSHARE_DEPLOYMENT (default deploy/deployments/chain-<id>/deployed_addresses.json)
 * - WEIGHTSHARE_START_BLOCK (default 0: the block the protocol was deployed at, or earlier)
 * - WEIGHTSHARE_POLLING_MS (default 1000: how often Ponder asks for a new block)
 * - WEIGHTSHARE_INDEXER_DIR (default indexer/.ponder/pglite: PGlite's data directory)
 * - DATABASE_URL (a postgres:// URL: PostgreSQL instead of PGlite)
 */
export function indexerSettings(env: NodeJS.ProcessEnv, root: string = REPO_ROOT) {
  const rpcUrl = env.WEIGHTSHARE_RPC_URL || DEFAULT_RPC_URL;
  if (!/^(https?|wss?):\/\/\S+$/.test(rpcUrl)) {
    throw new Error(`WEIGHTSHARE_RPC_URL: expected an http(s):// or ws(s):// URL, got ${JSON.stringify(rpcUrl)}`);
  }
  const chainId = integer(env, "WEIGHTSHARE_CHAIN_ID", DEFAULT_CHAIN_ID, 1);
  const deploymentFile = path.resolve(
    root,
    env.WEIGHTSHARE_DEPLOYMENT || recordedDeploymentPath(BigInt(chainId), root),
  );
  let deployment: Deployment;
  try {
    deployment = readDeployment(deploymentFile);
  } catch (error) {
    throw new Error(`WEIGHTSHARE_DEPLOYMENT: ${(error as Error).message}`);
  }
  const databaseUrl = env.DATABASE_URL;
  let database: IndexerSettings["database"];
  if (databaseUrl !== undefined && databaseUrl !== "") {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new Error(`DATABASE_URL: expected a postgres:// or postgresql:// URL, got ${JSON.stringify(databaseUrl)}`);
    }
    database = { kind: "postgres", connectionString: databaseUrl };
  } else {
    const directory = path.resolve(root, env.WEIGHTSHARE_INDEXER_DIR || path.join("indexer", ".ponder", "pglite"));
    database = { kind: "pglite", directory };
  }
  return {
    rpcUrl,
    chainId,
    deploymentFile,
    deployment,
    startBlock: integer(env, "WEIGHTSHARE_START_BLOCK", 0, 0),
    pollingInterval: integer(env, "WEIGHTSHARE_POLLING_MS", 1000, 100),
    disableCache: chainId === 31337,
    database,
  } satisfies IndexerSettings;
}

/** The address of an optional part of the deployment, or the zero address (which emits nothing) when it has none. */
export function optionalAddress(
  deployment: Deployment,
  key: "raises" | "sales" | "lineage" | "reviewResolver" | "provenanceResolver" | "eas",
) {
  return (deployment[key] ?? ZERO) as `0x${string}`;
}

/** The provenance schema's UID (from its resolver's address), or zero when the deployment has no resolver. */
export function provenanceSchema(deployment: Deployment): `0x${string}` {
  return (deployment.provenanceSchema ?? `0x${"0".repeat(64)}`) as `0x${string}`;
}
