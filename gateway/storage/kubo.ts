/**
 * The content store of an existing IPFS node (Kubo) or a pinning service that speaks Kubo's HTTP RPC, through
 * `kubo-rpc-client`, chosen when `IPFS_API_URL` is set. Files are added with the embedded store's parameters
 * (CIDv1, raw leaves, 1 MiB fixed chunks) and pinned; reads use `cat` with offset/length and `files/stat`.
 *
 * CIDs equal the embedded store's for files up to 174 MiB. Above that, Kubo's default DAG width (174 links per
 * node) differs from ipfs-car's 1024 unless the node sets `Import.UnixFSFileMaxLinks` to 1024 (Kubo 0.35+, or the
 * `test-cid-v1-wide` profile); either way the manifest records the CID the node returned.
 */
import { create, type KuboRPCClient } from "kubo-rpc-client";

import { checkRange, IMPORT_CHUNK_SIZE, parseCid } from "./embedded.ts";
import { ContentNotFoundError, type ContentStore, holds } from "./store.ts";

/** How long a stat or `has` may look for content the node does not hold before it counts as missing. */
const LOOKUP_TIMEOUT_MS = 10_000;

/** Options of `openKuboStore`. */
export interface KuboStoreOptions {
  /** Timeout of stat and `has` look-ups in milliseconds (default 10 s). */
  lookupTimeoutMs?: number;
}

/**
 * A content store on the IPFS node whose RPC API is at `apiUrl` (e.g. `http://127.0.0.1:5001`). Nothing is sent
 * until the first call; a node that does not answer fails that call with a message naming `apiUrl`.
 */
/** Kubo's `offline` option: answer from what the node holds, never fetch from the network. */
const OFFLINE = new URLSearchParams({ offline: "true" });

export function openKuboStore(apiUrl: string, options: KuboStoreOptions = {}): ContentStore {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new Error(`IPFS_API_URL: expected an http(s) URL of an IPFS node's RPC API, got "${apiUrl}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`IPFS_API_URL: expected an http(s) URL of an IPFS node's RPC API, got "${apiUrl}"`);
  }
  const client: KuboRPCClient = create({ url });
  const timeout = options.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS;

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw explain(what, redactedUrl(apiUrl), error);
    }
  }

  async function stat(cid: string): Promise<number> {
    parseCid(cid);
    try {
      // offline: only what the node holds; never fetch an arbitrary CID from the network for an anonymous /ipfs request
      const stats = await client.files.stat(`/ipfs/${cid}`, { timeout, searchParams: OFFLINE });
      if (stats.type === "directory") throw new ContentNotFoundError(cid);
      return Number(stats.size);
    } catch (error) {
      if (error instanceof ContentNotFoundError || isMissing(error)) throw new ContentNotFoundError(cid);
      throw explain(`stat ${cid}`, redactedUrl(apiUrl), error);
    }
  }

  return {
    description: `IPFS node at ${redactedUrl(apiUrl)}`,

    async add(content) {
      // kubo-rpc-client ends the upload cleanly when its source throws: remember the failure, so a truncated
      // upload is never taken for the file.
      let failure: unknown;
      async function* guarded(): AsyncGenerator<Uint8Array> {
        try {
          if (content instanceof Uint8Array) yield content;
          else yield* content;
        } catch (error) {
          failure = error;
          throw error;
        }
      }
      const added = await call("add", () =>
        client.add(guarded(), {
          cidVersion: 1,
          rawLeaves: true,
          chunker: `size-${IMPORT_CHUNK_SIZE}`,
          pin: true,
        }),
      ).catch((error: unknown) => {
        throw failure ?? error;
      });
      if (failure !== undefined) throw failure;
      return added.cid.toString();
    },

    async *cat(cid, options = {}) {
      const size = await stat(cid);
      const offset = options.offset ?? 0;
      checkRange(cid, size, offset, options.length);
      const length = options.length ?? size - offset;
      if (length === 0) return;
      try {
        yield* client.cat(cid, { offset, length, searchParams: OFFLINE });
      } catch (error) {
        if (isMissing(error)) throw new ContentNotFoundError(cid);
        throw explain(`cat ${cid}`, redactedUrl(apiUrl), error);
      }
    },

    size: stat,

    has: (cid) => holds(stat, cid),

    async close() {
      // kubo-rpc-client keeps no connection that needs closing.
    },
  };
}

/** Whether a node's error means the content is not there (or could not be found in time). */
function isMissing(error: unknown): boolean {
  const message = (error as Error | null)?.message ?? "";
  const name = (error as Error | null)?.name ?? "";
  return (
    name === "TimeoutError" ||
    /not found|no link named|context deadline exceeded|could not resolve|not a file|invalid path/i.test(message)
  );
}

function explain(what: string, apiUrl: string, error: unknown): Error {
  const message = (error as Error | null)?.message ?? String(error);
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
  if (cause === "ECONNREFUSED" || /fetch failed|ECONNREFUSED/.test(message)) {
    return new Error(`IPFS node at ${apiUrl} does not answer (${what}); check IPFS_API_URL`, { cause: error });
  }
  return new Error(`IPFS node at ${apiUrl}: ${what} failed: ${message}`, { cause: error });
}

/** `url` without credentials or query (an IPFS_API_URL may carry a pinning service's key), for logs and errors. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}
