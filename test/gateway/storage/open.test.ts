/**
 * Choosing the content store (issue #12, gateway/storage/open.ts): embedded under <dataDir>/blocks by default, the
 * IPFS node when a URL (or IPFS_API_URL) names one; here a Kubo RPC stand-in, not a real Kubo.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { openStore } from "../../../gateway/storage/open.js";
import { startKuboStandIn } from "../../helpers/kubo-rpc-standin.js";

describe("gateway/storage/open (IPFS node case against a Kubo RPC stand-in)", function () {
  let dir: string;
  const saved = process.env.IPFS_API_URL;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-open-"));
    delete process.env.IPFS_API_URL;
  });

  afterEach(async function () {
    if (saved === undefined) delete process.env.IPFS_API_URL;
    else process.env.IPFS_API_URL = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it("opens the embedded store under <dataDir>/blocks when no IPFS node is named", async function () {
    const store = await openStore({ dataDir: dir, ipfsApiUrl: "" });
    try {
      expect(store.description).to.equal(`embedded IPFS blockstore at ${path.join(dir, "blocks")}`);
      await store.add(Buffer.from("x"));
      expect((await stat(path.join(dir, "blocks"))).isDirectory()).to.equal(true);
    } finally {
      await store.close();
    }
  });

  it("uses the IPFS node named by the option or by IPFS_API_URL", async function () {
    const standIn = await startKuboStandIn(path.join(dir, "kubo"));
    try {
      const byOption = await openStore({ dataDir: dir, ipfsApiUrl: standIn.url });
      expect(byOption.description).to.equal(`IPFS node at ${standIn.url}`);
      process.env.IPFS_API_URL = standIn.url;
      const byEnv = await openStore({ dataDir: dir });
      const cid = await byEnv.add(Buffer.from("hello"));
      expect(await standIn.store.has(cid)).to.equal(true);
      await byOption.close();
      await byEnv.close();
    } finally {
      await standIn.close();
    }
  });
});
