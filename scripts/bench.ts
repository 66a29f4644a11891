/**
 * `npm run bench`: gas of Weightshare's hot paths next to the OpenZeppelin baselines compiled in the same run.
 * Prints a table and writes `bench/results.json` (one object per operation). Each suite gets a fresh simulated
 * chain. Gas is deterministic here: figures change only when the code or compiler settings change.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import { table } from "../sdk/index.js";
import { benchAttestations } from "./bench/attestations.js";
import { benchFunding } from "./bench/funding.js";
import { benchGovernance } from "./bench/governance.js";
import { benchLicensing } from "./bench/licensing.js";
import { benchLineage } from "./bench/lineage.js";
import { benchRevenue } from "./bench/revenue.js";
import { benchShares } from "./bench/shares.js";
import type { BenchRow } from "./bench/types.js";

const suites: [string, typeof benchShares][] = [
  ["fractions and votes", benchShares],
  ["model DAOs", benchGovernance],
  ["revenue", benchRevenue],
  ["licences", benchLicensing],
  ["raises and treasury sales", benchFunding],
  ["attestations", benchAttestations],
  ["derivative models", benchLineage],
];

const rows: BenchRow[] = [];
for (const [name, suite] of suites) {
  console.log(`measuring ${name}...`);
  rows.push(...(await suite(await network.create())));
}

console.log(
  "\n" +
    table(
      ["operation", "gas", "baseline", "baseline gas", "ratio", "goal", "met"],
      rows.map((r) => [
        r.op,
        r.gas,
        r.baseline,
        r.baselineGas,
        r.ratio === null ? null : r.ratio.toFixed(3),
        r.goal === null ? null : `<= ${r.goal}`,
        r.goal === null || r.ratio === null ? null : r.ratio <= r.goal ? "yes" : "NO",
      ]),
    ),
);

const out = path.resolve(import.meta.dirname, "../bench/results.json");
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, JSON.stringify(rows, null, 2) + "\n");
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
