/**
 * Chunked authenticated encryption of one file (issue #12, format "weightshare/chunk/v1").
 *
 * Each file gets a random 16-byte file id and its own key, HKDF-SHA256(contentKey, salt = file id,
 * info = "weightshare/chunk/v1"). The plaintext is cut into fixed-size chunks; chunk i is sealed with AES-256-GCM
 * under a 12-byte nonce (4 zero bytes || uint64 big-endian i), unique because the key is unique per file, and
 * AAD = "weightshare/chunk/v1" || file id || uint64 i || uint64 chunkCount. A chunk therefore cannot be moved to
 * another file or position, and the file cannot be truncated or extended, without a tag failing. Ciphertext chunk i
 * is ct || 16-byte tag at offset i * (chunkSize + 16). An empty file is one empty chunk (just a tag).
 *
 * Only `node:crypto` (OpenSSL) is used; nothing here implements a cipher.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { Readable } from "node:stream";

/** Format label: HKDF info and AAD prefix. */
export const CHUNK_FORMAT = "weightshare/chunk/v1";
/**
 * Default plaintext chunk size: 1 MiB less the tag, so that a sealed chunk is exactly 1 MiB, one IPFS leaf of the
 * stores' 1 MiB import chunks. A chunk is then one block read and decrypts from that block with no copy; with 1 MiB
 * of plaintext every chunk straddled two leaves (twice the reads, and a copy to join them).
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024 - 16;
/** Largest accepted chunk size (256 MiB): one chunk is held in memory at a time. */
export const MAX_CHUNK_SIZE = 256 * 1024 * 1024;
/** AES-GCM tag length appended to every chunk. */
export const TAG_LENGTH = 16;
/** Length of the random per-file id. */
export const FILE_ID_LENGTH = 16;

const FORMAT_BYTES = Buffer.from(CHUNK_FORMAT, "utf8");

/** What a reader needs besides the key: recorded in the manifest for each file. */
export interface ChunkedFileHeader {
  /** The file's random id (16 bytes). */
  fileId: Uint8Array;
  /** Plaintext size in bytes. */
  size: number;
  /** Plaintext chunk size in bytes. */
  chunkSize: number;
}

/** Reads `length` ciphertext bytes at `offset` (e.g. an HTTP range request or a file read). */
export type ReadCiphertext = (offset: number, length: number) => Promise<Uint8Array>;

/** A chunk failed authentication: wrong key, tampered, moved, reordered, truncated or extended ciphertext. */
export class ChunkAuthenticationError extends Error {
  /** Index of the chunk that failed. */
  readonly chunkIndex: number;

  /** @param chunkIndex the failing chunk; @param reason what was wrong with it. */
  constructor(chunkIndex: number, reason: string) {
    super(`chunk ${chunkIndex} failed authentication: ${reason}`);
    this.name = "ChunkAuthenticationError";
    this.chunkIndex = chunkIndex;
  }
}

/** Number of chunks a file of `size` bytes has (an empty file has one empty chunk). */
export function chunkCountFor(size: number, chunkSize: number): number {
  checkSizes(size, chunkSize);
  return size === 0 ? 1 : Math.ceil(size / chunkSize);
}

/** Total ciphertext length of a file of `size` bytes: the plaintext plus one tag per chunk. */
export function ciphertextSizeFor(size: number, chunkSize: number): number {
  return size + chunkCountFor(size, chunkSize) * TAG_LENGTH;
}

/**
 * Encrypts `size` bytes read from `input` in chunks of `chunkSize`, holding one chunk in memory at a time.
 * The returned stream errors if `input` delivers more or fewer than `size` bytes.
 */
export function encryptStream(
  contentKey: Uint8Array,
  input: Readable | AsyncIterable<Uint8Array>,
  size: number,
  chunkSize: number = DEFAULT_CHUNK_SIZE,
): { fileId: Buffer; chunkCount: number; stream: Readable } {
  checkContentKey(contentKey);
  const chunkCount = chunkCountFor(size, chunkSize);
  const fileId = randomBytes(FILE_ID_LENGTH);
  const key = fileKey(contentKey, fileId);

  async function* seal(): AsyncGenerator<Buffer> {
    const pending = Buffer.allocUnsafe(Math.min(chunkSize, Math.max(size, 1)));
    let filled = 0;
    let index = 0;
    let total = 0;
    for await (const piece of input as AsyncIterable<Uint8Array | string>) {
      const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
      total += bytes.length;
      if (total > size) throw new Error(`input is longer than the declared size of ${size} bytes`);
      let at = 0;
      while (at < bytes.length) {
        const take = Math.min(bytes.length - at, pending.length - filled);
        pending.set(bytes.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === pending.length && index < chunkCount - 1) {
          yield sealChunk(key, fileId, index++, chunkCount, pending);
          filled = 0;
        }
      }
    }
    if (total !== size) throw new Error(`input ended after ${total} bytes, expected ${size}`);
    yield sealChunk(key, fileId, index, chunkCount, pending.subarray(0, filled));
  }

  return { fileId, chunkCount, stream: Readable.from(seal(), { objectMode: false }) };
}

/**
 * Decrypts plaintext bytes `start`..`endInclusive` of a file, reading and authenticating only the chunks that
 * hold them, one at a time. Throws `ChunkAuthenticationError` (with the chunk index) when a chunk fails and
 * `RangeError` for a range outside the file.
 */
export async function* decryptRange(
  contentKey: Uint8Array,
  header: ChunkedFileHeader,
  readCiphertext: ReadCiphertext,
  start: number,
  endInclusive: number,
): AsyncGenerator<Buffer> {
  const { size } = header;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start) {
    throw new RangeError(`invalid byte range ${start}-${endInclusive}`);
  }
  if (endInclusive >= size) {
    throw new RangeError(`byte range ${start}-${endInclusive} is outside a file of ${size} bytes`);
  }
  yield* openChunks(contentKey, header, readCiphertext, start, endInclusive);
}

/** Decrypts a whole file (an empty one included: its single empty chunk is still authenticated). */
export async function* decryptFile(
  contentKey: Uint8Array,
  header: ChunkedFileHeader,
  readCiphertext: ReadCiphertext,
): AsyncGenerator<Buffer> {
  yield* openChunks(contentKey, header, readCiphertext, 0, header.size - 1);
}

async function* openChunks(
  contentKey: Uint8Array,
  header: ChunkedFileHeader,
  readCiphertext: ReadCiphertext,
  start: number,
  endInclusive: number,
): AsyncGenerator<Buffer> {
  checkContentKey(contentKey);
  const { fileId, size, chunkSize } = header;
  if (fileId.length !== FILE_ID_LENGTH) throw new Error(`file id must be ${FILE_ID_LENGTH} bytes`);
  const chunkCount = chunkCountFor(size, chunkSize);
  const key = fileKey(contentKey, fileId);
  const first = size === 0 ? 0 : Math.floor(start / chunkSize);
  const last = size === 0 ? 0 : Math.floor(endInclusive / chunkSize);
  for (let index = first; index <= last; index++) {
    const plainLength = Math.min(chunkSize, size - index * chunkSize);
    const expected = plainLength + TAG_LENGTH;
    const sealed = await readCiphertext(index * (chunkSize + TAG_LENGTH), expected);
    if (sealed.length !== expected) {
      throw new ChunkAuthenticationError(index, `expected ${expected} ciphertext bytes, got ${sealed.length}`);
    }
    const plain = openChunk(key, fileId, index, chunkCount, sealed);
    const from = index === first ? start - index * chunkSize : 0;
    const to = index === last ? endInclusive - index * chunkSize + 1 : plainLength;
    if (to > from) yield plain.subarray(from, to);
  }
}

function sealChunk(key: Buffer, fileId: Uint8Array, index: number, count: number, plain: Uint8Array): Buffer {
  const cipher = createCipheriv("aes-256-gcm", key, nonceFor(index), { authTagLength: TAG_LENGTH });
  cipher.setAAD(aadFor(fileId, index, count));
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function openChunk(key: Buffer, fileId: Uint8Array, index: number, count: number, sealed: Uint8Array): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, nonceFor(index), { authTagLength: TAG_LENGTH });
  decipher.setAAD(aadFor(fileId, index, count));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  const body = decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
  try {
    const tail = decipher.final(); // empty for GCM: no second copy of the chunk
    return tail.length === 0 ? body : Buffer.concat([body, tail]);
  } catch {
    throw new ChunkAuthenticationError(index, "tag mismatch (wrong key, or ciphertext tampered, moved or truncated)");
  }
}

function fileKey(contentKey: Uint8Array, fileId: Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", contentKey, fileId, FORMAT_BYTES, 32));
}

function nonceFor(index: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
}

function aadFor(fileId: Uint8Array, index: number, count: number): Buffer {
  const numbers = Buffer.alloc(16);
  numbers.writeBigUInt64BE(BigInt(index), 0);
  numbers.writeBigUInt64BE(BigInt(count), 8);
  return Buffer.concat([FORMAT_BYTES, fileId, numbers]);
}

function checkContentKey(contentKey: Uint8Array): void {
  if (contentKey.length !== 32) throw new Error(`content key must be 32 bytes, got ${contentKey.length}`);
}

function checkSizes(size: number, chunkSize: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid file size ${size}`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunk size must be an integer from 1 to ${MAX_CHUNK_SIZE}, got ${chunkSize}`);
  }
}
