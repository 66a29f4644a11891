/**
 * Chooses the content store: the IPFS node at `ipfsApiUrl` (environment `IPFS_API_URL`) when one is named, else the
 * embedded blockstore under `<dataDir>/blocks` (nothing to install, no networking).
 */
import path from "node:path";

import { openEmbeddedStore } from "./embedded.ts";
import type { ContentStore } from "./store.ts";

/** Name of the environment variable naming an IPFS node's RPC API. */
export const IPFS_API_URL_VARIABLE = "IPFS_API_URL";

/** Where the store lives. */
export interface StoreOptions {
  /** The gateway's data directory (the embedded store uses `<dataDir>/blocks`). */
  dataDir: string;
  /** An IPFS node's RPC API URL; default: `process.env.IPFS_API_URL`; "" or unset: the embedded store. */
  ipfsApiUrl?: string;
}

/** Opens the store `options` describe; see the module comment. */
export async function openStore(options: StoreOptions): Promise<ContentStore> {
  const url = (options.ipfsApiUrl ?? process.env[IPFS_API_URL_VARIABLE] ?? "").trim();
  // Loaded only when used: the Kubo RPC client costs a gateway ~45 MiB of memory at rest.
  if (url !== "") return (await import("./kubo.ts")).openKuboStore(url);
  return openEmbeddedStore(path.join(options.dataDir, "blocks"));
}

/** Name of the environment variable naming the gateway's data directory. */
export const DATA_DIR_VARIABLE = "WEIGHTSHARE_DATA_DIR";
/** The data directory when neither an option nor `WEIGHTSHARE_DATA_DIR` names one (relative to the working dir). */
export const DEFAULT_DATA_DIR = "gateway-data";

/** The data directory: `option` when non-empty, else `WEIGHTSHARE_DATA_DIR`, else `gateway-data`, resolved. */
export function dataDirFrom(option = ""): string {
  const chosen = option.trim() || process.env[DATA_DIR_VARIABLE]?.trim() || DEFAULT_DATA_DIR;
  return path.resolve(chosen);
}
