/**
 * What a plain Node process (no Hardhat, no tsx, no loader inherited from the test runner) loads when it imports a
 * module: used to prove that client/ and gateway/ run without Hardhat, as a server or in a browser bundle would.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { expect } from "chai";

const PROBE = path.join(import.meta.dirname, "module-probe.ts");
/** The project root. */
export const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** A module URL inside Hardhat or one of its plugins. */
export const HARDHAT = /\/node_modules\/(hardhat|@nomicfoundation\/[^/]+)\//;
/** A module URL inside tsx (the TypeScript loader Hardhat runs tests with). */
export const TSX = /\/node_modules\/tsx\//;

/** The module URLs a fresh plain Node process resolves while importing `specifier`; fails when the import fails. */
export function modulesLoadedBy(specifier: string): string[] {
  const r = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", PROBE, specifier], {
    encoding: "utf8",
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as string[];
}
