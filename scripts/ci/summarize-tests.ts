/**
 * Reads the output of `npm test` (Hardhat's Solidity + Mocha runners) and prints the one line CI reads:
 * `N passed, N failed` (plus `, N skipped` when any test was skipped).
 *
 * Hardhat's aggregate line ("77 passing (49 solidity, 28 mocha)") counts Mocha's pending tests as passing, so
 * pending tests are subtracted from it and reported as skipped. A log without the aggregate line means the
 * runners never finished: that is reported as a failure, never as zero tests.
 *
 * Usage: node scripts/ci/summarize-tests.ts <log-file>
 */
import { readFileSync } from "node:fs";

export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  complete: boolean;
}

// Hardhat and Mocha colour their output; CI may or may not keep the escapes.
const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g");

export function summarize(log: string): TestTotals {
  const text = log.replace(ANSI, "");
  const aggregate = [...text.matchAll(/^(\d+) passing \(\d+ solidity, \d+ mocha\)\s*$/gm)].at(-1);
  // Hardhat names only the runners that failed: "1 failing (1 mocha)" or "2 failing (1 solidity, 1 mocha)".
  const failing = [...text.matchAll(/^(\d+) failing \([^)]*\)\s*$/gm)].at(-1);
  const pending = [...text.matchAll(/^\s+(\d+) pending\s*$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  if (aggregate === undefined) {
    return { passed: 0, failed: 1, skipped: 0, complete: false };
  }
  return {
    passed: Number(aggregate[1]) - pending,
    failed: failing === undefined ? 0 : Number(failing[1]),
    skipped: pending,
    complete: true,
  };
}

export function formatTotals(t: TestTotals): string {
  return `${t.passed} passed, ${t.failed} failed` + (t.skipped > 0 ? `, ${t.skipped} skipped` : "");
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error("summarize-tests: expected the path of a test log as the first argument");
    process.exit(2);
  }
  const totals = summarize(readFileSync(file, "utf8"));
  if (!totals.complete)
    console.error("summarize-tests: the test runners did not report totals (crashed or did not run)");
  console.log(formatTotals(totals));
  process.exit(totals.failed === 0 && totals.complete ? 0 : 1);
}
