/**
 * Samples a process's resident set size from /proc (Linux) while something runs, so a server's peak memory under
 * load is measured in its own process, apart from the load generator's.
 */
import { readFileSync } from "node:fs";

/** Current RSS of `pid` in bytes (VmRSS), or 0 when it cannot be read. */
export function rssOf(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line === undefined ? 0 : Number(line.replace(/\D+/g, "")) * 1024;
  } catch {
    return 0;
  }
}

/** Runs `work` while sampling `pid`'s RSS every `everyMs`; returns the work's result and the peak and start RSS. */
export async function peakRss<T>(
  pid: number,
  work: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; peak: number; before: number }> {
  const before = rssOf(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, everyMs);
  try {
    const result = await work();
    peak = Math.max(peak, rssOf(pid));
    return { result, peak, before };
  } finally {
    clearInterval(timer);
  }
}
