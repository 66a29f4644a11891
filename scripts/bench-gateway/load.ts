/**
 * Loopback HTTP load for `npm run bench:gateway`: whole-file downloads (throughput) and time to first byte, with
 * bounded request counts. Bodies are counted and discarded, so the client side holds no file in memory.
 */
import { request } from "node:http";

/** What one request measured. */
export interface Sample {
  status: number;
  bytes: number;
  /** Milliseconds from sending to the first body byte (or the end, for an empty body). */
  ttfbMs: number;
  /** Milliseconds from sending to the last byte. */
  totalMs: number;
}

/** GETs `url` with `headers`, reading and discarding the body. Rejects on a network error. */
export function fetchOnce(url: string, headers: Record<string, string> = {}): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
    const req = request(url, { headers, agent: false }, (res) => {
      let bytes = 0;
      let ttfbMs = -1;
      res.on("data", (piece: Buffer) => {
        if (ttfbMs < 0) ttfbMs = ms();
        bytes += piece.length;
      });
      res.on("end", () => {
        const totalMs = ms();
        resolve({ status: res.statusCode ?? 0, bytes, ttfbMs: ttfbMs < 0 ? totalMs : ttfbMs, totalMs });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Runs `count` requests, `concurrency` at a time; returns every sample. */
export async function run(count: number, concurrency: number, one: () => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      next++;
      samples.push(await one());
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return samples;
}

/** The `p`-th percentile (0..100) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** MiB/s of `bytes` moved in `ms` milliseconds. */
export function mibPerSecond(bytes: number, ms: number): number {
  return bytes / (1024 * 1024) / (ms / 1000);
}

/**
 * Best-of-`rounds` single-client throughput (MiB/s) of each target, downloading them in turn within every round
 * (after one warm-up round), so that whatever the machine does meanwhile (page cache, other load) falls on all of
 * them alike. Every download must answer 200 with `expectedBytes`.
 */
export async function throughputs(
  targets: { url: string; headers: Record<string, string> }[],
  expectedBytes: number,
  rounds: number,
): Promise<number[]> {
  const best = targets.map(() => 0);
  for (let round = 0; round <= rounds; round++) {
    for (const [i, { url, headers }] of targets.entries()) {
      const s = await fetchOnce(url, headers);
      if (s.status !== 200 || s.bytes !== expectedBytes) {
        throw new Error(`${url}: expected 200 with ${expectedBytes} bytes, got ${s.status} with ${s.bytes}`);
      }
      if (round > 0) best[i] = Math.max(best[i], mibPerSecond(s.bytes, s.totalMs));
    }
  }
  return best;
}
