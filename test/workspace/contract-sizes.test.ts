/**
 * Every deployable contract stays at least 1 KiB under the EIP-170 limit of 24,576 bytes, in every build the
 * project makes: the default and production profiles and the Solidity tests' builds (each test file is its own
 * compilation job, and Hardhat compiles what it imports with that job's settings). Room to grow is a property
 * the build checks, not a figure someone remembers to look at.
 */
import { expect } from "chai";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";

import hre from "hardhat";

const LIMIT = 24_576;
const HEADROOM = 1_024;
const root = path.resolve(import.meta.dirname, "../..");

interface BuildOutput {
  output: { contracts?: Record<string, Record<string, { evm?: { deployedBytecode?: { object?: string } } }>> };
}

describe("contract sizes", function () {
  it("keeps every production contract at least 1,024 bytes under the limit in every build", async function () {
    this.timeout(600_000); // may compile from scratch on a fresh clone (WASM solc)
    // `--coverage` builds instrumented bytecode, which no network ever receives: sizes are checked on real builds.
    if (hre.globalOptions.coverage === true) this.skip();
    await hre.tasks.getTask("build").run({ quiet: true });
    const dir = path.join(root, "artifacts", "build-info");
    const sizes = new Map<string, number>();
    for (const file of (await readdir(dir)).filter((f) => f.endsWith(".output.json"))) {
      const build = JSON.parse(await readFile(path.join(dir, file), "utf8")) as BuildOutput;
      for (const [source, contracts] of Object.entries(build.output.contracts ?? {})) {
        // The project's deployable contracts; test-only mocks (and the V1 fixture) are not deployed.
        if (!source.startsWith("project/contracts/") || source.startsWith("project/contracts/mocks/")) continue;
        for (const [name, contract] of Object.entries(contracts)) {
          const size = (contract.evm?.deployedBytecode?.object ?? "").length / 2;
          const key = `${source}:${name}`;
          sizes.set(key, Math.max(size, sizes.get(key) ?? 0));
        }
      }
    }
    expect(sizes.get("project/contracts/licensing/LicenseManager.sol:LicenseManager")).to.be.a("number");
    const tooBig = [...sizes].filter(([, size]) => size > LIMIT - HEADROOM).map(([key, size]) => `${key}: ${size}`);
    expect(tooBig, `over ${LIMIT - HEADROOM} bytes in some build`).to.deep.equal([]);
  });

  it("builds production with the default profile's compiler settings, so one size check covers both", function () {
    // Production only compiles each file in isolation and records tool versions; settings are the same.
    const settings = (profile: object) =>
      Object.fromEntries(
        Object.entries(profile).filter(([key]) => key !== "isolated" && key !== "toolVersionsInBuildInfo"),
      );
    const { production, default: defaults } = hre.config.solidity.profiles;
    expect(isDeepStrictEqual(settings(production), settings(defaults))).to.equal(true);
  });
});
