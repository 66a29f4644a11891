/**
 * The manifest of one published model version (format "weightshare/manifest/v1"): every file of the model
 * directory with its plaintext size and SHA-256, its ciphertext CID and size, the chunk parameters and the cipher.
 * It is stored on IPFS as canonical JSON (keys sorted, no whitespace); the on-chain content hash is
 * keccak256 of those bytes, and the Hugging Face–compatible revision ("commit") of the version is SHA-1 of them.
 */
import { createHash } from "node:crypto";

import { keccak256 } from "ethers";
import { CID } from "multiformats/cid";

import { CHUNK_FORMAT, ciphertextSizeFor, MAX_CHUNK_SIZE } from "../encryption/chunks.ts";
import { parseInferenceTerms, type InferenceTerms } from "./inference-terms.ts";

/** Format label of the manifest. */
export const MANIFEST_FORMAT = "weightshare/manifest/v1";

/** One file of the model directory. */
export interface ManifestFile {
  /** POSIX path relative to the model directory ("config.json", "onnx/model.onnx"); never absolute, never "..". */
  path: string;
  /** Plaintext size in bytes. */
  size: number;
  /** Plaintext SHA-256, 64 lowercase hex characters. */
  sha256: string;
  /** The chunk format's random file id, 32 lowercase hex characters. */
  fileId: string;
  /** CID of the ciphertext (CIDv1, raw leaves). */
  cid: string;
  /** Ciphertext size in bytes (`ciphertextSizeFor(size, chunkSize)`). */
  ciphertextSize: number;
}

/** One published version of a model. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** Chain and model the version belongs to (decimal strings). */
  chainId: string;
  modelId: string;
  /** 1 for the first publication, then +1 per re-publication. */
  version: number;
  /** "AES-256-GCM". */
  cipher: "AES-256-GCM";
  /** "weightshare/chunk/v1" (see gateway/encryption/chunks.ts). */
  chunkFormat: "weightshare/chunk/v1";
  /** Plaintext chunk size in bytes. */
  chunkSize: number;
  /** Files sorted by path. */
  files: ManifestFile[];
  /** Manifest CID of the version this one replaces, when any. */
  previous?: string;
  /** How the version is served for inference and at what rate, when it is (gateway/publish/inference-terms.ts). */
  inference?: InferenceTerms;
}

/** Largest accepted plaintext file size (safe-integer arithmetic on sizes and offsets stays exact). */
const MAX_FILE_SIZE = Number.MAX_SAFE_INTEGER - 1024 * 1024 * 1024;
const MAX_FILES = 100_000;

/** A manifest failed validation; `field` names the offending field (e.g. `files[2].sha256`). */
export class ManifestError extends Error {
  /** @param field the offending field; @param problem what was wrong with it. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`manifest ${field}: ${problem}`);
    this.name = "ManifestError";
    this.field = field;
  }
}

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members dropped. Refuses values JSON
 * cannot hold exactly (non-finite numbers, bigints, functions).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** The manifest's stored bytes: UTF-8 canonical JSON. */
export function manifestBytes(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(manifest));
}

/** The on-chain content hash of manifest bytes: 0x-prefixed keccak256. */
export function contentHashOf(bytes: Uint8Array): string {
  return keccak256(bytes);
}

/** The Hugging Face revision ("commit") of manifest bytes: SHA-1, 40 lowercase hex characters. */
export function commitOf(bytes: Uint8Array): string {
  return createHash("sha1").update(bytes).digest("hex");
}

/**
 * Parses and validates manifest bytes (or an already-parsed object): format, ids, version, cipher, chunk size,
 * every file's path, sizes and hex fields, sorted unique paths, `previous`. Throws a `ManifestError` naming the field.
 */
export function parseManifest(input: Uint8Array | unknown): Manifest {
  let value: unknown = input;
  if (input instanceof Uint8Array) {
    try {
      value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(input));
    } catch (error) {
      throw new ManifestError("(document)", `not UTF-8 JSON (${(error as Error).message})`);
    }
  }
  const m = object(value, "(document)");
  allowOnly(m, "(document)", [
    "format",
    "chainId",
    "modelId",
    "version",
    "cipher",
    "chunkFormat",
    "chunkSize",
    "files",
    "previous",
    "inference",
  ]);
  if (m.format !== MANIFEST_FORMAT) throw new ManifestError("format", `expected "${MANIFEST_FORMAT}"`);
  const chainId = decimal(m.chainId, "chainId");
  const modelId = decimal(m.modelId, "modelId");
  const version = integer(m.version, "version", 1, Number.MAX_SAFE_INTEGER);
  if (m.cipher !== "AES-256-GCM") throw new ManifestError("cipher", 'expected "AES-256-GCM"');
  if (m.chunkFormat !== CHUNK_FORMAT) throw new ManifestError("chunkFormat", `expected "${CHUNK_FORMAT}"`);
  const chunkSize = integer(m.chunkSize, "chunkSize", 1, MAX_CHUNK_SIZE);
  if (!Array.isArray(m.files)) throw new ManifestError("files", "expected an array");
  if (m.files.length > MAX_FILES) throw new ManifestError("files", `more than ${MAX_FILES} files`);
  const files = m.files.map((file, i) => parseFile(file, `files[${i}]`, chunkSize));
  for (let i = 1; i < files.length; i++) {
    if (!(files[i - 1].path < files[i].path)) {
      throw new ManifestError(
        `files[${i}].path`,
        `"${files[i].path}" is not after "${files[i - 1].path}" (sorted, unique)`,
      );
    }
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    chainId,
    modelId,
    version,
    cipher: "AES-256-GCM",
    chunkFormat: CHUNK_FORMAT,
    chunkSize,
    files,
  };
  if (m.previous !== undefined) manifest.previous = cidText(m.previous, "previous");
  if (m.inference !== undefined) {
    manifest.inference = parseInferenceTerms(m.inference);
    const file = manifest.inference.file;
    if (file !== undefined && !files.some((f) => f.path === file))
      throw new ManifestError("inference.file", `"${file}" is not one of the manifest's files`);
  }
  if (version === 1 && manifest.previous !== undefined)
    throw new ManifestError("previous", "version 1 has no previous");
  if (version > 1 && manifest.previous === undefined)
    throw new ManifestError("previous", `version ${version} needs the previous manifest CID`);
  return manifest;
}

/**
 * Checks a manifest file path: relative POSIX, no empty, `.` or `..` segment, no leading `/`, no backslash, no NUL or
 * other control character, at most 1024 bytes. Returns it or throws a `ManifestError` naming `field`.
 */
export function checkManifestPath(value: unknown, field = "path"): string {
  if (typeof value !== "string" || value === "") throw new ManifestError(field, "expected a non-empty string");
  const segments = value.split("/");
  const checks: Array<[boolean, string]> = [
    [value.startsWith("/"), "is absolute"],
    [value.includes("\\"), "contains a backslash"],
    [hasControlCharacter(value), "contains a NUL or control character"],
    [/^[A-Za-z]:/.test(value), "starts with a drive letter"],
    [Buffer.byteLength(value) > 1024, "is longer than 1024 bytes"],
    [segments.includes(".."), 'contains a ".." segment'],
    [segments.some((s) => s === "" || s === "."), 'contains an empty or "." segment'],
  ];
  const problem = checks.find(([bad]) => bad)?.[1];
  if (problem) throw new ManifestError(field, `${JSON.stringify(value)} ${problem} (expected a relative POSIX path)`);
  return value;
}

function parseFile(value: unknown, field: string, chunkSize: number): ManifestFile {
  const f = object(value, field);
  allowOnly(f, field, ["path", "size", "sha256", "fileId", "cid", "ciphertextSize"]);
  const size = integer(f.size, `${field}.size`, 0, MAX_FILE_SIZE);
  const ciphertextSize = integer(f.ciphertextSize, `${field}.ciphertextSize`, 0, Number.MAX_SAFE_INTEGER);
  const expected = ciphertextSizeFor(size, chunkSize);
  if (ciphertextSize !== expected) {
    throw new ManifestError(
      `${field}.ciphertextSize`,
      `${ciphertextSize} does not match size ${size} in chunks of ${chunkSize} (expected ${expected})`,
    );
  }
  return {
    path: checkManifestPath(f.path, `${field}.path`),
    size,
    sha256: hex(f.sha256, `${field}.sha256`, 64),
    fileId: hex(f.fileId, `${field}.fileId`, 32),
    cid: cidText(f.cid, `${field}.cid`),
    ciphertextSize,
  };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ManifestError(field, "expected an object");
  return value as Record<string, unknown>;
}

function allowOnly(value: Record<string, unknown>, field: string, keys: string[]): void {
  const extra = Object.keys(value).find((key) => !keys.includes(key));
  if (extra !== undefined) throw new ManifestError(field, `unknown field "${extra}"`);
}

function decimal(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^(0|[1-9][0-9]{0,77})$/.test(value)) {
    throw new ManifestError(field, `expected a decimal integer string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ManifestError(field, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function hex(value: unknown, field: string, length: number): string {
  if (typeof value !== "string" || value.length !== length || !/^[0-9a-f]+$/.test(value)) {
    throw new ManifestError(field, `expected ${length} lowercase hex characters, got ${JSON.stringify(value)}`);
  }
  return value;
}

function cidText(value: unknown, field: string): string {
  if (typeof value === "string") {
    try {
      const cid = CID.parse(value);
      if (cid.version === 1 && cid.toString() === value) return value;
    } catch {
      // reported below
    }
  }
  throw new ManifestError(field, `expected a CIDv1 in base32, got ${JSON.stringify(value)}`);
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
