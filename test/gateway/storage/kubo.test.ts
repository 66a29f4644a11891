/**
 * The Kubo RPC content store (issue #12, gateway/storage/kubo.ts) through `kubo-rpc-client`, against a loopback
 * STAND-IN for Kubo's RPC (test/helpers/kubo-rpc-standin.ts), not a real Kubo: no Kubo binary can run here. It
 * checks what the client sends (import parameters, pin, offset/length) and that CIDs equal the embedded store's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { openEmbeddedStore } from "../../../gateway/storage/embedded.js";
import { openKuboStore } from "../../../gateway/storage/kubo.js";
import { ContentNotFoundError, type ContentStore } from "../../../gateway/storage/store.js";
import { startKuboStandIn, type KuboStandIn } from "../../helpers/kubo-rpc-standin.js";
import { collect, pattern } from "./helpers.js";

describe("gateway/storage/kubo against a Kubo RPC stand-in (not a real Kubo)", function () {
  let dir: string;
  let standIn: KuboStandIn;
  let store: ContentStore;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-kubo-"));
    standIn = await startKuboStandIn(path.join(dir, "kubo-blocks"));
    store = openKuboStore(standIn.url);
  });

  afterEach(async function () {
    await store.close();
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("adds streamed content with CIDv1, raw leaves, 1 MiB chunks and pin, getting the embedded store's CID", async function () {
    const bytes = pattern(2 * 1024 * 1024 + 11);
    async function* pieces(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
    }
    const cid = await store.add(pieces());
    const embedded = await openEmbeddedStore(path.join(dir, "embedded"));
    try {
      expect(await embedded.add(bytes)).to.equal(cid);
    } finally {
      await embedded.close();
    }
    const add = standIn.seen.find((r) => r.endpoint === "add")!;
    expect(add.params).to.include({ "cid-version": "1", "raw-leaves": "true", chunker: "size-1048576", pin: "true" });
    expect(standIn.pinned.has(cid)).to.equal(true);
    expect(await store.add(Buffer.from("hello"))).to.equal(
      "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
    );
  });

  it("reads sizes and ranges with offset and length", async function () {
    const bytes = pattern(1024 * 1024 + 500);
    const cid = await store.add(bytes);
    expect(await store.size(cid)).to.equal(bytes.length);
    expect(await store.has(cid)).to.equal(true);
    expect((await collect(store.cat(cid))).equals(bytes)).to.equal(true);
    const got = await collect(store.cat(cid, { offset: 1024 * 1024 - 10, length: 30 }));
    expect(got.equals(bytes.subarray(1024 * 1024 - 10, 1024 * 1024 + 20))).to.equal(true);
    const cat = standIn.seen.filter((r) => r.endpoint === "cat").at(-1)!;
    expect(cat.params).to.include({ arg: cid, offset: String(1024 * 1024 - 10), length: "30" });
    expect(standIn.seen.some((r) => r.endpoint === "files/stat" && r.params.arg === `/ipfs/${cid}`)).to.equal(true);
  });

  it("reports missing content as ContentNotFoundError and a bad range as RangeError", async function () {
    const missing = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    expect(await store.has(missing)).to.equal(false);
    try {
      await store.size(missing);
      expect.fail("found missing content");
    } catch (error) {
      expect(error).to.be.instanceOf(ContentNotFoundError);
    }
    const cid = await store.add(pattern(10));
    try {
      await collect(store.cat(cid, { offset: 5, length: 6 }));
      expect.fail("read past the end");
    } catch (error) {
      expect(error).to.be.instanceOf(RangeError);
    }
  });

  it("fails an add whose source fails, instead of storing a truncated file", async function () {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield pattern(1000);
      throw new Error("disk read failed");
    }
    try {
      await store.add(broken());
      expect.fail("stored a truncated file");
    } catch (error) {
      expect((error as Error).message).to.equal("disk read failed");
    }
  });

  it("names IPFS_API_URL when nothing answers, and refuses a URL that is not http(s)", async function () {
    const port = Number(new URL(standIn.url).port);
    await standIn.close();
    standIn = await startKuboStandIn(path.join(dir, "again"));
    const dead = openKuboStore(`http://127.0.0.1:${port}`);
    try {
      await dead.size("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy");
      expect.fail("answered");
    } catch (error) {
      expect((error as Error).message).to.contain(`IPFS node at http://127.0.0.1:${port} does not answer`);
    }
    expect(() => openKuboStore("ftp://x")).to.throw(
      'IPFS_API_URL: expected an http(s) URL of an IPFS node\'s RPC API, got "ftp://x"',
    );
  });
});
