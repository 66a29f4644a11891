/**
 * Publishes a model directory as a new version (issue #12): every file encrypted in chunks under a fresh content
 * key (gateway/encryption/), the ciphertext, the manifest and the ERC-1155 metadata added to the content store, the
 * key wrapped under the gateway's KEK and recorded in the catalogue. Each file is read once, streamed through
 * SHA-256 and the cipher into the store, holding one chunk at a time: a multi-GB file publishes in constant memory.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

import { type Catalogue, openCatalogue, type PublishedVersion } from "../catalogue.ts";
import { CHUNK_FORMAT, DEFAULT_CHUNK_SIZE, ciphertextSizeFor, encryptStream } from "../encryption/chunks.ts";
import { generateContentKey, keyContext, wrapKey } from "../encryption/keys.ts";
import type { ContentStore } from "../storage/store.ts";
import {
  commitOf,
  contentHashOf,
  MANIFEST_FORMAT,
  manifestBytes,
  parseManifest,
  type Manifest,
  type ManifestFile,
} from "./manifest.ts";
import { buildMetadata, metadataBytes, type ModelMetadata } from "./metadata.ts";
import { inferenceTermsFromCard } from "./inference-terms.ts";
import { readModelCard, type ModelCard } from "./model-card.ts";
import { listModelFiles, type ModelFile } from "./walk.ts";

/** What `publish` takes. */
export interface PublishOptions {
  /** The model directory. */
  dir: string;
  chainId: bigint | number | string;
  modelId: bigint | number | string;
  /** Where ciphertext, manifest and metadata go. */
  store: ContentStore;
  /** The catalogue to record the version in, or the data directory holding it (`<dataDir>/catalogue`). */
  catalogue?: Catalogue;
  dataDir?: string;
  /** The gateway's key-encryption key (32 bytes). */
  kek: Uint8Array;
  /** Plaintext chunk size in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Override the model card's title and first paragraph in the metadata. */
  name?: string;
  description?: string;
  /** Called after each file is stored (for progress output). */
  onFile?: (file: ManifestFile) => void;
}

/** What a publication produced. */
export interface PublishResult {
  version: number;
  manifest: Manifest;
  manifestCid: string;
  metadata: ModelMetadata;
  metadataCid: string;
  /** `ipfs://<metadataCid>`: the token URI to propose with `update-metadata`. */
  metadataURI: string;
  /** keccak256 of the manifest bytes: the content hash to propose. */
  contentHash: string;
  /** SHA-1 of the manifest bytes: the version's Hugging Face revision. */
  commit: string;
  files: ManifestFile[];
  /** The catalogue entry written. */
  entry: PublishedVersion;
}

/** Publishes `dir` as the model's next version; see the module comment. Nothing is recorded if anything fails. */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const catalogue = options.catalogue ?? (options.dataDir ? openCatalogue(options.dataDir) : undefined);
  if (catalogue === undefined) throw new Error("publish needs a catalogue or a dataDir");
  const chainId = String(options.chainId);
  const modelId = String(options.modelId);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  ciphertextSizeFor(0, chunkSize); // refuses a bad chunk size before any work
  if (options.kek.length !== 32) throw new Error(`the KEK must be 32 bytes, got ${options.kek.length}`);

  const modelFiles = await listModelFiles(options.dir);
  // A malformed model card is refused before any file is encrypted.
  const card = await modelCard(modelFiles);
  const inference = card ? inferenceTermsFromCard(card.frontMatter) : undefined;
  if (inference?.file !== undefined && !modelFiles.some((file) => file.path === inference.file))
    throw new Error(`README.md: weightshare.inference.file "${inference.file}" is not a file of ${options.dir}`);
  const last = await catalogue.latest(chainId, modelId);
  const version = (last?.version ?? 0) + 1;
  const contentKey = generateContentKey();
  try {
    const files: ManifestFile[] = [];
    for (const file of modelFiles) {
      const stored = await storeFile(options.store, contentKey, file, chunkSize);
      files.push(stored);
      options.onFile?.(stored);
    }
    const manifest = parseManifest({
      format: MANIFEST_FORMAT,
      chainId,
      modelId,
      version,
      cipher: "AES-256-GCM",
      chunkFormat: CHUNK_FORMAT,
      chunkSize,
      files,
      ...(last ? { previous: last.manifestCid } : {}),
      ...(inference ? { inference } : {}),
    });
    const bytes = manifestBytes(manifest);
    const manifestCid = await options.store.add(bytes);
    const metadata = buildMetadata({
      manifest,
      manifestCid,
      card,
      name: options.name,
      description: options.description,
    });
    const metadataCid = await options.store.add(metadataBytes(metadata));
    const entry: PublishedVersion = {
      chainId,
      modelId,
      version,
      manifestCid,
      metadataCid,
      metadataURI: `ipfs://${metadataCid}`,
      contentHash: contentHashOf(bytes),
      commit: commitOf(bytes),
      wrappedKey: wrapKey(options.kek, contentKey, keyContext(BigInt(chainId), BigInt(modelId), version)),
      publishedAt: new Date().toISOString(),
    };
    await catalogue.record(entry);
    return {
      version,
      manifest,
      manifestCid,
      metadata,
      metadataCid,
      metadataURI: entry.metadataURI,
      contentHash: entry.contentHash,
      commit: entry.commit,
      files,
      entry,
    };
  } finally {
    contentKey.fill(0);
  }
}

/** Encrypts one file into the store in a single pass, hashing its plaintext on the way. */
async function storeFile(
  store: ContentStore,
  contentKey: Uint8Array,
  file: ModelFile,
  chunkSize: number,
): Promise<ManifestFile> {
  const sha256 = createHash("sha256");
  async function* plaintext(): AsyncGenerator<Buffer> {
    for await (const piece of createReadStream(file.absolute, { highWaterMark: 1024 * 1024 })) {
      sha256.update(piece as Buffer);
      yield piece as Buffer;
    }
  }
  const { fileId, stream } = encryptStream(contentKey, plaintext(), file.size, chunkSize);
  let cid: string;
  try {
    cid = await store.add(stream);
  } catch (error) {
    throw new Error(`cannot publish ${file.path}: ${(error as Error).message}`, { cause: error });
  }
  return {
    path: file.path,
    size: file.size,
    sha256: sha256.digest("hex"),
    fileId: fileId.toString("hex"),
    cid,
    ciphertextSize: ciphertextSizeFor(file.size, chunkSize),
  };
}

async function modelCard(files: ModelFile[]): Promise<ModelCard | undefined> {
  const readme = files.find((f) => f.path === "README.md");
  return readme ? readModelCard(readme.absolute) : undefined;
}
