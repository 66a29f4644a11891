/**
 * `npm run export:standard-json`: writes exports/standard-json/<Contract>.json, the standard-JSON compiler input of
 * every deployable contract, for Remix ("Compile from JSON") and block-explorer verification, and prints for each
 * the compiler version and the `<source>:<contract>` name explorers ask for.
 */
import path from "node:path";

import hre from "hardhat";

import { exportStandardJson } from "../sdk/standard-json.js";

const outDir = path.join(process.cwd(), "exports", "standard-json");
await hre.tasks.getTask("build").run({ quiet: true });
const written = await exportStandardJson(hre.artifacts, outDir);
for (const { file, export: e } of written) {
  console.log(
    `${path.relative(process.cwd(), file).padEnd(48)} ${e.compilerVersion}  ${e.compiledSourceName}:${e.contractName}`,
  );
}
console.log(`${written.length} standard-JSON inputs in ${path.relative(process.cwd(), outDir)}/`);
