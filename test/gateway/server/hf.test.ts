/**
 * The gateway through the real `@huggingface/hub` client (npm, unmodified, `hubUrl` + `accessToken`): a licensee
 * lists the files and downloads each one byte-identical with `downloadFile`, `downloadFileToCacheDir` and
 * `snapshotDownload`; revisions main / v1 / commit resolve; a non-licensee gets 403 GatedRepo through the same
 * client; ranges and the Hub's headers as the Python client also relies on them.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  downloadFile,
  downloadFileToCacheDir,
  HubApiError,
  listFiles,
  modelInfo,
  snapshotDownload,
} from "@huggingface/hub";
import { expect } from "chai";
import hre from "hardhat";

import { timelockSigner } from "../../helpers/fixtures.js";
import { gatewayWorld, headPollPassed, problemOf, signIn, type GatewayWorld } from "./fixture.js";

const connection = await hre.network.create();

describe("gateway/server: Hugging Face clients", function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let token: string;
  let repo: string;
  let cacheDir: string;

  before(async function () {
    world = await gatewayWorld(connection);
    token = await signIn(world, world.licensee);
    repo = `weightshare/${world.modelId}`;
    cacheDir = await mkdtemp(path.join(tmpdir(), "ws-hf-cache-"));
  });
  after(async function () {
    await world?.close();
    if (cacheDir !== undefined) await rm(cacheDir, { recursive: true, force: true });
  });

  it("lists the files (listFiles, recursive) with sizes and LFS sha256", async function () {
    const listed = [];
    for await (const entry of listFiles({ repo, recursive: true, hubUrl: world.url, accessToken: token })) {
      listed.push(entry);
    }
    const files = listed.filter((e) => e.type === "file");
    expect(files.map((f) => f.path).sort()).to.deep.equal([...world.files.keys()].sort());
    for (const file of files) {
      expect(file.size).to.equal(world.files.get(file.path)!.length, file.path);
      const sha = world.published.files.find((f) => f.path === file.path)!.sha256;
      expect(file.lfs?.oid).to.equal(sha);
    }
    expect(listed.filter((e) => e.type === "directory").map((d) => d.path)).to.deep.equal(["onnx", "tokenizer"]);
  });

  it("gives model info: sha = the on-chain version's commit, siblings, private and gated", async function () {
    const info = await modelInfo({
      name: repo,
      hubUrl: world.url,
      accessToken: token,
      additionalFields: ["sha"],
    });
    expect(info.name).to.equal(repo);
    expect(info.private).to.equal(true);
    expect(info.gated).to.equal("manual");
    expect((info as unknown as { sha: string }).sha).to.equal(world.published.commit);
  });

  it("downloads every file byte-identical with downloadFile, at main, v1 and the commit", async function () {
    for (const revision of ["main", "v1", world.published.commit]) {
      for (const [file, bytes] of world.files) {
        const blob = await downloadFile({ repo, path: file, revision, hubUrl: world.url, accessToken: token });
        expect(blob, `${file}@${revision}`).to.not.equal(null);
        const got = Buffer.from(await blob!.arrayBuffer());
        expect(got.equals(bytes), `${file}@${revision} identical`).to.equal(true);
      }
    }
  });

  it("downloads into the Hub cache layout with downloadFileToCacheDir and snapshotDownload", async function () {
    const debug = console.debug; // the client prints a "Downloading ..." line per file
    console.debug = () => {};
    try {
      await cacheDownloads();
    } finally {
      console.debug = debug;
    }
  });

  async function cacheDownloads(): Promise<void> {
    const one = await downloadFileToCacheDir({
      repo,
      path: "onnx/model.onnx",
      hubUrl: world.url,
      accessToken: token,
      cacheDir,
    });
    expect((await readFile(one)).equals(world.files.get("onnx/model.onnx")!)).to.equal(true);
    const snapshot = await snapshotDownload({ repo, hubUrl: world.url, accessToken: token, cacheDir });
    expect(path.basename(snapshot)).to.equal(world.published.commit);
    for (const [file, bytes] of world.files) {
      expect((await readFile(path.join(snapshot, file))).equals(bytes), file).to.equal(true);
    }
  }

  it("refuses a non-licensee with 403 GatedRepo through the same client, saying how to buy", async function () {
    const outsiderToken = await signIn(world, world.outsider);
    let caught: unknown;
    try {
      await downloadFile({ repo, path: "config.json", hubUrl: world.url, accessToken: outsiderToken });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(HubApiError);
    expect((caught as HubApiError).statusCode).to.equal(403);
    try {
      for await (const entry of listFiles({ repo, hubUrl: world.url, accessToken: outsiderToken })) void entry;
      expect.fail("listFiles should have been refused");
    } catch (error) {
      expect((error as HubApiError).statusCode).to.equal(403);
    }
    const response = await fetch(`${world.url}/${repo}/resolve/main/model.safetensors`, {
      headers: { Authorization: `Bearer ${outsiderToken}` },
    });
    expect(response.headers.get("x-error-code")).to.equal("GatedRepo");
    const body = await problemOf(response, 403);
    expect(body.detail).to.contain(`ws buy --model-id ${world.modelId}`).and.contain("ws renew");
  });

  it("answers HEAD with the Hub's headers and no body, and serves single ranges (206)", async function () {
    const file = world.published.files.find((f) => f.path === "model.safetensors")!;
    const url = `${world.url}/${repo}/resolve/main/model.safetensors`;
    const auth = { Authorization: `Bearer ${token}` };
    const head = await fetch(url, { method: "HEAD", headers: auth });
    expect(head.status).to.equal(200);
    expect(head.headers.get("x-repo-commit")).to.equal(world.published.commit);
    expect(head.headers.get("etag")).to.equal(`"${file.sha256}"`);
    expect(head.headers.get("x-linked-etag")).to.equal(`"${file.sha256}"`);
    expect(head.headers.get("content-length")).to.equal(String(file.size));
    expect(head.headers.get("accept-ranges")).to.equal("bytes");
    expect((await head.arrayBuffer()).byteLength).to.equal(0);

    const bytes = world.files.get("model.safetensors")!;
    for (const [range, start, end] of [
      ["bytes=0-0", 0, 0],
      ["bytes=16380-32800", 16380, 32800], // spans three chunks
      ["bytes=-100", bytes.length - 100, bytes.length - 1],
      [`bytes=${bytes.length - 5}-`, bytes.length - 5, bytes.length - 1],
      [`bytes=10-${bytes.length + 1000}`, 10, bytes.length - 1],
    ] as const) {
      const response = await fetch(url, { headers: { ...auth, Range: range } });
      expect(response.status, range).to.equal(206);
      expect(response.headers.get("content-range")).to.equal(`bytes ${start}-${end}/${bytes.length}`);
      const got = Buffer.from(await response.arrayBuffer());
      expect(got.equals(bytes.subarray(start, end + 1)), range).to.equal(true);
    }
  });

  it("answers 404 EntryNotFound, RevisionNotFound and RepoNotFound with problem+json", async function () {
    const auth = { Authorization: `Bearer ${token}` };
    const missing = await fetch(`${world.url}/${repo}/resolve/main/nope.bin`, { headers: auth });
    expect(missing.headers.get("x-error-code")).to.equal("EntryNotFound");
    expect(missing.headers.get("x-repo-commit")).to.equal(world.published.commit);
    await problemOf(missing, 404);
    const revision = await fetch(`${world.url}/${repo}/resolve/v9/config.json`, { headers: auth });
    expect(revision.headers.get("x-error-code")).to.equal("RevisionNotFound");
    await problemOf(revision, 404);
    const other = await fetch(`${world.url}/someone/${world.modelId}/resolve/main/config.json`, { headers: auth });
    expect(other.headers.get("x-error-code")).to.equal("RepoNotFound");
    await problemOf(other, 404);
    // Through the client: a missing file is null, not an error.
    expect(await downloadFile({ repo, path: "nope.bin", hubUrl: world.url, accessToken: token })).to.equal(null);
    // A model this gateway never published: 404 for anyone, not a 403 asking to buy a licence.
    const unpublished = await fetch(`${world.url}/weightshare/99/resolve/main/config.json`, { headers: auth });
    expect(unpublished.headers.get("x-error-code")).to.equal("RepoNotFound");
    await problemOf(unpublished, 404);
  });

  it("answers main with RevisionNotFound and a hint while the on-chain URI names no published version", async function () {
    const timelock = await timelockSigner(world, world.protocol.model.timelock);
    const shares = world.protocol.shares.connect(timelock);
    await (await shares.setURI(world.modelId, "ipfs://something-else")).wait();
    await headPollPassed();
    try {
      const auth = { Authorization: `Bearer ${token}` };
      const main = await fetch(`${world.url}/${repo}/resolve/main/config.json`, { headers: auth });
      expect(main.headers.get("x-error-code")).to.equal("RevisionNotFound");
      const body = await problemOf(main, 404);
      expect(body.detail).to.contain("update-metadata").and.contain("v1").and.contain(world.published.commit);
      const v1 = await fetch(`${world.url}/${repo}/resolve/v1/config.json`, { headers: auth });
      expect(v1.status).to.equal(200);
      await v1.arrayBuffer();
    } finally {
      await (await shares.setURI(world.modelId, world.published.metadataURI)).wait();
      await headPollPassed();
    }
  });
});
