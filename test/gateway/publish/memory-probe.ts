/**
 * Run as its own process (`node --expose-gc --import tsx memory-probe.ts DIR SIZE`) by memory.test.ts: writes a
 * SIZE-byte model file, publishes the directory to an embedded store under DIR, and prints JSON with the live-memory
 * growth at peak (heap and Buffers after a full GC, sampled every few ciphertext chunks as the store consumes them)
 * and whether the file decrypts back from the store with the same SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { publish } from "../../../gateway/publish/publish.js";
import { openEmbeddedStore } from "../../../gateway/storage/embedded.js";
import type { ContentStore } from "../../../gateway/storage/store.js";
import { readPublishedHash } from "./helpers.js";

export interface PublishProbeResult {
  size: number;
  growth: number;
  /** Peak resident set size of the probe process, bytes. */
  maxRss: number;
  identical: boolean;
}

const SAMPLE_EVERY = 8;

function liveBytes(): number {
  (globalThis as unknown as { gc: () => void }).gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function probe(dir: string, size: number): Promise<PublishProbeResult> {
  const modelDir = path.join(dir, "model");
  await mkdir(modelDir, { recursive: true });
  const file = await open(path.join(modelDir, "model.safetensors"), "w");
  const piece = randomBytes(1024 * 1024);
  const hash = createHash("sha256");
  for (let at = 0; at < size; at += piece.length) {
    piece.writeUInt32BE(at / piece.length, 0);
    const part = piece.subarray(0, Math.min(piece.length, size - at));
    hash.update(part);
    await file.write(part);
  }
  await file.close();

  const inner = await openEmbeddedStore(path.join(dir, "blocks"));
  const baseline = liveBytes();
  let peak = baseline;
  const store: ContentStore = {
    ...inner,
    description: inner.description,
    async add(content) {
      if (content instanceof Uint8Array) return inner.add(content);
      const source = content;
      async function* sampled(): AsyncGenerator<Uint8Array> {
        let count = 0;
        for await (const chunk of source) {
          if (++count % SAMPLE_EVERY === 0) peak = Math.max(peak, liveBytes());
          yield chunk;
        }
      }
      return inner.add(sampled());
    },
  };
  const kek = randomBytes(32);
  const result = await publish({ dir: modelDir, chainId: 1, modelId: 1, store, dataDir: dir, kek });
  const identical =
    (await readPublishedHash(inner, kek, result.entry, result.files[0], result.manifest.chunkSize)) ===
    hash.digest("hex");
  await inner.close();
  return { size, growth: peak - baseline, maxRss: process.resourceUsage().maxRSS * 1024, identical };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await probe(process.argv[2], Number(process.argv[3]))));
}
