/**
 * The workspace's promises about its toolchain: the compiler recorded in the build info is the pinned one, and
 * the pins the README and CI rely on are exact.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import hre from "hardhat";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "../..");

async function packageJson(): Promise<{
  devDependencies: Record<string, string>;
  engines: Record<string, string>;
}> {
  return JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
}

describe("toolchain", function () {
  it("records the pinned solc version in every build info", async function () {
    this.timeout(300_000); // may compile from scratch on a fresh clone (WASM solc)
    await hre.tasks.getTask("build").run({ quiet: true });
    const pinned: string = require("solc/package.json").version;
    // EAS's EAS.sol and SchemaRegistry.sol say `pragma solidity 0.8.29`: they, and only they, are built with the
    // exact-pinned alias `solc-0.8.29` (hardhat.config.ts), never a downloaded compiler.
    const easPinned: string = require("solc-0.8.29/package.json").version;
    const { devDependencies } = await packageJson();
    expect(devDependencies.solc).to.equal(pinned, "solc is pinned exactly");
    expect(devDependencies["solc-0.8.29"]).to.equal(`npm:solc@${easPinned}`, "solc-0.8.29 is pinned exactly");
    expect(easPinned).to.equal("0.8.29");
    const dir = path.join(root, "artifacts", "build-info");
    const files = (await readdir(dir)).filter((f) => f.endsWith(".json") && !f.endsWith(".output.json"));
    expect(files.length).to.be.greaterThan(0);
    let easBuilds = 0;
    for (const file of files) {
      const info = JSON.parse(await readFile(path.join(dir, file), "utf8"));
      const roots = Object.keys(info.userSourceNameMap as Record<string, string>);
      const eas = roots.every((r) => r.startsWith("@ethereum-attestation-service/eas-contracts/contracts/"));
      const version = eas ? easPinned : pinned;
      if (eas) easBuilds += 1;
      expect(info.solcVersion, file).to.equal(version);
      expect(info.solcLongVersion, file).to.match(new RegExp(`^${version.replaceAll(".", "\\.")}\\+commit\\.`));
    }
    expect(easBuilds, "EAS and SchemaRegistry are built").to.be.greaterThan(0);
  });

  it("builds the production profile (ignition deploy) exactly as the default one, so switching recompiles nothing", function () {
    // Hardhat keys its compile cache on the compiler settings as serialised, key order included, and on isolation:
    // any difference makes `npm run deploy:local` rebuild everything after `npm run demo` (minutes on 2 cores).
    const { default: dev, production } = hre.config.solidity.profiles;
    expect(JSON.stringify(production.compilers)).to.equal(JSON.stringify(dev.compilers));
    expect(JSON.stringify(production.overrides)).to.equal(JSON.stringify(dev.overrides));
    expect([production.isolated, production.toolVersionsInBuildInfo]).to.deep.equal([dev.isolated, false]);
  });

  it("pins the packages the build depends on exactly", async function () {
    const { devDependencies: deps } = await packageJson();
    expect(deps.hardhat).to.match(/^3\.18\.\d+$/);
    expect(deps["@openzeppelin/contracts"]).to.equal("5.7.0");
    expect(deps["@openzeppelin/contracts-upgradeable"]).to.equal("5.7.0");
    expect(deps["@openzeppelin/hardhat-upgrades"]).to.equal("4.1.0");
    expect(deps["@openzeppelin/upgrades-core"]).to.match(/^1\.46\.\d+$/);
    // The real Safe the `--safe` batch tests execute through (npmFilesToBuild): its sources are compiled, so pinned.
    expect(deps["@safe-global/safe-smart-account"]).to.equal("1.5.0");
    // EAS's SchemaRegistry and EAS for local chains (npmFilesToBuild), compiled with the pinned solc 0.8.29 alias.
    expect(deps["@ethereum-attestation-service/eas-contracts"]).to.equal("1.9.0");
    expect(deps["solc-0.8.29"]).to.equal("npm:solc@0.8.29");
    // eas-contracts declares hardhat 2 as a dependency; the override makes it resolve to our Hardhat 3 instead of a
    // nested Hardhat 2 tree (and its compiler downloader).
    expect(JSON.parse(await readFile(path.join(root, "package.json"), "utf8")).overrides).to.deep.equal({
      "@ethereum-attestation-service/eas-contracts": { hardhat: "$hardhat" },
    });
    const nested = path.join(root, "node_modules/@ethereum-attestation-service/eas-contracts/node_modules/hardhat");
    expect(existsSync(nested), "no nested Hardhat 2").to.equal(false);
    expect(deps.node).to.match(/^22\.\d+\.\d+$/);
    expect(deps.typescript).to.match(/^5\.\d+\.\d+$/);
  });

  it("refuses an install under Node < 22 before fetching anything", async function () {
    const { engines } = await packageJson();
    expect(engines.node).to.equal(">=22.13.0");
    expect(engines["install-with"]).to.equal("npx -y -p node@22 npm install");
    expect(await readFile(path.join(root, ".npmrc"), "utf8")).to.match(/^engine-strict=true$/m);
  });

  it("runs under the pinned Node 22", function () {
    expect(process.versions.node.split(".")[0]).to.equal("22");
  });
});
