/**
 * Decrypting a published version to disk (issue #12, gateway/client/download.ts and readManifest): identical bytes
 * from the embedded IPFS store, and failing closed, with no file left behind and the file and chunk named, on a
 * tampered chunk, an extended or truncated ciphertext, a manifest that is not the released one, and paths that
 * would land outside the output directory.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, symlink } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { type PublishedVersion } from "../../../gateway/catalogue.js";
import { TAG_LENGTH } from "../../../gateway/encryption/chunks.js";
import { keyContext, unwrapKey } from "../../../gateway/encryption/keys.js";
import {
  downloadFiles,
  FileVerificationError,
  ManifestVerificationError,
  readManifest,
  storeSource,
  targetInside,
  type CiphertextSource,
} from "../../../gateway/client/index.js";
import type { Manifest } from "../../../gateway/publish/manifest.js";
import { publish } from "../../../gateway/publish/publish.js";
import { openEmbeddedStore } from "../../../gateway/storage/embedded.js";
import type { ContentStore } from "../../../gateway/storage/store.js";
import { makeModelDir, tempDir } from "../publish/helpers.js";

const CHUNK = 256 * 1024;

/** `source` with `change` applied to the bytes of content `cid` (a tampering IPFS peer). */
function tampered(source: CiphertextSource, cid: string, change: (bytes: Buffer) => Buffer): CiphertextSource {
  return {
    description: "a tampering stand-in",
    async open(wanted) {
      const opened = await source.open(wanted);
      if (wanted !== cid) return opened;
      const parts: Buffer[] = [];
      for await (const part of opened.body) parts.push(Buffer.from(part));
      const bytes = change(Buffer.concat(parts));
      return { body: [bytes] };
    },
  };
}

async function listAll(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe("gateway/client/download: decrypt and verify to disk", function () {
  let work: string;
  let store: ContentStore;
  let files: Map<string, Buffer>;
  let entry: PublishedVersion;
  let manifest: Manifest;
  let contentKey: Buffer;
  let out: string;
  const kek = randomBytes(32);

  beforeEach(async function () {
    work = await tempDir("ws-client-download-");
    const modelDir = path.join(work, "model");
    await mkdir(modelDir);
    files = await makeModelDir(modelDir, 3 * CHUNK + 77);
    store = await openEmbeddedStore(path.join(work, "data", "blocks"));
    const result = await publish({
      dir: modelDir,
      chainId: 31337n,
      modelId: 4n,
      store,
      dataDir: path.join(work, "data"),
      kek,
      chunkSize: CHUNK,
    });
    entry = result.entry;
    contentKey = unwrapKey(kek, entry.wrappedKey, keyContext(31337n, 4n, 1));
    manifest = await readManifest(storeSource(store), entry);
    out = path.join(work, "out");
  });

  afterEach(async function () {
    await store.close();
    await rm(work, { recursive: true, force: true });
  });

  it("writes every file byte for byte, verified, and leaves no temporary file", async function () {
    const seen: string[] = [];
    const fetched = await downloadFiles({
      manifest,
      contentKey,
      source: storeSource(store),
      outDir: out,
      onFile: (f) => seen.push(f.path),
    });
    expect(fetched.map((f) => f.path)).to.deep.equal([...files.keys()].sort());
    expect(seen).to.deep.equal(fetched.map((f) => f.path));
    for (const [name, bytes] of files) expect(await readFile(path.join(out, name)), name).to.deep.equal(bytes);
    expect(await listAll(out)).to.deep.equal([
      "README.md",
      "config.json",
      "empty.txt",
      "model.safetensors",
      "onnx",
      "onnx/model.onnx",
      "tokenizer.json",
    ]);
  });

  it("refuses a tampered chunk, naming the file and chunk, and leaves no file", async function () {
    const weights = manifest.files.find((f) => f.path === "model.safetensors")!;
    const source = tampered(storeSource(store), weights.cid, (bytes) => {
      bytes[CHUNK + TAG_LENGTH + 5] ^= 0x40; // inside chunk 1
      return bytes;
    });
    const only = { ...manifest, files: [weights] };
    const error = await downloadFiles({ manifest: only, contentKey, source, outDir: out }).then(
      () => expect.fail("expected a refusal"),
      (e: unknown) => e as FileVerificationError,
    );
    expect(error).to.be.instanceOf(FileVerificationError);
    expect(error.file).to.equal("model.safetensors");
    expect(error.chunk).to.equal(1);
    expect(error.message).to.match(
      /^model\.safetensors: chunk 1 failed authentication: .*; nothing was written for it$/,
    );
    expect(await listAll(out)).to.deep.equal([]);
  });

  it("refuses ciphertext with bytes appended or cut off, and a size the source announces wrongly", async function () {
    const config = manifest.files.find((f) => f.path === "config.json")!;
    const only = { ...manifest, files: [config] };
    const extended = tampered(storeSource(store), config.cid, (b) => Buffer.concat([b, Buffer.from("x")]));
    await expectRefusal(
      downloadFiles({ manifest: only, contentKey, source: extended, outDir: out }),
      /^config\.json: .*more bytes than expected/,
    );
    const truncated = tampered(storeSource(store), config.cid, (b) => b.subarray(0, b.length - 1));
    await expectRefusal(
      downloadFiles({ manifest: only, contentKey, source: truncated, outDir: out }),
      /^config\.json: chunk 0 failed authentication: expected \d+ ciphertext bytes/,
    );
    const lying: CiphertextSource = {
      description: "a lying stand-in",
      open: async (cid) => ({ ...(await storeSource(store).open(cid)), size: 1 }),
    };
    await expectRefusal(
      downloadFiles({ manifest: only, contentKey, source: lying, outDir: out }),
      /^config\.json: its ciphertext \S+ is 1 bytes, the manifest says \d+/,
    );
    expect(await listAll(out)).to.deep.equal([]);
  });

  it("refuses plaintext whose SHA-256 is not the manifest's (a manifest altered after encryption)", async function () {
    const config = manifest.files.find((f) => f.path === "config.json")!;
    const wrong = { ...manifest, files: [{ ...config, sha256: "0".repeat(64) }] };
    await expectRefusal(
      downloadFiles({ manifest: wrong, contentKey, source: storeSource(store), outDir: out }),
      /^config\.json: plaintext SHA-256 [0-9a-f]{64} \(\d+ bytes\) does not match the manifest's 0{64}/,
    );
    expect(await listAll(out)).to.deep.equal([]);
  });

  it("reads the manifest only when it is the one released (content hash, commit, model)", async function () {
    const source = storeSource(store);
    await expectRefusal(
      readManifest(source, { ...entry, contentHash: "0x" + "ab".repeat(32) }),
      ManifestVerificationError,
      /its keccak256 is not the content hash 0xabab/,
    );
    await expectRefusal(
      readManifest(source, { ...entry, commit: "0".repeat(40) }),
      /its SHA-1 is not the commit 0{40}/,
    );
    await expectRefusal(
      readManifest(source, { ...entry, modelId: "5" }),
      /it describes chain 31337, model 4, version 1, expected chain 31337, model 5, version 1/,
    );
  });

  it("keeps every path inside the output directory, symbolic links included", async function () {
    await mkdir(out);
    const root = path.resolve(out);
    expect(await targetInside(root, "a/b.bin")).to.equal(path.join(root, "a", "b.bin"));
    await expectRefusal(targetInside(root, "../escape.bin"), FileVerificationError, /contains a "\.\." segment/);
    await expectRefusal(targetInside(root, "/etc/passwd"), /is absolute/);
    const outside = path.join(work, "outside");
    await mkdir(outside);
    await symlink(outside, path.join(root, "linked"));
    await expectRefusal(
      targetInside(root, "linked/weights.bin"),
      /its directory resolves outside the output directory/,
    );
    await expectRefusal(
      targetInside(root, "linked/deeper/weights.bin"),
      /its directory resolves outside the output directory/,
    );
    expect(await readdir(outside), "nothing created through the link").to.deep.equal([]);
  });
});

async function expectRefusal(
  promise: Promise<unknown>,
  ...checks: Array<RegExp | (new (...a: never[]) => Error)>
): Promise<void> {
  const error = await promise.then(
    () => expect.fail("expected a refusal"),
    (e: unknown) => e as Error,
  );
  for (const check of checks) {
    if (check instanceof RegExp) expect(error.message).to.match(check);
    else expect(error).to.be.instanceOf(check);
  }
}
