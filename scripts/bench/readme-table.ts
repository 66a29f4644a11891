/**
 * Prints `bench/results.json` as the Markdown gas table the README shows, so the README's figures are exactly the
 * measured ones. Usage: node scripts/bench/readme-table.ts
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import type { BenchRow } from "./types.js";

const rows: BenchRow[] = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../bench/results.json"), "utf8"),
);
const n = (x: number | null) => (x === null ? "" : x.toLocaleString("en-US"));
console.log("| Operation | Gas | Baseline | Baseline gas | Ratio | Goal | Met |");
console.log("|---|---:|---|---:|---:|---:|:---:|");
for (const r of rows) {
  const met = r.goal === null || r.ratio === null ? "" : r.ratio <= r.goal ? "yes" : "**no**";
  console.log(
    `| ${r.op} | ${n(r.gas)} | ${r.baseline ?? ""} | ${n(r.baselineGas)} | ${r.ratio?.toFixed(3) ?? ""} | ${r.goal ?? ""} | ${met} |`,
  );
}
