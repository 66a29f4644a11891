/**
 * Chunked encryption round trips for every size around a chunk boundary, and every byte range decrypts to the
 * plaintext slice while reading only the chunks that hold it (issue #12, gateway/encryption/chunks.ts).
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";

import { expect } from "chai";

import {
  chunkCountFor,
  ciphertextSizeFor,
  DEFAULT_CHUNK_SIZE,
  decryptFile,
  decryptRange,
  encryptStream,
  TAG_LENGTH,
} from "../../../gateway/encryption/chunks.js";
import { collect, encryptBuffer, expectRejection, randomKey, recordingReader } from "./helpers.js";

const CHUNK = 64;

describe("gateway/encryption/chunks: round trip", function () {
  const key = randomKey();
  const sizes = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 5 * CHUNK + 17];

  for (const size of sizes) {
    it(`round-trips a file of ${size} bytes`, async function () {
      const plaintext = randomBytes(size);
      const file = await encryptBuffer(key, plaintext, CHUNK);
      expect(file.chunkCount).to.equal(chunkCountFor(size, CHUNK));
      expect(file.ciphertext.length).to.equal(ciphertextSizeFor(size, CHUNK));
      expect(file.header.fileId.length).to.equal(16);
      const { read, chunksRead } = recordingReader(file.ciphertext, CHUNK);
      expect((await collect(decryptFile(key, file.header, read))).equals(plaintext)).to.equal(true);
      expect(chunksRead).to.deep.equal([...Array(file.chunkCount).keys()]);
    });
  }

  it("encrypts an empty file as one empty chunk (a tag alone)", async function () {
    const file = await encryptBuffer(key, Buffer.alloc(0), CHUNK);
    expect(file.chunkCount).to.equal(1);
    expect(file.ciphertext.length).to.equal(TAG_LENGTH);
  });

  it("gives every file its own id, so equal plaintexts encrypt differently", async function () {
    const plaintext = randomBytes(3 * CHUNK);
    const a = await encryptBuffer(key, plaintext, CHUNK);
    const b = await encryptBuffer(key, plaintext, CHUNK);
    expect(Buffer.from(a.header.fileId).equals(b.header.fileId)).to.equal(false);
    expect(a.ciphertext.equals(b.ciphertext)).to.equal(false);
  });

  it("seals 1 MiB chunks by default (1 MiB - 16 of plaintext + the tag: one IPFS leaf each)", async function () {
    expect(DEFAULT_CHUNK_SIZE + TAG_LENGTH).to.equal(1024 * 1024);
    const plaintext = randomBytes(DEFAULT_CHUNK_SIZE + 5);
    const { fileId, chunkCount, stream } = encryptStream(key, Readable.from([plaintext]), plaintext.length);
    expect(chunkCount).to.equal(2);
    const ciphertext = await collect(stream);
    expect(ciphertext.length).to.equal(plaintext.length + 2 * TAG_LENGTH);
    const { read } = recordingReader(ciphertext, DEFAULT_CHUNK_SIZE);
    const header = { fileId, size: plaintext.length, chunkSize: DEFAULT_CHUNK_SIZE };
    expect((await collect(decryptFile(key, header, read))).equals(plaintext)).to.equal(true);
  });

  it("refuses input shorter or longer than the declared size", async function () {
    const short = encryptStream(key, Readable.from([randomBytes(10)]), 11, CHUNK);
    await expectRejection(collect(short.stream), /input ended after 10 bytes, expected 11/);
    const long = encryptStream(key, Readable.from([randomBytes(12)]), 11, CHUNK);
    await expectRejection(collect(long.stream), /longer than the declared size of 11/);
  });

  it("refuses a bad chunk size or content key", function () {
    expect(() => encryptStream(key, Readable.from([]), 0, 0)).to.throw(RangeError, /chunk size/);
    expect(() => encryptStream(randomBytes(16), Readable.from([]), 0, CHUNK)).to.throw(/32 bytes/);
  });
});

describe("gateway/encryption/chunks: byte ranges", function () {
  const key = randomKey();

  it("decrypts every range of a 4.5-chunk file exactly, reading only the chunks it spans", async function () {
    const size = 4 * CHUNK + CHUNK / 2;
    const plaintext = randomBytes(size);
    const file = await encryptBuffer(key, plaintext, CHUNK);
    // Every start/end on, just before and just after each chunk boundary, plus the ends of the file.
    const points = new Set<number>([0, 1, size - 2, size - 1]);
    for (let b = CHUNK; b < size; b += CHUNK) [b - 1, b, b + 1].forEach((p) => points.add(p));
    const sorted = [...points].sort((x, y) => x - y);
    let ranges = 0;
    for (const start of sorted) {
      for (const end of sorted.filter((p) => p >= start)) {
        const { read, chunksRead } = recordingReader(file.ciphertext, CHUNK);
        const got = await collect(decryptRange(key, file.header, read, start, end));
        expect(got.equals(plaintext.subarray(start, end + 1)), `range ${start}-${end}`).to.equal(true);
        const first = Math.floor(start / CHUNK);
        const last = Math.floor(end / CHUNK);
        const needed = Array.from({ length: last - first + 1 }, (_, i) => first + i);
        expect(chunksRead, `chunks read for ${start}-${end}`).to.deep.equal(needed);
        ranges++;
      }
    }
    expect(ranges).to.be.greaterThan(100);
  });

  it("decrypts a single byte from the middle of a large file by reading one chunk", async function () {
    const plaintext = randomBytes(100 * CHUNK);
    const file = await encryptBuffer(key, plaintext, CHUNK);
    const { read, chunksRead } = recordingReader(file.ciphertext, CHUNK);
    const got = await collect(decryptRange(key, file.header, read, 50 * CHUNK + 7, 50 * CHUNK + 7));
    expect([...got]).to.deep.equal([plaintext[50 * CHUNK + 7]]);
    expect(chunksRead).to.deep.equal([50]);
  });

  it("refuses ranges outside the file without reading anything", async function () {
    const file = await encryptBuffer(key, randomBytes(CHUNK), CHUNK);
    const { read, chunksRead } = recordingReader(file.ciphertext, CHUNK);
    await expectRejection(collect(decryptRange(key, file.header, read, 0, CHUNK)), /outside a file of 64 bytes/);
    await expectRejection(collect(decryptRange(key, file.header, read, 5, 4)), /invalid byte range/);
    await expectRejection(collect(decryptRange(key, file.header, read, -1, 4)), /invalid byte range/);
    expect(chunksRead).to.deep.equal([]);
  });
});
