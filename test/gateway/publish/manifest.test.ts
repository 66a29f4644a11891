/**
 * The manifest format (issue #12, gateway/publish/manifest.ts): canonical JSON, content hash and commit of its bytes,
 * and validation that names the bad field (paths, hex, sizes, CIDs, unknown fields, ordering, previous).
 */
import { expect } from "chai";
import { keccak256 } from "ethers";

import { ciphertextSizeFor } from "../../../gateway/encryption/chunks.js";
import {
  canonicalJson,
  checkManifestPath,
  commitOf,
  contentHashOf,
  ManifestError,
  manifestBytes,
  parseManifest,
  type Manifest,
} from "../../../gateway/publish/manifest.js";

const CID = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq";

function valid(): Manifest {
  return {
    format: "weightshare/manifest/v1",
    chainId: "31337",
    modelId: "4",
    version: 2,
    cipher: "AES-256-GCM",
    chunkFormat: "weightshare/chunk/v1",
    chunkSize: 1024,
    previous: CID,
    files: [
      { path: "config.json", size: 10, sha256: "a".repeat(64), fileId: "b".repeat(32), cid: CID, ciphertextSize: 26 },
      {
        path: "onnx/model.onnx",
        size: 3000,
        sha256: "c".repeat(64),
        fileId: "d".repeat(32),
        cid: CID,
        ciphertextSize: ciphertextSizeFor(3000, 1024),
      },
    ],
  };
}

function refuse(change: (m: Record<string, unknown>) => void, field: string, text = ""): void {
  const m = structuredClone(valid()) as unknown as Record<string, unknown>;
  change(m);
  try {
    parseManifest(new TextEncoder().encode(JSON.stringify(m)));
    expect.fail(`accepted a bad ${field}`);
  } catch (error) {
    expect(error, field).to.be.instanceOf(ManifestError);
    expect((error as ManifestError).field).to.equal(field);
    expect((error as Error).message)
      .to.contain(`manifest ${field}:`)
      .and.contain(text);
  }
}

const files = (m: Record<string, unknown>) => m.files as Record<string, unknown>[];

describe("gateway/publish/manifest", function () {
  it("writes canonical JSON: sorted keys at every depth, no whitespace, undefined dropped", function () {
    expect(canonicalJson({ b: 1, a: [{ z: true, y: null }, "x"], c: undefined })).to.equal(
      '{"a":[{"y":null,"z":true},"x"],"b":1}',
    );
    expect(() => canonicalJson({ a: Number.NaN })).to.throw(TypeError, "NaN");
    expect(() => canonicalJson({ a: 1n })).to.throw(TypeError, "bigint");
  });

  it("hashes the manifest bytes: keccak256 content hash and SHA-1 commit, stable across key order", function () {
    const bytes = manifestBytes(valid());
    const reordered = manifestBytes(Object.fromEntries(Object.entries(valid()).reverse()) as unknown as Manifest);
    expect(Buffer.from(reordered).equals(Buffer.from(bytes))).to.equal(true);
    expect(contentHashOf(bytes))
      .to.equal(keccak256(bytes))
      .and.match(/^0x[0-9a-f]{64}$/);
    expect(commitOf(new TextEncoder().encode("abc"))).to.equal("a9993e364706816aba3e25717850c26c9cd0d89d");
  });

  it("parses what it wrote", function () {
    expect(parseManifest(manifestBytes(valid()))).to.deep.equal(valid());
  });

  it("refuses bad top-level fields, naming each", function () {
    refuse((m) => (m.format = "other"), "format");
    refuse((m) => (m.chainId = 31337), "chainId", "decimal integer string");
    refuse((m) => (m.modelId = "04"), "modelId");
    refuse((m) => (m.version = 0), "version");
    refuse((m) => (m.cipher = "AES-128-GCM"), "cipher");
    refuse((m) => (m.chunkFormat = "v0"), "chunkFormat");
    refuse((m) => (m.chunkSize = 0), "chunkSize");
    refuse((m) => (m.files = {}), "files", "array");
    refuse((m) => (m.extra = 1), "(document)", 'unknown field "extra"');
    refuse((m) => (m.previous = "QmNotV1"), "previous", "CIDv1");
    refuse((m) => delete m.previous, "previous", "needs the previous manifest CID");
    refuse((m) => (m.version = 1), "previous", "version 1 has no previous");
    expect(() => parseManifest(new TextEncoder().encode("{"))).to.throw(ManifestError, "(document)");
  });

  it("refuses bad files, naming the file's index and field", function () {
    refuse((m) => (files(m)[1].sha256 = "C".repeat(64)), "files[1].sha256", "64 lowercase hex");
    refuse((m) => (files(m)[0].sha256 = "a".repeat(63)), "files[0].sha256");
    refuse((m) => (files(m)[0].fileId = "b".repeat(31)), "files[0].fileId", "32 lowercase hex");
    refuse((m) => (files(m)[0].cid = "not-a-cid"), "files[0].cid");
    refuse((m) => (files(m)[0].size = -1), "files[0].size");
    refuse((m) => (files(m)[0].size = 1.5), "files[0].size");
    refuse((m) => (files(m)[1].ciphertextSize = 3000), "files[1].ciphertextSize", "expected 3048");
    refuse((m) => (files(m)[0].mode = 0o755), "files[0]", 'unknown field "mode"');
    refuse((m) => (files(m)[1].path = "config.json"), "files[1].path", "sorted, unique");
    refuse((m) => (m.files = [...files(m)].reverse()), "files[1].path", "sorted");
  });

  it("refuses paths that are absolute, climb out, use backslashes, NUL or empty segments", function () {
    const bad: Array<[string, string]> = [
      ["/etc/passwd", "is absolute"],
      ["../secret", '".." segment'],
      ["a/../../b", '".." segment'],
      ["a\\b", "backslash"],
      ["a\u0000b", "NUL"],
      ["C:/x", "drive letter"],
      ["a//b", "empty"],
      ["./a", '"."'],
      ["a/", "empty"],
      ["", "non-empty"],
    ];
    for (const [value, text] of bad) {
      expect(() => checkManifestPath(value, "files[0].path"), JSON.stringify(value))
        .to.throw(ManifestError, text)
        .with.property("field", "files[0].path");
    }
    expect(checkManifestPath("a/b..c/d.json")).to.equal("a/b..c/d.json");
    refuse((m) => (files(m)[0].path = "../config.json"), "files[0].path", '".." segment');
  });
});
