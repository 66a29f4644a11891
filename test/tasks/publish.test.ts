/**
 * `ws publish` (issue #12, tasks/publish.ts): publishes a model directory to the embedded store under --data-dir,
 * prints the version, manifest, metadata URI, content hash and files; `--propose` files the update-metadata
 * proposal through ws propose's code (setURI + setContentHash, executed here); bad inputs are one line and publish
 * nothing.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { openCatalogue } from "../../gateway/catalogue.js";
import { parseManifest } from "../../gateway/publish/manifest.js";
import { openEmbeddedStore } from "../../gateway/storage/embedded.js";
import { catAll, makeModelDir, readPublished } from "../gateway/publish/helpers.js";
import { proposeFixture, type ProposeFixture } from "./propose-setup.js";

const KEK_HEX = randomBytes(32).toString("hex");

describe("ws publish", function () {
  let f: ProposeFixture;
  let work: string;
  let modelDir: string;
  let dataDir: string;
  let files: Map<string, Buffer>;
  const saved = process.env.WEIGHTSHARE_GATEWAY_KEK;

  before(async function () {
    f = await proposeFixture();
  });

  beforeEach(async function () {
    work = mkdtempSync(path.join(tmpdir(), "ws-publish-task-"));
    modelDir = path.join(work, "model");
    dataDir = path.join(work, "data");
    mkdirSync(modelDir);
    files = await makeModelDir(modelDir, 300_000);
    process.env.WEIGHTSHARE_GATEWAY_KEK = KEK_HEX;
  });

  afterEach(function () {
    if (saved === undefined) delete process.env.WEIGHTSHARE_GATEWAY_KEK;
    else process.env.WEIGHTSHARE_GATEWAY_KEK = saved;
    rmSync(work, { recursive: true, force: true });
  });

  const publishTask = (args: Record<string, unknown>) =>
    f.run("publish", { modelId: "1", dir: modelDir, dataDir, ...args });

  it("publishes a model directory and prints what to propose", async function () {
    const out = f.ok(await publishTask({ chunkSize: "64KiB" }));
    expect(out).to.include({ chainId: "31337", modelId: "1", version: 1, previous: null });
    expect(out.metadataURI).to.equal(`ipfs://${out.metadataCid}`);
    expect(out.contentHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(out.files.map((x: { path: string }) => x.path)).to.deep.equal([...files.keys()].sort());
    expect(out.store).to.equal(`embedded IPFS blockstore at ${path.join(dataDir, "blocks")}`);

    const entry = (await openCatalogue(dataDir).version(31337, 1, 1))!;
    expect(entry.manifestCid).to.equal(out.manifestCid);
    const store = await openEmbeddedStore(path.join(dataDir, "blocks"));
    try {
      const manifest = parseManifest(await catAll(store, out.manifestCid));
      expect(manifest.chunkSize).to.equal(64 * 1024);
      const weights = manifest.files.find((x) => x.path === "model.safetensors")!;
      const plain = await readPublished(store, Buffer.from(KEK_HEX, "hex"), entry, weights, 64 * 1024);
      expect(plain.equals(files.get("model.safetensors")!)).to.equal(true);
    } finally {
      await store.close();
    }

    const text = await f.run("publish", { modelId: "1", dir: modelDir, dataDir, json: false });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout).to.contain("published model #1 version 2 on chain 31337");
    expect(text.stdout).to.contain(`(previous ipfs://${out.manifestCid})`);
    expect(text.stdout).to.match(/model\.safetensors +293\.0 KiB +sha256 [0-9a-f]{64}/);
    expect(text.stdout).to.contain("npx hardhat ws propose --model-id 1 --action update-metadata --uri ipfs://");
  });

  it("--propose files update-metadata (setURI + setContentHash) that sets the token URI and content hash", async function () {
    const out = f.ok(await publishTask({ propose: true, description: "Publish the tiny model" }));
    const { proposal } = out;
    expect(proposal.action).to.equal("update-metadata");
    expect(proposal.calls.map((c: { args: object }) => Object.keys(c.args))).to.deep.equal([
      ["modelId", "uri"],
      ["modelId", "contentHash"],
    ]);
    expect(proposal.calls[0].args.uri).to.equal(out.metadataURI);
    expect(proposal.calls[1].args.contentHash).to.equal(out.contentHash);

    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.time.increaseTo(BigInt(proposal.snapshot) + 1n);
    for (const signer of ["1", "2"]) {
      f.ok(await f.run("vote", { modelId: "1", proposalId: proposal.proposalId, support: "for", signer }));
    }
    await networkHelpers.time.increaseTo(BigInt(proposal.deadline) + 1n);
    const queued = f.ok(await f.run("queue", { modelId: "1", proposalId: proposal.proposalId }));
    await networkHelpers.time.increaseTo(BigInt(queued.eta));
    f.ok(await f.run("execute", { modelId: "1", proposalId: proposal.proposalId }));
    const registry = await ethers.getContractAt("ModelRegistry", f.addresses.registry);
    const shares = await ethers.getContractAt("ModelShares", f.addresses.shares);
    expect((await registry.model(1n)).contentHash).to.equal(out.contentHash);
    expect(await shares.uri(1n)).to.equal(out.metadataURI);
  });

  describe("refusals: one line, nothing published", function () {
    async function refused(args: Record<string, unknown>, message: string | RegExp): Promise<void> {
      const { ethers } = await hre.network.getOrCreate();
      const block = await ethers.provider.getBlockNumber();
      const r = await publishTask(args);
      expect([r.exitCode, r.stdout], r.stderr).to.deep.equal([1, ""]);
      expect(r.stderr.split("\n")).to.have.length(1);
      if (typeof message === "string") expect(r.stderr).to.equal(`error: ${message}`);
      else expect(r.stderr).to.match(message);
      expect(existsSync(path.join(dataDir, "catalogue")), "nothing recorded").to.equal(false);
      expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing mined");
    }

    it("refuses a missing, empty or non-directory --dir", async function () {
      const missing = path.join(work, "missing");
      await refused({ dir: missing }, `--dir: ${missing} does not exist`);
      const empty = path.join(work, "empty");
      mkdirSync(path.join(empty, ".git"), { recursive: true });
      await refused({ dir: empty }, `--dir: ${empty} has no files to publish (dotfiles and .git are skipped)`);
      const file = path.join(work, "file.bin");
      writeFileSync(file, "x");
      await refused({ dir: file }, `--dir: ${file} is not a directory`);
      await refused({ dir: "" }, "--dir: expected the model's directory (e.g. --dir ./my-model)");
    });

    it("refuses a symbolic link out of the directory", async function () {
      const { symlinkSync } = await import("node:fs");
      writeFileSync(path.join(work, "id_rsa"), "secret");
      symlinkSync(path.join(work, "id_rsa"), path.join(modelDir, "key.bin"));
      await refused({}, /^error: --dir: key\.bin is a symbolic link pointing outside the model directory/);
    });

    it("refuses a missing or malformed WEIGHTSHARE_GATEWAY_KEK, saying how to make one", async function () {
      const how = "set it in the environment or with `npx hardhat keystore set WEIGHTSHARE_GATEWAY_KEK`";
      delete process.env.WEIGHTSHARE_GATEWAY_KEK;
      await refused(
        {},
        `WEIGHTSHARE_GATEWAY_KEK is not set: expected 32 bytes as 64 hex characters or base64 (e.g. \`openssl rand -hex 32\`); ${how}`,
      );
      process.env.WEIGHTSHARE_GATEWAY_KEK = "abcd";
      await refused(
        {},
        /^error: WEIGHTSHARE_GATEWAY_KEK .*`openssl rand -hex 32`.*; set it in the environment or with/,
      );
    });

    it("refuses a bad --chunk-size, --model-id or --description without --propose", async function () {
      await refused(
        { chunkSize: "2GiB" },
        '--chunk-size: expected a size from 1 B to 256 MiB such as 1MiB or 262144, got "2GiB"',
      );
      await refused({ chunkSize: "0" }, /^error: --chunk-size: /);
      await refused({ modelId: "99" }, /^error: --model-id: expected an existing model id \(1\.\.\d+\), got 99$/);
      await refused({ description: "x" }, "--description: it describes the proposal for voters; use it with --propose");
    });
  });
});
