/**
 * Direct range reads of a UnixFS file from a blockstore, for the embedded store: the file's DAG is walked once to
 * list its leaves (CID, offset, size), cached per file, and a range then reads exactly the leaves it spans, each
 * once, as the consumer pulls, with one leaf read ahead. Leaf bytes are never cached across reads: what is on disk
 * is what is served (the gateway reads a download's whole span of chunks in one read, so no leaf is read twice).
 *
 * Why not the UnixFS exporter: its `cat` runs at about a third of the disk's speed here and reads ahead of a slow
 * consumer without bound. Files of another shape (inline data, unusual codecs) still go through the exporter.
 */
import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";

/** The one blockstore operation needed. */
export interface BlockReader {
  get(cid: CID): AsyncIterable<Uint8Array> | Promise<Uint8Array> | Uint8Array;
}

/** One leaf of a file: its block and where its bytes sit in the file. */
export interface Leaf {
  cid: CID;
  offset: number;
  size: number;
}

/** The file's shape is not one this reader handles (the caller falls back to the exporter). */
export class UnsupportedLayoutError extends Error {
  /** @param cid the file; @param reason what was unexpected. */
  constructor(cid: CID, reason: string) {
    super(`${cid.toString()}: ${reason}`);
    this.name = "UnsupportedLayoutError";
  }
}

/** Files whose leaf lists are kept. */
export const INDEXED_FILES = 256;

/** Reads ranges of files from `blocks`; see the module comment. */
export class LeafReader {
  private readonly index = new Map<string, Promise<{ size: number; leaves: Leaf[] }>>();

  private readonly blocks: BlockReader;

  /** @param blocks the blockstore */
  constructor(blocks: BlockReader) {
    this.blocks = blocks;
  }

  /** The file's size and leaves (walked once, then cached). */
  async layout(cid: CID): Promise<{ size: number; leaves: Leaf[] }> {
    const key = cid.toString();
    let entry = this.index.get(key);
    if (entry === undefined) {
      entry = this.walk(cid);
      this.index.set(key, entry);
      entry.catch(() => this.index.delete(key));
      if (this.index.size > INDEXED_FILES) this.index.delete(this.index.keys().next().value as string);
    }
    return entry;
  }

  /** Yields bytes `offset .. offset + length` of file `cid`, one leaf (or part of one) at a time. */
  async *read(cid: CID, offset: number, length: number): AsyncGenerator<Uint8Array> {
    const { leaves } = await this.layout(cid);
    const end = offset + length;
    const first = firstLeafAt(leaves, offset);
    const wanted = (i: number) => i < leaves.length && leaves[i].offset < end;
    // One leaf read ahead: the next block comes off the disk while the consumer sends this one (a cold page cache
    // otherwise stalls each 1 MiB block file in turn). At most one extra leaf is held.
    const fetch = (i: number) => {
      if (!wanted(i)) return undefined;
      const pending = this.block(leaves[i].cid);
      pending.catch(() => undefined); // a consumer that stops early never awaits it
      return pending;
    };
    let next = fetch(first);
    for (let i = first; wanted(i); i++) {
      const leaf = leaves[i];
      const bytes = await next!;
      next = fetch(i + 1);
      if (bytes.length !== leaf.size) {
        throw new UnsupportedLayoutError(
          cid,
          `leaf ${leaf.cid.toString()} holds ${bytes.length} bytes, not ${leaf.size}`,
        );
      }
      const from = Math.max(offset, leaf.offset) - leaf.offset;
      const to = Math.min(end, leaf.offset + leaf.size) - leaf.offset;
      yield bytes.subarray(from, to);
    }
  }

  private async block(cid: CID): Promise<Uint8Array> {
    const got = await this.blocks.get(cid);
    if (got instanceof Uint8Array) return got;
    const parts: Uint8Array[] = [];
    for await (const part of got) parts.push(part);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  private async walk(root: CID): Promise<{ size: number; leaves: Leaf[] }> {
    const leaves: Leaf[] = [];
    let offset = 0;
    const visit = async (cid: CID, depth: number): Promise<void> => {
      if (cid.code !== dagPb.code || depth > 8) throw new UnsupportedLayoutError(root, "not a dag-pb file DAG");
      const node = dagPb.decode(await this.block(cid));
      const data = node.Data === undefined ? undefined : UnixFS.unmarshal(node.Data);
      if (data === undefined || (data.type !== "file" && data.type !== "raw")) {
        throw new UnsupportedLayoutError(root, "not a UnixFS file");
      }
      if (data.data !== undefined && data.data.length > 0) throw new UnsupportedLayoutError(root, "inline file data");
      if (node.Links.length !== data.blockSizes.length)
        throw new UnsupportedLayoutError(root, "links and sizes differ");
      for (let i = 0; i < node.Links.length; i++) {
        const child = node.Links[i].Hash;
        const size = Number(data.blockSizes[i]);
        if (child.code === raw.code) {
          leaves.push({ cid: child, offset, size });
          offset += size;
        } else {
          const before = offset;
          await visit(child, depth + 1);
          if (offset - before !== size)
            throw new UnsupportedLayoutError(root, "a subtree's size differs from its link");
        }
      }
    };
    if (root.code === raw.code) {
      const size = (await this.block(root)).length; // a single-leaf file is its own raw block
      return { size, leaves: [{ cid: root, offset: 0, size }] };
    }
    await visit(root, 0);
    return { size: offset, leaves };
  }
}

/** Index of the leaf holding byte `offset` (binary search; `leaves.length` past the end). */
function firstLeafAt(leaves: Leaf[], offset: number): number {
  let lo = 0;
  let hi = leaves.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (leaves[mid].offset + leaves[mid].size <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
