/**
 * Run as its own process (`node --expose-gc memory-probe.ts DIR`) by memory.test.ts, so that nothing else a test
 * run has allocated moves the measurement: streams a 256 MiB file through encryption to disk and back, and prints
 * JSON with the largest buffer it was handed, the live-memory growth at peak (heap and Buffers, sampled after a
 * full GC every few chunks), and whether the plaintext came back byte for byte.
 */
import { createHash, randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

import { decryptFile, encryptStream, TAG_LENGTH } from "../../../gateway/encryption/chunks.ts";

export const FILE_SIZE = 256 * 1024 * 1024;
export const CHUNK = 1024 * 1024;
const PIECE = 64 * 1024;
const SAMPLE_EVERY = 8; // chunks between memory samples

export interface ProbeResult {
  chunks: number;
  largest: number;
  limit: number;
  growth: number;
  identical: boolean;
}

function liveBytes(): number {
  (globalThis as unknown as { gc: () => void }).gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function probe(dir: string): Promise<ProbeResult> {
  const key = randomBytes(32);
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
  const baseline = liveBytes();
  let peak = baseline;
  let largest = 0;
  const file = path.join(dir, "model.enc");
  const out = await open(file, "w");
  const { fileId, chunkCount, stream } = encryptStream(key, Readable.from(plaintext()), FILE_SIZE, CHUNK);
  let written = 0;
  for await (const sealed of stream as AsyncIterable<Buffer>) {
    largest = Math.max(largest, sealed.length);
    await out.write(sealed);
    if (++written % SAMPLE_EVERY === 0) peak = Math.max(peak, liveBytes());
  }
  await out.close();
  const input = await open(file, "r");
  const read = async (offset: number, length: number) => {
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await input.read(buffer, 0, length, offset);
    largest = Math.max(largest, length);
    return buffer.subarray(0, bytesRead);
  };
  const outputHash = createHash("sha256");
  let pieces = 0;
  try {
    for await (const part of decryptFile(key, { fileId, size: FILE_SIZE, chunkSize: CHUNK }, read)) {
      largest = Math.max(largest, part.length);
      outputHash.update(part);
      if (++pieces % SAMPLE_EVERY === 0) peak = Math.max(peak, liveBytes());
    }
  } finally {
    await input.close();
  }
  return {
    chunks: chunkCount,
    largest,
    limit: CHUNK + TAG_LENGTH,
    growth: peak - baseline,
    identical: outputHash.digest("hex") === inputHash.digest("hex"),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await probe(process.argv[2])));
}
