/**
 * A 64 MiB file encrypts to disk and decrypts back in constant memory: no buffer larger than one sealed chunk is
 * ever handed out, and live memory (heap + array buffers, measured after a forced GC at regular points mid-stream)
 * stays far below the file size (issue #12, gateway/encryption/chunks.ts). Nothing here asserts on time.
 */
import { createHash, randomBytes } from "node:crypto";
import { open, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { expect } from "chai";

import { decryptFile, encryptStream, TAG_LENGTH } from "../../../gateway/encryption/chunks.js";
import { randomKey } from "./helpers.js";

const FILE_SIZE = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const PIECE = 64 * 1024;
const SAMPLE_EVERY = 8; // chunks between memory samples

/** `global.gc` when Node runs with --expose-gc, otherwise one obtained by enabling the flag at run time. */
function getGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Live bytes after a full GC: JS heap plus Buffer backing stores. */
function liveBytes(gc: () => void): number {
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe("gateway/encryption/chunks: constant memory", function () {
  this.timeout(300_000);
  let dir: string;

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-gateway-mem-"));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("streams a 64 MiB file through encryption and decryption with bounded buffers and heap", async function () {
    const gc = getGc();
    const key = randomKey();
    const base = randomBytes(PIECE);
    const inputHash = createHash("sha256");
    async function* plaintext(): AsyncGenerator<Buffer> {
      for (let i = 0; i < FILE_SIZE / PIECE; i++) {
        const piece = Buffer.from(base);
        piece.writeUInt32BE(i, 0);
        inputHash.update(piece);
        yield piece;
      }
    }

    const baseline = liveBytes(gc);
    let peak = baseline;
    let largest = 0;

    const file = path.join(dir, "model.enc");
    const out = await open(file, "w");
    const { fileId, chunkCount, stream } = encryptStream(key, Readable.from(plaintext()), FILE_SIZE, CHUNK);
    let written = 0;
    for await (const sealed of stream as AsyncIterable<Buffer>) {
      largest = Math.max(largest, sealed.length);
      await out.write(sealed);
      written++;
      if (written % SAMPLE_EVERY === 0) peak = Math.max(peak, liveBytes(gc));
    }
    await out.close();
    expect(written)
      .to.equal(chunkCount)
      .and.to.equal(FILE_SIZE / CHUNK);

    const input = await open(file, "r");
    const read = async (offset: number, length: number) => {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await input.read(buffer, 0, length, offset);
      largest = Math.max(largest, length);
      return buffer.subarray(0, bytesRead);
    };
    const outputHash = createHash("sha256");
    let decrypted = 0;
    let pieces = 0;
    try {
      for await (const part of decryptFile(key, { fileId, size: FILE_SIZE, chunkSize: CHUNK }, read)) {
        largest = Math.max(largest, part.length);
        outputHash.update(part);
        decrypted += part.length;
        if (++pieces % SAMPLE_EVERY === 0) peak = Math.max(peak, liveBytes(gc));
      }
    } finally {
      await input.close();
    }

    expect(decrypted).to.equal(FILE_SIZE);
    expect(outputHash.digest("hex")).to.equal(inputHash.digest("hex"));
    expect(largest, "largest buffer held").to.be.at.most(CHUNK + TAG_LENGTH);
    const growth = peak - baseline;
    console.log(`      live-memory growth at peak: ${(growth / 1024 / 1024).toFixed(1)} MiB for a 64 MiB file`);
    expect(growth, "live-memory growth").to.be.below(FILE_SIZE / 8);
  });
});
