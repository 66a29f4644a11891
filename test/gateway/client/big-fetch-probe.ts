/**
 * Run as its own process (`node --import tsx --expose-gc big-fetch-probe.ts DIR`) by big-fetch.test.ts, so that
 * nothing else a test run allocated moves the measurement. Generates a 260 MiB weights file by a stream (never held
 * in memory), publishes the model into the embedded IPFS store, then reads the manifest back from the store and
 * decrypts every file to disk with the client's downloader (`storeSource`, `readManifest`, `downloadFiles`: what
 * `fetchModel` runs once the gateway has released the key), verifying SHA-256; then again over HTTP from the
 * gateway's own `/ipfs/:cid` route (fastify, `ipfsRoutes`) served from this process. Prints JSON: the live-memory growth
 * at peak over the baseline in each phase (heap and Buffers, sampled after a full GC every 100 ms), the RSS growth,
 * and the SHA-256 of the generated, published and fetched file.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";

import Fastify from "fastify";

import { downloadFiles, httpSource, readManifest, storeSource } from "../../../gateway/client/index.ts";
import { keyContext, unwrapKey } from "../../../gateway/encryption/keys.ts";
import { publish } from "../../../gateway/publish/publish.ts";
import type { GatewayContext } from "../../../gateway/server/context.ts";
import { createMetrics } from "../../../gateway/server/metrics.ts";
import { installProblems } from "../../../gateway/server/problem.ts";
import { ipfsRoutes } from "../../../gateway/server/routes/ipfs.ts";
import { StreamTracker } from "../../../gateway/server/stream.ts";
import { openEmbeddedStore } from "../../../gateway/storage/embedded.ts";

export const BIG_FILE_SIZE = 260 * 1024 * 1024;
const PIECE = 1024 * 1024;

export interface BigFetchResult {
  size: number;
  /** Live-memory growth at peak while publishing, and while fetching and decrypting. */
  publishGrowth: number;
  fetchGrowth: number;
  /** The same over HTTP: the gateway's `/ipfs/:cid` route and the client in this one process. */
  httpGrowth: number;
  httpSha256: string;
  /** Growth of the JavaScript heap alone at peak, both phases. */
  heapGrowth: number;
  /** RSS growth at peak over both phases (informative: RSS includes freed memory not returned to the OS). */
  rssGrowth: number;
  publishedSha256: string;
  generatedSha256: string;
  fetchedSha256: string;
  files: number;
}

/** Heap and Buffers still referenced after a full GC; the heap alone is `heapPeak`'s measure. */
function liveBytes(): number {
  (globalThis as unknown as { gc: () => void }).gc();
  const usage = process.memoryUsage();
  heapPeak = Math.max(heapPeak, usage.heapUsed);
  return usage.heapUsed + usage.arrayBuffers;
}

let heapPeak = 0;

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const piece of createReadStream(file, { highWaterMark: PIECE })) hash.update(piece as Buffer);
  return hash.digest("hex");
}

async function probe(dir: string): Promise<BigFetchResult> {
  const modelDir = path.join(dir, "model");
  const dataDir = path.join(dir, "data");
  await mkdir(modelDir, { recursive: true });
  await writeFile(path.join(modelDir, "config.json"), JSON.stringify({ model_type: "big" }));
  const generated = createHash("sha256");
  const base = randomBytes(PIECE);
  async function* weights(): AsyncGenerator<Buffer> {
    for (let i = 0; i < BIG_FILE_SIZE / PIECE; i++) {
      const piece = Buffer.from(base);
      piece.writeUInt32BE(i, 0);
      generated.update(piece);
      yield piece;
    }
  }
  await pipeline(Readable.from(weights()), createWriteStream(path.join(modelDir, "model.safetensors")));

  const store = await openEmbeddedStore(path.join(dataDir, "blocks"));
  const kek = randomBytes(32);
  const baseline = liveBytes();
  const heapBaseline = process.memoryUsage().heapUsed;
  heapPeak = heapBaseline;
  const rssBaseline = process.memoryUsage().rss;
  let peak = baseline;
  let rssPeak = rssBaseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, liveBytes());
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 100);
  try {
    const published = await publish({ dir: modelDir, chainId: 31337n, modelId: 1n, store, dataDir, kek });
    peak = Math.max(peak, liveBytes());
    const publishGrowth = peak - baseline;
    const fetchBaseline = liveBytes();
    peak = fetchBaseline;
    const contentKey = unwrapKey(kek, published.entry.wrappedKey, keyContext(31337n, 1n, published.version));
    const source = storeSource(store);
    const manifest = await readManifest(source, { ...published.entry });
    const fetched = await downloadFiles({ manifest, contentKey, source, outDir: path.join(dir, "out") });
    peak = Math.max(peak, liveBytes());
    const fetchGrowth = peak - fetchBaseline;
    const big = fetched.find((f) => f.path === "model.safetensors")!;
    const fetchedSha256 = await sha256File(big.target);

    // The gateway's own /ipfs route (only the store, metrics and stream tracker of a context are used by it).
    const metrics = createMetrics(false);
    const app = Fastify();
    installProblems(app);
    ipfsRoutes(app, { store, metrics, streams: new StreamTracker(metrics) } as unknown as GatewayContext);
    await app.listen({ host: "127.0.0.1", port: 0 });
    let httpGrowth: number;
    let httpSha256: string;
    try {
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const httpBaseline = liveBytes();
      peak = httpBaseline;
      const overHttp = await downloadFiles({
        manifest,
        contentKey,
        source: httpSource(url),
        outDir: path.join(dir, "http"),
      });
      peak = Math.max(peak, liveBytes());
      httpGrowth = peak - httpBaseline;
      httpSha256 = await sha256File(overHttp.find((f) => f.path === "model.safetensors")!.target);
    } finally {
      await app.close();
    }
    return {
      size: big.size,
      publishGrowth,
      fetchGrowth,
      httpGrowth,
      httpSha256,
      heapGrowth: heapPeak - heapBaseline,
      rssGrowth: rssPeak - rssBaseline,
      publishedSha256: published.files.find((f) => f.path === "model.safetensors")!.sha256,
      generatedSha256: generated.digest("hex"),
      fetchedSha256,
      files: fetched.length,
    };
  } finally {
    clearInterval(sampler);
    await store.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await probe(process.argv[2])));
}
