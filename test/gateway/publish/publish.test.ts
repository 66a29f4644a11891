/**
 * Publishing a model directory (issue #12, gateway/publish/publish.ts): manifest fields, plaintext SHA-256, every
 * file decrypting from the store to identical bytes with the unwrapped key, metadata from the model card, a second
 * version with `previous` set while version 1 stays readable, and refused directories (nothing recorded).
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { keccak256 } from "ethers";

import { DuplicateVersionError, openCatalogue } from "../../../gateway/catalogue.js";
import { ciphertextSizeFor, DEFAULT_CHUNK_SIZE } from "../../../gateway/encryption/chunks.js";
import { commitOf, manifestBytes, parseManifest } from "../../../gateway/publish/manifest.js";
import { publish } from "../../../gateway/publish/publish.js";
import { ModelDirError } from "../../../gateway/publish/walk.js";
import { openEmbeddedStore } from "../../../gateway/storage/embedded.js";
import type { ContentStore } from "../../../gateway/storage/store.js";
import { catAll, makeModelDir, readPublished, sha256, tempDir } from "./helpers.js";

const CHUNK = 256 * 1024;

describe("gateway/publish: publish", function () {
  let work: string;
  let modelDir: string;
  let dataDir: string;
  let store: ContentStore;
  const kek = randomBytes(32);

  beforeEach(async function () {
    work = await tempDir("ws-publish-");
    modelDir = path.join(work, "model");
    dataDir = path.join(work, "data");
    await mkdir(modelDir);
    store = await openEmbeddedStore(path.join(dataDir, "blocks"));
  });

  afterEach(async function () {
    await store.close();
    await rm(work, { recursive: true, force: true });
  });

  it("publishes every file encrypted, with a manifest and metadata that decrypt back to identical bytes", async function () {
    const files = await makeModelDir(modelDir);
    const result = await publish({
      dir: modelDir,
      chainId: 31337n,
      modelId: 3n,
      store,
      dataDir,
      kek,
      chunkSize: CHUNK,
    });

    const { manifest } = result;
    expect(result.version).to.equal(1);
    expect(manifest).to.include({ format: "weightshare/manifest/v1", chainId: "31337", modelId: "3", version: 1 });
    expect(manifest).to.include({ cipher: "AES-256-GCM", chunkFormat: "weightshare/chunk/v1", chunkSize: CHUNK });
    expect(manifest.previous).to.equal(undefined);
    expect(manifest.files.map((f) => f.path)).to.deep.equal([...files.keys()].sort());

    const entry = (await openCatalogue(dataDir).version(31337, 3, 1))!;
    for (const file of manifest.files) {
      const plain = files.get(file.path)!;
      expect(file.size, file.path).to.equal(plain.length);
      expect(file.sha256, file.path).to.equal(sha256(plain));
      expect(file.ciphertextSize).to.equal(ciphertextSizeFor(plain.length, CHUNK));
      expect(await store.size(file.cid)).to.equal(file.ciphertextSize);
      const stored = await catAll(store, file.cid);
      if (plain.length > 32) expect(stored.includes(plain.subarray(0, 32)), file.path).to.equal(false);
      expect((await readPublished(store, kek, entry, file, CHUNK)).equals(plain), file.path).to.equal(true);
    }

    const bytes = await catAll(store, result.manifestCid);
    expect(bytes.equals(Buffer.from(manifestBytes(manifest)))).to.equal(true);
    expect(parseManifest(bytes)).to.deep.equal(manifest);
    expect(result.contentHash).to.equal(keccak256(bytes));
    expect(result.commit)
      .to.equal(commitOf(bytes))
      .and.match(/^[0-9a-f]{40}$/);

    const metadata = JSON.parse((await catAll(store, result.metadataCid)).toString("utf8"));
    expect(result.metadataURI).to.equal(`ipfs://${result.metadataCid}`);
    expect(metadata).to.deep.equal(result.metadata);
    expect(metadata.name).to.equal("Tiny Test Model");
    expect(metadata.description).to.equal("A tiny model for tests, fine-tuned from org/base-7b.");
    expect(metadata.properties).to.deep.include({
      manifest: `ipfs://${result.manifestCid}`,
      version: 1,
      files: files.size,
      totalSize: [...files.values()].reduce((sum, b) => sum + b.length, 0),
      license: "apache-2.0",
      pipelineTag: "text-generation",
      libraryName: "transformers",
      baseModel: ["org/base-7b"],
      language: ["en", "fr"],
      tags: ["weightshare", "tiny"],
      datasets: ["org/corpus"],
    });

    expect(entry).to.deep.include({
      manifestCid: result.manifestCid,
      metadataURI: result.metadataURI,
      contentHash: result.contentHash,
      commit: result.commit,
    });
    expect(JSON.stringify(entry)).to.not.contain("model.safetensors");
  });

  it("publishes version 2 with previous set, a new key, and version 1 still decryptable", async function () {
    const files = await makeModelDir(modelDir, 5000);
    const first = await publish({ dir: modelDir, chainId: 31337, modelId: 3, store, dataDir, kek, chunkSize: CHUNK });
    const changed = randomBytes(7000);
    await writeFile(path.join(modelDir, "model.safetensors"), changed);
    const second = await publish({
      dir: modelDir,
      chainId: 31337,
      modelId: 3,
      store,
      dataDir,
      kek,
      name: "Tiny v2",
      description: "Retrained.",
    });

    expect(second.version).to.equal(2);
    expect(second.manifest.previous).to.equal(first.manifestCid);
    expect(second.manifest.chunkSize).to.equal(DEFAULT_CHUNK_SIZE);
    expect(second.metadata).to.include({ name: "Tiny v2", description: "Retrained." });
    expect(second.metadata.properties.previous).to.equal(first.manifestCid);
    expect(second.commit).to.not.equal(first.commit);

    const catalogue = openCatalogue(dataDir);
    const [v1, v2] = await catalogue.versions(31337, 3);
    expect(v1.wrappedKey).to.not.equal(v2.wrappedKey);
    const oldWeights = first.manifest.files.find((f) => f.path === "model.safetensors")!;
    const newWeights = second.manifest.files.find((f) => f.path === "model.safetensors")!;
    expect((await readPublished(store, kek, v1, oldWeights, CHUNK)).equals(files.get("model.safetensors")!)).to.equal(
      true,
    );
    expect((await readPublished(store, kek, v2, newWeights, 1024 * 1024)).equals(changed)).to.equal(true);
    expect(await catalogue.byCommit(31337, 3, first.commit)).to.deep.equal(v1);
  });

  it("follows a symbolic link to a file inside the directory, under the link's name", async function () {
    await makeModelDir(modelDir, 100);
    await symlink("config.json", path.join(modelDir, "generation_config.json"));
    const result = await publish({ dir: modelDir, chainId: 1, modelId: 1, store, dataDir, kek });
    const linked = result.files.find((f) => f.path === "generation_config.json");
    const config = result.files.find((f) => f.path === "config.json");
    expect(linked?.sha256).to.equal(config?.sha256);
  });

  it("records one of two concurrent publications as the next version and refuses the other", async function () {
    await makeModelDir(modelDir, 100);
    const options = { dir: modelDir, chainId: 1, modelId: 1, store, dataDir, kek };
    const results = await Promise.allSettled([publish(options), publish(options)]);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).to.have.length(1);
    expect(rejected[0].reason).to.be.instanceOf(DuplicateVersionError);
    expect((await openCatalogue(dataDir).versions(1, 1)).map((v) => v.version)).to.deep.equal([1]);
  });

  describe("refusals (nothing recorded)", function () {
    async function refused(dir: string, text: string): Promise<void> {
      try {
        await publish({ dir, chainId: 1, modelId: 1, store, dataDir, kek });
        expect.fail("published");
      } catch (error) {
        expect(error).to.be.instanceOf(ModelDirError);
        expect((error as Error).message).to.contain(text);
      }
      expect(await openCatalogue(dataDir).versions(1, 1)).to.deep.equal([]);
    }

    it("refuses a symbolic link pointing outside the directory", async function () {
      await makeModelDir(modelDir, 100);
      const secret = path.join(work, "secret.key");
      await writeFile(secret, "do not publish");
      await symlink(secret, path.join(modelDir, "weights.bin"));
      await refused(modelDir, "weights.bin is a symbolic link pointing outside the model directory");
    });

    it("follows a Hugging Face cache snapshot's links into its repository's blobs/, and no further", async function () {
      const repo = path.join(work, "models--org--tiny");
      const snapshot = path.join(repo, "snapshots", "0123456789abcdef0123456789abcdef01234567");
      await mkdir(path.join(repo, "blobs"), { recursive: true });
      await mkdir(snapshot, { recursive: true });
      await writeFile(path.join(repo, "blobs", "aaaa"), '{"model_type":"vit"}');
      await symlink("../../blobs/aaaa", path.join(snapshot, "config.json"));
      const result = await publish({ dir: snapshot, chainId: 1, modelId: 2, store, dataDir, kek });
      expect(result.files.map((f) => f.path)).to.deep.equal(["config.json"]);
      await writeFile(path.join(repo, "secret.key"), "do not publish");
      await symlink("../../secret.key", path.join(snapshot, "key.txt"));
      await refused(snapshot, "key.txt is a symbolic link pointing outside the model directory");
    });

    it("refuses a relative symbolic link climbing out with ..", async function () {
      await makeModelDir(modelDir, 100);
      await writeFile(path.join(work, "outside.txt"), "outside");
      await mkdir(path.join(modelDir, "sub"));
      await symlink("../../outside.txt", path.join(modelDir, "sub", "x.txt"));
      await refused(modelDir, "sub/x.txt is a symbolic link pointing outside");
    });

    it("refuses a file name with a backslash (not a portable POSIX path)", async function () {
      await makeModelDir(modelDir, 100);
      await writeFile(path.join(modelDir, "weights\\..\\evil.bin"), "x");
      await refused(modelDir, "contains a backslash");
    });

    it("refuses a missing directory, a file, and a directory with only dotfiles", async function () {
      await refused(path.join(work, "nope"), "does not exist");
      await writeFile(path.join(work, "file.bin"), "x");
      await refused(path.join(work, "file.bin"), "is not a directory");
      await mkdir(path.join(modelDir, ".git"));
      await writeFile(path.join(modelDir, ".env"), "SECRET=1");
      await refused(modelDir, "has no files to publish");
    });
  });
});
