/**
 * The embedded content store: `@helia/unixfs` over an on-disk `blockstore-fs` blockstore. No Helia node, no
 * libp2p, no networking: blocks are files under one directory, and a block that is not there is simply missing.
 *
 * Import parameters are fixed (CIDv1, raw leaves, 1 MiB fixed-size chunks, balanced DAG of up to 1024 links per
 * node), the same as `ipfs-car pack --no-wrap`, so a file gets the CID any other tool with those parameters gives.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { UnixFS } from "@helia/unixfs";
import { FsBlockstore } from "blockstore-fs";
import { NextToLast } from "blockstore-fs/sharding";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import { LeafReader, UnsupportedLayoutError } from "./leaves.ts";
import { ContentNotFoundError, type ContentStore, holds } from "./store.ts";

/** Bytes read per exporter call in `cat`: bounds what the exporter reads ahead of the consumer. */
export const CAT_WINDOW = 4 * 1024 * 1024;
/** Plaintext-independent UnixFS chunk size used for every import (1 MiB). */
export const IMPORT_CHUNK_SIZE = 1024 * 1024;
/** Links per intermediate DAG node (the ipfs-car / Filecoin default; Kubo's historic default is 174). */
export const IMPORT_MAX_CHILDREN = 1024;

/** The importer options every store uses: CIDv1, raw leaves, 1 MiB fixed chunks, balanced 1024-wide DAG. */
export function importOptions() {
  return {
    cidVersion: 1 as const,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: IMPORT_CHUNK_SIZE }),
    layout: balanced({ maxChildrenPerNode: IMPORT_MAX_CHILDREN }),
  };
}

/** Parses a CID string, naming it when it is not one. */
export function parseCid(cid: string): CID {
  try {
    return CID.parse(cid);
  } catch {
    throw new ContentNotFoundError(cid);
  }
}

/** Whether an error from the blockstore or the exporter means "this block or file is not here". */
export function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? "";
  return ["NotFoundError", "NotAFileError", "NoContentError", "ContentNotFoundError"].includes(name);
}

/**
 * Opens (creating when missing) an embedded store whose blocks live under `dir`.
 * @param dir directory of the `blockstore-fs` blockstore, e.g. `<dataDir>/blocks`.
 */
export async function openEmbeddedStore(dir: string): Promise<ContentStore> {
  // One sharding strategy for writing (FsBlockstore) and for direct reads: a block is one file, read in one call
  // (FsBlockstore.get streams it in 64 KiB pieces, which costs more than the decryption of the chunk it holds).
  const shards = new NextToLast();
  const blockstore = new FsBlockstore(dir, { createIfMissing: true, shardingStrategy: shards });
  await blockstore.open();
  // @helia/unixfs (importer and exporter) is loaded on the first add or exporter fallback: a gateway that only
  // serves reads through LeafReader and saves the ~35 MiB it costs at rest.
  let unixfsInstance: Promise<UnixFS> | undefined;
  const fs = () => (unixfsInstance ??= import("@helia/unixfs").then(({ unixfs }) => unixfs({ blockstore })));
  const leaves = new LeafReader({
    async get(cid) {
      const { dir: shard, file } = shards.encode(cid);
      try {
        return await readFile(path.join(dir, shard, file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new ContentNotFoundError(cid.toString());
        throw error;
      }
    },
  });
  let closed = false;

  function open(): void {
    if (closed) throw new Error(`embedded IPFS blockstore at ${dir} is closed`);
  }

  async function stat(cid: string): Promise<{ cid: CID; size: number; direct: boolean }> {
    open();
    const parsed = parseCid(cid);
    try {
      return { cid: parsed, size: (await leaves.layout(parsed)).size, direct: true };
    } catch (error) {
      if (!(error instanceof UnsupportedLayoutError) && !isNotFound(error)) throw error;
    }
    try {
      const stats = await (await fs()).stat(parsed, { offline: true });
      if (stats.type === "directory") throw new ContentNotFoundError(cid);
      return { cid: parsed, size: Number(stats.size), direct: false };
    } catch (error) {
      if (isNotFound(error)) throw new ContentNotFoundError(cid);
      throw error;
    }
  }

  return {
    description: `embedded IPFS blockstore at ${dir}`,

    async add(content) {
      open();
      const source = content instanceof Uint8Array ? [content] : content;
      const cid = await (await fs()).addByteStream(source, importOptions());
      return cid.toString();
    },

    async *cat(cid, options = {}) {
      const { cid: parsed, size, direct } = await stat(cid);
      const offset = options.offset ?? 0;
      checkRange(cid, size, offset, options.length);
      const length = options.length ?? size - offset;
      if (length === 0) return;
      try {
        if (direct) {
          yield* leaves.read(parsed, offset, length);
          return;
        }
        // Other DAG shapes go through the exporter, one call per window: a single call over a whole file reads
        // blocks ahead of a slow consumer without limit (a 200 MiB file was seen held whole).
        for (let at = offset; at < offset + length; at += CAT_WINDOW) {
          const take = Math.min(CAT_WINDOW, offset + length - at);
          yield* (await fs()).cat(parsed, { offset: at, length: take, offline: true });
        }
      } catch (error) {
        if (isNotFound(error)) throw new ContentNotFoundError(cid);
        throw error;
      }
    },

    async size(cid) {
      return (await stat(cid)).size;
    },

    has: (cid) => holds(stat, cid),

    async close() {
      if (closed) return;
      closed = true;
      await blockstore.close();
    },
  };
}

/** Throws a `RangeError` naming the file when `offset`/`length` do not fall inside a file of `size` bytes. */
export function checkRange(cid: string, size: number, offset: number, length?: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > size) {
    throw new RangeError(`offset ${offset} is outside ${cid} (${size} bytes)`);
  }
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0 || offset + length > size)) {
    throw new RangeError(`length ${length} at offset ${offset} is outside ${cid} (${size} bytes)`);
  }
}
