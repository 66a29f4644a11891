/**
 * Shared by the publish tests: a small Hugging Face–style model directory in a temporary folder, and reading a
 * published file back from the store with the unwrapped content key.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { PublishedVersion } from "../../../gateway/catalogue.js";
import { decryptFile } from "../../../gateway/encryption/chunks.js";
import { keyContext, unwrapKey } from "../../../gateway/encryption/keys.js";
import type { ManifestFile } from "../../../gateway/publish/manifest.js";
import type { ContentStore } from "../../../gateway/storage/store.js";

/** The model card every test directory carries. */
export const MODEL_CARD = `---
license: apache-2.0
library_name: transformers
pipeline_tag: text-generation
base_model: org/base-7b
language:
  - en
  - fr
tags: [weightshare, tiny]
datasets:
  - org/corpus
---

# Tiny Test Model

A **tiny** model for [tests](https://example.org), fine-tuned from org/base-7b.

## Usage
`;

/** A temporary folder of its own. */
export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/**
 * Writes a model directory: a safetensors-like binary of `weightsSize` random bytes, config.json, tokenizer.json,
 * a nested file, README.md with front matter, and a .git folder and a dotfile that must be skipped.
 */
export async function makeModelDir(dir: string, weightsSize = 2 * 1024 * 1024 + 333): Promise<Map<string, Buffer>> {
  const header = Buffer.from(JSON.stringify({ "w.weight": { dtype: "F32", shape: [4], data_offsets: [0, 16] } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  const weights = Buffer.concat([length, header, randomBytes(Math.max(0, weightsSize - 8 - header.length))]);
  const files = new Map<string, Buffer>([
    ["model.safetensors", weights],
    ["config.json", Buffer.from(JSON.stringify({ architectures: ["TinyForCausalLM"], hidden_size: 4 }))],
    ["tokenizer.json", Buffer.from(JSON.stringify({ version: "1.0", model: { type: "BPE", vocab: { a: 0 } } }))],
    ["onnx/model.onnx", randomBytes(1000)],
    ["empty.txt", Buffer.alloc(0)],
    ["README.md", Buffer.from(MODEL_CARD)],
  ]);
  for (const [name, bytes] of files) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), bytes);
  }
  await mkdir(path.join(dir, ".git"), { recursive: true });
  await writeFile(path.join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
  await writeFile(path.join(dir, ".DS_Store"), "junk");
  return files;
}

/** SHA-256 hex of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Decrypts one published file from the store with the version's content key, unwrapped with `kek`. */
export async function readPublished(
  store: ContentStore,
  kek: Uint8Array,
  entry: PublishedVersion,
  file: ManifestFile,
  chunkSize: number,
): Promise<Buffer> {
  const key = unwrapKey(kek, entry.wrappedKey, keyContext(BigInt(entry.chainId), BigInt(entry.modelId), entry.version));
  const header = { fileId: Buffer.from(file.fileId, "hex"), size: file.size, chunkSize };
  const parts: Buffer[] = [];
  const read = async (offset: number, length: number) => {
    const pieces: Buffer[] = [];
    for await (const piece of store.cat(file.cid, { offset, length })) pieces.push(Buffer.from(piece));
    return Buffer.concat(pieces);
  };
  for await (const part of decryptFile(key, header, read)) parts.push(part);
  return Buffer.concat(parts);
}

/** Bytes of a stored file. */
export async function catAll(store: ContentStore, cid: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of store.cat(cid)) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/** SHA-256 hex of one published file decrypted from the store, streamed (for files too large to hold). */
export async function readPublishedHash(
  store: ContentStore,
  kek: Uint8Array,
  entry: PublishedVersion,
  file: ManifestFile,
  chunkSize: number,
): Promise<string> {
  const key = unwrapKey(kek, entry.wrappedKey, keyContext(BigInt(entry.chainId), BigInt(entry.modelId), entry.version));
  const header = { fileId: Buffer.from(file.fileId, "hex"), size: file.size, chunkSize };
  const read = async (offset: number, length: number) => {
    const pieces: Buffer[] = [];
    for await (const piece of store.cat(file.cid, { offset, length })) pieces.push(Buffer.from(piece));
    return Buffer.concat(pieces);
  };
  const hash = createHash("sha256");
  for await (const part of decryptFile(key, header, read)) hash.update(part);
  return hash.digest("hex");
}
