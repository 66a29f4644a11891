/**
 * `ws fetch-model` (issue #12) against the in-process gateway on the tasks' shared simulated chain: a licensee's
 * Hardhat signer (no private key exposed) fetches the model through an ephemeral key-release key and gets identical
 * files, printed with their sizes and "sha256 verified"; refusals are one line naming the option (a non-licensee's
 * names `ws buy --model-id N`).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import type { GatewayWorld } from "../gateway/server/fixture.js";
import { TAG_LENGTH } from "../../gateway/encryption/chunks.js";
import { CHUNK_SIZE } from "../gateway/server/fixture.js";
import { clientWorld, contentOf, overwriteBlock } from "../gateway/client/world.js";
import { freePort } from "./cli.js";
import { runTask } from "./helpers.js";
import { deploymentOf, timelockSigner } from "../helpers/fixtures.js";

const connection = await hre.network.getOrCreate();

describe("ws fetch-model", function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let out: string;
  let licensee: string;
  let outsider: string;

  before(async function () {
    world = await clientWorld(connection);
    const accounts = (await connection.ethers.getSigners()).map((s) => s.address);
    licensee = String(accounts.indexOf(world.licensee.address));
    outsider = String(accounts.indexOf(world.outsider.address));
  });
  beforeEach(async function () {
    out = await mkdtemp(path.join(tmpdir(), "ws-fetch-model-"));
  });
  afterEach(async function () {
    await rm(out, { recursive: true, force: true });
  });
  after(async function () {
    await world?.close();
  });

  function fetchArgs(overrides: Record<string, unknown> = {}) {
    return {
      modelId: String(world.modelId),
      gateway: world.url,
      out,
      revision: "",
      ipfsGateway: "",
      deployment: "",
      signer: licensee,
      json: false,
      ...overrides,
    };
  }

  async function refused(overrides: Record<string, unknown>): Promise<string> {
    const r = await runTask(hre, "fetch-model", fetchArgs(overrides));
    expect([r.exitCode, r.stdout], r.stderr).to.deep.equal([1, ""]);
    expect(r.stderr.split("\n")).to.have.length(1);
    return r.stderr;
  }

  it("fetches, decrypts and verifies every file as the licensee's Hardhat signer", async function () {
    const r = await runTask(hre, "fetch-model", fetchArgs());
    expect(r.exitCode, r.stderr).to.equal(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).to.equal(
      `weightshare/${world.modelId} version 1 (commit ${world.published.commit}), ${world.files.size} files, ` +
        `${lines[0].match(/, ([\d.]+ KiB), as/)![1]}, as ${world.licensee.address}, into ${out}:`,
    );
    expect(lines.slice(1, -1)).to.deep.equal(
      [...world.files.keys()].sort().map((name) => {
        const size = world.files.get(name)!.length;
        return `  ${name}  ${size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} KiB`}  sha256 verified`;
      }),
    );
    expect(lines.at(-1)).to.equal(`done: ${world.files.size} files verified`);
    for (const [name, bytes] of world.files) expect(await readFile(path.join(out, name)), name).to.deep.equal(bytes);
  });

  it("prints JSON with --json, by revision v1", async function () {
    const r = await runTask(hre, "fetch-model", fetchArgs({ revision: "v1", json: true }));
    expect(r.exitCode, r.stderr).to.equal(0);
    const data = JSON.parse(r.stdout) as {
      version: number;
      commit: string;
      account: string;
      files: { path: string; sha256: string }[];
    };
    expect(data).to.include({ version: 1, commit: world.published.commit, account: world.licensee.address });
    expect(data.files.map((f) => f.sha256)).to.deep.equal(world.published.files.map((f) => f.sha256));
  });

  it("reads ciphertext from an IPFS HTTP gateway with --ipfs-gateway", async function () {
    const r = await runTask(hre, "fetch-model", fetchArgs({ ipfsGateway: world.url, json: true }));
    expect(r.exitCode, r.stderr).to.equal(0);
    expect((JSON.parse(r.stdout) as { source: string }).source).to.equal(`IPFS over HTTP at ${world.url}/`);
    for (const [name, bytes] of world.files) expect(await readFile(path.join(out, name)), name).to.deep.equal(bytes);
  });

  it("refuses a tampered chunk in one line naming the source, the file and the chunk, leaving no file", async function () {
    const weights = world.published.files.find((f) => f.path === "model.safetensors")!;
    const tampered = await contentOf(world.store, weights.cid);
    tampered[CHUNK_SIZE + TAG_LENGTH] ^= 0x80; // first byte of chunk 1
    const restore = await overwriteBlock(world, weights.cid, tampered);
    try {
      // Progress printed before the failure stays on stdout: the header and the files verified before it.
      const r = await runTask(hre, "fetch-model", fetchArgs());
      expect(r.exitCode).to.equal(1);
      expect(r.stdout.split("\n").filter((l) => l.includes("model.safetensors"))).to.deep.equal([]);
      expect(r.stderr.split("\n")).to.have.length(1);
      expect(r.stderr).to.match(
        /^error: --gateway: model\.safetensors: chunk 1 failed authentication: .*; nothing was written for it$/,
      );
      const left = (await readdir(out, { recursive: true })).map(String);
      expect(left.filter((f) => f.includes("model.safetensors"))).to.deep.equal([]);
    } finally {
      await restore();
    }
  });

  it("refuses a non-licensee in one line naming ws buy, and writes nothing", async function () {
    const line = await refused({ signer: outsider });
    expect(line).to.equal(
      `error: --model-id: ${world.outsider.address} has no live licence (or fractions) of model #${world.modelId}: ` +
        `buy one with \`ws buy --model-id ${world.modelId} --offer-id <id>\` (or renew a lapsed one with ` +
        "`ws renew --licence-id <id>`)",
    );
    expect(await readdir(out)).to.deep.equal([]);
  });

  it("checks main against the chain's content hash when the deployment is known, and refuses another version", async function () {
    const file = path.join(out, "..", `ws-fetch-model-deployment-${process.pid}.json`);
    const p = world.protocol;
    await writeFile(file, JSON.stringify(await deploymentOf(p)));
    try {
      const ok = await runTask(hre, "fetch-model", fetchArgs({ deployment: file }));
      expect(ok.exitCode, ok.stderr).to.equal(0);
      expect(ok.stdout.split("\n").at(-1)).to.equal(
        `done: ${world.files.size} files verified; the version is the one on chain (content hash matches the registry)`,
      );
      await rm(out, { recursive: true, force: true });
      // The DAO votes another content hash: the gateway's main is no longer what the chain says.
      const timelock = await timelockSigner(world, p.model.timelock);
      const other = `0x${"ab".repeat(32)}`;
      await (await p.registry.connect(timelock).setContentHash(world.modelId, other)).wait();
      try {
        const refused = await runTask(hre, "fetch-model", fetchArgs({ deployment: file }));
        expect([refused.exitCode, refused.stdout], refused.stderr).to.deep.equal([1, ""]);
        expect(refused.stderr).to.match(
          /^error: --gateway: its main version of model #\d+ \(v1, content hash 0x[0-9a-f]{64}\) is not the one on chain \(0xabab/,
        );
        expect(existsSync(out) ? await readdir(out) : []).to.deep.equal([]);
      } finally {
        await (await p.registry.connect(timelock).setContentHash(world.modelId, world.published.contentHash)).wait();
      }
    } finally {
      await rm(file, { force: true });
    }
  });

  it("refuses bad arguments, an unknown revision or model, and an unreachable gateway, naming the option", async function () {
    expect(await refused({ gateway: "" })).to.equal(
      "error: --gateway: expected the gateway's URL, e.g. --gateway http://127.0.0.1:8484",
    );
    expect(await refused({ gateway: "ftp://x" })).to.match(
      /^error: --gateway: gateway URL "ftp:\/\/x\/?" must be http:\/\/ or https:\/\/$/,
    );
    expect(await refused({ out: " " })).to.match(/^error: --out: expected the directory/);
    expect(await refused({ revision: "latest" })).to.equal(
      'error: --revision: expected main (the version on chain), v<N> or a version\'s 40-hex commit, got "latest"',
    );
    expect(await refused({ modelId: "x" })).to.equal('error: --model-id: expected a whole number, got "x"');
    expect(await refused({ revision: "v9" })).to.match(/^error: --revision: model #\d+ has no revision "v9"/);
    expect(await refused({ modelId: "99" })).to.match(
      /^error: --model-id: model #99 has no version published through this gateway \(ws publish --model-id 99\)/,
    );
    expect(await refused({ signer: "42" })).to.match(/^error: --signer: expected at most \d+, got 42$/);
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(await refused({ gateway: closed })).to.equal(`error: --gateway: cannot reach ${closed} (ECONNREFUSED)`);
    expect(await readdir(out)).to.deep.equal([]);
  });
});
