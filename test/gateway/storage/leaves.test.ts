/**
 * Direct range reads of UnixFS files (gateway/storage/leaves.ts): equal to the UnixFS exporter on multi-level DAGs
 * for every range shape, each leaf of a range read once and only once per read, and files of another shape (dag-pb leaves
 * with inline data) refused by the reader and still served by the embedded store through the exporter.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { unixfs } from "@helia/unixfs";
import { expect } from "chai";
import { FsBlockstore } from "blockstore-fs";
import { importer } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import type { CID } from "multiformats/cid";

import { openEmbeddedStore } from "../../../gateway/storage/embedded.js";
import { LeafReader, UnsupportedLayoutError } from "../../../gateway/storage/leaves.js";
import { collect, pattern } from "./helpers.js";

async function importInto(blockstore: FsBlockstore, bytes: Buffer, rawLeaves: boolean): Promise<CID> {
  let cid: CID | undefined;
  for await (const entry of importer([{ content: bytes }], blockstore, {
    cidVersion: 1,
    rawLeaves,
    chunker: fixedSize({ chunkSize: 1000 }),
    layout: balanced({ maxChildrenPerNode: 4 }), // 37 leaves -> three levels of dag-pb nodes
  })) {
    cid = entry.cid;
  }
  return cid!;
}

describe("gateway/storage/leaves: direct range reads", function () {
  let dir: string;
  let blockstore: FsBlockstore;
  const bytes = pattern(36_500);

  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-leaves-"));
    blockstore = new FsBlockstore(dir, { createIfMissing: true });
    await blockstore.open();
  });
  afterEach(async function () {
    await blockstore.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the leaves of a three-level DAG in order, with the file's size", async function () {
    const cid = await importInto(blockstore, bytes, true);
    const { size, leaves } = await new LeafReader(blockstore).layout(cid);
    expect(size).to.equal(bytes.length);
    expect(leaves.length).to.equal(37);
    expect(leaves.map((l) => l.offset)).to.deep.equal(leaves.map((_, i) => i * 1000));
  });

  it("reads every range shape exactly as the UnixFS exporter does", async function () {
    const cid = await importInto(blockstore, bytes, true);
    const reader = new LeafReader(blockstore);
    const fs = unixfs({ blockstore });
    const ranges = [
      [0, bytes.length],
      [0, 1],
      [999, 2],
      [1000, 1000],
      [1500, 20_000],
      [bytes.length - 1, 1],
      [35_999, 501],
      [12_345, 0],
    ];
    for (const [offset, length] of ranges) {
      const direct = await collect(reader.read(cid, offset, length));
      const exported = length === 0 ? Buffer.alloc(0) : await collect(fs.cat(cid, { offset, length }));
      expect(direct.equals(bytes.subarray(offset, offset + length)), `${offset}+${length}`).to.equal(true);
      expect(direct.equals(exported), `${offset}+${length} as the exporter`).to.equal(true);
    }
  });

  it("reads each leaf of a range once per read, never from a cache of an earlier read", async function () {
    const cid = await importInto(blockstore, bytes, true);
    let gets = 0;
    const counting = {
      get: (c: CID) => {
        gets++;
        return blockstore.get(c);
      },
    };
    const reader = new LeafReader(counting);
    await reader.layout(cid);
    const afterWalk = gets;
    await collect(reader.read(cid, 500, 20_000)); // leaves 0..20
    expect(gets - afterWalk).to.equal(21);
    await collect(reader.read(cid, 500, 20_000));
    expect(gets - afterWalk).to.equal(42);
  });

  it("refuses a file with inline leaf data, which the embedded store then serves through the exporter", async function () {
    const cid = await importInto(blockstore, bytes, false);
    let refused: unknown;
    try {
      await new LeafReader(blockstore).layout(cid);
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(UnsupportedLayoutError);
    await blockstore.close();
    const store = await openEmbeddedStore(dir);
    try {
      expect(await store.size(cid.toString())).to.equal(bytes.length);
      const got = await collect(store.cat(cid.toString(), { offset: 1500, length: 20_000 }));
      expect(got.equals(bytes.subarray(1500, 21_500))).to.equal(true);
    } finally {
      await store.close();
      await blockstore.open();
    }
  });
});
