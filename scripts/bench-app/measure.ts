/** The app benchmark's arithmetic: the built entry's size and percentiles. Pure functions, no I/O but one read. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** Bytes and gzip bytes (level 9) of the scripts `index.html` loads at once: its module script and modulepreloads. */
export function entryScripts(dist: string): { files: string[]; bytes: number; gzip: number } {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]);
  let bytes = 0;
  let gzip = 0;
  for (const file of files) {
    const body = readFileSync(path.join(dist, file.replace(/^\.?\//, "")));
    bytes += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files, bytes, gzip };
}

/** The p-th percentile (nearest rank) of `values`; throws on an empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error("percentile: expected at least one value");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
