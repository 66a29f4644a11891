/**
 * Every way of altering ciphertext that the chunk format is meant to catch fails with `ChunkAuthenticationError`
 * naming the chunk: a flipped byte, two chunks swapped, a chunk moved from another file, the last chunk truncated,
 * a chunk appended, and a wrong content key (issue #12, gateway/encryption/chunks.ts).
 */
import { randomBytes } from "node:crypto";

import { expect } from "chai";

import {
  ChunkAuthenticationError,
  decryptFile,
  decryptRange,
  TAG_LENGTH,
  type ChunkedFileHeader,
} from "../../../gateway/encryption/chunks.js";
import { collect, encryptBuffer, expectRejection, randomKey, recordingReader } from "./helpers.js";

const CHUNK = 64;
const SEALED = CHUNK + TAG_LENGTH;

/** Decrypts the whole file from `ciphertext` and expects a ChunkAuthenticationError for `chunkIndex`. */
async function expectChunkFailure(
  key: Uint8Array,
  header: ChunkedFileHeader,
  ciphertext: Buffer,
  chunkIndex: number,
): Promise<ChunkAuthenticationError> {
  const { read } = recordingReader(ciphertext, header.chunkSize);
  const error = await expectRejection(collect(decryptFile(key, header, read)), /failed authentication/);
  expect(error).to.be.instanceOf(ChunkAuthenticationError);
  expect((error as ChunkAuthenticationError).chunkIndex).to.equal(chunkIndex);
  expect(error.message).to.contain(`chunk ${chunkIndex}`);
  return error as ChunkAuthenticationError;
}

describe("gateway/encryption/chunks: tampering", function () {
  const key = randomKey();
  const size = 3 * CHUNK + 10; // chunks 0..2 full, chunk 3 holds 10 bytes

  it("fails on a flipped byte in any chunk's ciphertext or tag, at that chunk", async function () {
    const file = await encryptBuffer(key, randomBytes(size), CHUNK);
    for (const offset of [0, CHUNK - 1, CHUNK, SEALED + 5, 2 * SEALED + CHUNK + 3, file.ciphertext.length - 1]) {
      const altered = Buffer.from(file.ciphertext);
      altered[offset] ^= 0x01;
      await expectChunkFailure(key, file.header, altered, Math.floor(offset / SEALED));
    }
  });

  it("fails on a flipped byte only when a range reads that chunk", async function () {
    const plaintext = randomBytes(size);
    const file = await encryptBuffer(key, plaintext, CHUNK);
    const altered = Buffer.from(file.ciphertext);
    altered[2 * SEALED + 1] ^= 0x80;
    const { read } = recordingReader(altered, CHUNK);
    const clean = await collect(decryptRange(key, file.header, read, 0, 2 * CHUNK - 1));
    expect(clean.equals(plaintext.subarray(0, 2 * CHUNK))).to.equal(true);
    const error = await expectRejection(collect(decryptRange(key, file.header, read, CHUNK, 2 * CHUNK)), /chunk 2/);
    expect(error).to.be.instanceOf(ChunkAuthenticationError);
  });

  it("fails when two chunks are swapped", async function () {
    const file = await encryptBuffer(key, randomBytes(size), CHUNK);
    const c = file.ciphertext;
    const swapped = Buffer.concat([c.subarray(SEALED, 2 * SEALED), c.subarray(0, SEALED), c.subarray(2 * SEALED)]);
    await expectChunkFailure(key, file.header, swapped, 0);
  });

  it("fails when a chunk comes from another file encrypted under the same content key", async function () {
    const file = await encryptBuffer(key, randomBytes(size), CHUNK);
    const other = await encryptBuffer(key, randomBytes(size), CHUNK);
    const mixed = Buffer.from(file.ciphertext);
    other.ciphertext.copy(mixed, SEALED, SEALED, 2 * SEALED);
    await expectChunkFailure(key, file.header, mixed, 1);
  });

  it("fails when the last chunk is truncated, whatever size the header then claims", async function () {
    const file = await encryptBuffer(key, randomBytes(size), CHUNK);
    const cut = file.ciphertext.subarray(0, file.ciphertext.length - 4);
    await expectChunkFailure(key, file.header, cut, 3); // short read
    await expectChunkFailure(key, { ...file.header, size: size - 4 }, cut, 3); // shorter claim, same chunk count
    const dropped = file.ciphertext.subarray(0, 3 * SEALED); // whole last chunk gone, header says 3 chunks
    await expectChunkFailure(key, { ...file.header, size: 3 * CHUNK }, dropped, 0);
  });

  it("fails when a chunk is appended and the header claims the longer size", async function () {
    const file = await encryptBuffer(key, randomBytes(4 * CHUNK), CHUNK);
    const extended = Buffer.concat([file.ciphertext, file.ciphertext.subarray(3 * SEALED)]);
    await expectChunkFailure(key, { ...file.header, size: 5 * CHUNK }, extended, 0);
  });

  it("fails with a wrong content key or a wrong file id", async function () {
    const file = await encryptBuffer(key, randomBytes(size), CHUNK);
    await expectChunkFailure(randomKey(), file.header, file.ciphertext, 0);
    await expectChunkFailure(key, { ...file.header, fileId: randomBytes(16) }, file.ciphertext, 0);
  });

  it("authenticates an empty file's single chunk", async function () {
    const file = await encryptBuffer(key, Buffer.alloc(0), CHUNK);
    await expectChunkFailure(randomKey(), file.header, file.ciphertext, 0);
    const altered = Buffer.from(file.ciphertext);
    altered[0] ^= 1;
    await expectChunkFailure(key, file.header, altered, 0);
  });
});
