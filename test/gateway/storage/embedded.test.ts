/**
 * The embedded content store (issue #12, gateway/storage/embedded.ts): known CIDs, the same CID as the importer
 * used directly with the documented parameters, ranges that read only what they need, missing content.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { FsBlockstore } from "blockstore-fs";
import { importer } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";

import { openEmbeddedStore } from "../../../gateway/storage/embedded.js";
import { ContentNotFoundError, type ContentStore } from "../../../gateway/storage/store.js";
import { collect } from "./helpers.js";

/** Deterministic bytes: byte i is i mod 251. */
function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = i % 251;
  return bytes;
}

/** The CID ipfs-unixfs-importer gives with ipfs-car's parameters, computed without our store. */
async function referenceCid(bytes: Uint8Array, dir: string): Promise<string> {
  const blockstore = new FsBlockstore(dir);
  await blockstore.open();
  let cid = "";
  for await (const entry of importer([{ content: bytes }], blockstore, {
    cidVersion: 1,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize: 1024 * 1024 }),
    layout: balanced({ maxChildrenPerNode: 1024 }),
  })) {
    cid = entry.cid.toString();
  }
  await blockstore.close();
  return cid;
}

describe("gateway/storage/embedded", function () {
  let dir: string;
  let store: ContentStore;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-embedded-"));
    store = await openEmbeddedStore(path.join(dir, "blocks"));
  });

  afterEach(async function () {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the well-known CIDv1 (raw) of a small input", async function () {
    // `ipfs add --cid-version 1 --raw-leaves` of the 5 bytes "hello" (and `ipfs-car pack --no-wrap`).
    expect(await store.add(Buffer.from("hello"))).to.equal(
      "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
    );
    expect(await store.add(new Uint8Array(0))).to.equal("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  });

  it("gives the importer's own CID for a multi-chunk file, streamed in pieces or added at once", async function () {
    const bytes = pattern(3 * 1024 * 1024 + 77);
    const expected = await referenceCid(bytes, path.join(dir, "reference"));
    expect(expected.startsWith("bafybei")).to.equal(true);
    async function* pieces(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 300_001) yield bytes.subarray(at, at + 300_001);
    }
    expect(await store.add(pieces())).to.equal(expected);
    expect(await store.add(bytes)).to.equal(expected);
    expect(await store.size(expected)).to.equal(bytes.length);
    expect(await store.has(expected)).to.equal(true);
  });

  it("gives the same CID in a second store on another directory, which reads it back after reopening", async function () {
    const bytes = pattern(1024 * 1024 + 1);
    const cid = await store.add(bytes);
    const other = await openEmbeddedStore(path.join(dir, "other"));
    try {
      expect(await other.add(bytes)).to.equal(cid);
    } finally {
      await other.close();
    }
    await store.close();
    store = await openEmbeddedStore(path.join(dir, "blocks"));
    expect((await collect(store.cat(cid))).equals(bytes)).to.equal(true);
  });

  it("streams ranges: inside a chunk, across chunk boundaries, to the end, and empty", async function () {
    const bytes = pattern(3 * 1024 * 1024 + 5);
    const cid = await store.add(bytes);
    const ranges: Array<[number, number]> = [
      [0, 10],
      [1024 * 1024 - 3, 6],
      [5, 2 * 1024 * 1024 + 7],
      [3 * 1024 * 1024, 5],
      [bytes.length, 0],
    ];
    for (const [offset, length] of ranges) {
      const got = await collect(store.cat(cid, { offset, length }));
      expect(got.equals(bytes.subarray(offset, offset + length)), `${offset}+${length}`).to.equal(true);
    }
    expect((await collect(store.cat(cid, { offset: 3 * 1024 * 1024 }))).length).to.equal(5);
  });

  it("reads only the blocks a range spans: a range elsewhere still reads with the first leaf block deleted", async function () {
    const bytes = pattern(3 * 1024 * 1024);
    const cid = await store.add(bytes);
    const firstLeaf = await referenceCid(bytes.subarray(0, 1024 * 1024), path.join(dir, "leaf"));
    await store.close();
    const blockstore = new FsBlockstore(path.join(dir, "blocks"));
    await blockstore.open();
    await blockstore.delete(CID.parse(firstLeaf));
    await blockstore.close();
    store = await openEmbeddedStore(path.join(dir, "blocks"));
    const offset = 2 * 1024 * 1024 + 100;
    const got = await collect(store.cat(cid, { offset, length: 1000 }));
    expect(got.equals(bytes.subarray(offset, offset + 1000))).to.equal(true);
    await expectRejection(collect(store.cat(cid, { offset: 10, length: 10 })), ContentNotFoundError, cid);
  });

  it("refuses a range outside the file, naming it", async function () {
    const cid = await store.add(pattern(100));
    await expectRejection(collect(store.cat(cid, { offset: 101 })), RangeError, "offset 101");
    await expectRejection(collect(store.cat(cid, { offset: 90, length: 11 })), RangeError, "length 11");
  });

  it("reports missing content as ContentNotFoundError naming the CID", async function () {
    const missing = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    expect(await store.has(missing)).to.equal(false);
    await expectRejection(store.size(missing), ContentNotFoundError, missing);
    await expectRejection(collect(store.cat(missing)), ContentNotFoundError, missing);
    await expectRejection(store.size("not-a-cid"), ContentNotFoundError, "not-a-cid");
  });
});

async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error, text: string) {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as Error).message).to.contain(text);
    return;
  }
  expect.fail(`expected a ${type.name}`);
}
