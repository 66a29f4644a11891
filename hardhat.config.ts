import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatUpgrades from "@openzeppelin/hardhat-upgrades";
import { configVariable, defineConfig, emptyTask, task } from "hardhat/config";

/**
 * Weightshare's Hardhat 3 configuration, read top to bottom like a table of contents:
 * compiler, networks, tests. Nothing here needs a secret to build or test on the simulated chain;
 * real networks resolve their RPC URL and deployer key lazily through `configVariable`
 * (environment variable or `npx hardhat keystore set NAME`).
 */

// solc comes from the exact-pinned `solc` npm package: Hardhat must never download a compiler.
const SOLC_VERSION = "0.8.30";
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");

const compiler = {
  version: SOLC_VERSION,
  path: solcPath,
  settings: {
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 10_000 },
  },
};

// Contracts close to the 24,576-byte code limit are optimised for size rather than for many calls: the Governor
// with seven extensions (and the OZ baseline governor the benchmark compares it with) and the LicenseManager
// (see below).
const sizeCompiler = {
  ...compiler,
  settings: { ...compiler.settings, optimizer: { enabled: true, runs: 200 } },
};
// Solidity tests deploy those contracts too, and Hardhat picks settings per root file: every test root is built
// for size as well (test gas figures matter nowhere; the benchmark measures the production artifacts).
const solidityTestRoots = readdirSync(path.join(import.meta.dirname, "test"), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".sol"))
  .map((file) => `test/${file.split("\\").join("/")}`);

// LicenseManager (ERC-721 + ERC-2981 + EIP-712 + offers + usage) needs fewer runs still: 24,255 bytes at 100.
const licenseCompiler = {
  ...compiler,
  settings: { ...compiler.settings, optimizer: { enabled: true, runs: 100 } },
};

const sizeOverrides = {
  ...Object.fromEntries(solidityTestRoots.map((file) => [file, sizeCompiler])),
  "contracts/governance/ModelGovernor.sol": sizeCompiler,
  "contracts/mocks/baselines/BaselineGovernor.sol": sizeCompiler,
  "contracts/licensing/LicenseManager.sol": licenseCompiler,
};

/** A real network configured only by name: its RPC URL and deployer key are configuration variables. */
function liveNetwork(prefix: string, chainType: "l1" | "op" | "generic") {
  return {
    type: "http" as const,
    chainType,
    url: configVariable(`${prefix}_RPC_URL`),
    accounts: [configVariable(`${prefix}_PRIVATE_KEY`)],
  };
}

const isCi = process.env.CI === "true";

/** Weightshare's tasks: `npx hardhat ws <task> --help`. Each action lives in tasks/<name>.ts, loaded lazily. */
const DEPLOYMENT = {
  name: "deployment",
  description: "JSON file with the protocol's addresses (default: what Ignition recorded for this chain)",
  defaultValue: "",
} as const;
const tasks = [
  emptyTask("ws", "Weightshare: co-own, govern, license and earn from AI models").build(),
  task(["ws", "upgrade"], "Validate a new implementation's storage layout, deploy it and schedule the upgrade")
    .addOption({ name: "proxy", description: "the proxy to upgrade", defaultValue: "" })
    .addOption({ name: "from", description: "contract the proxy runs now, e.g. ModelShares", defaultValue: "" })
    .addOption({ name: "to", description: "contract to upgrade to", defaultValue: "" })
    .addFlag({ name: "execute", description: "execute the scheduled upgrade once its delay has passed" })
    .addOption(DEPLOYMENT)
    .addFlag({ name: "json", description: "print JSON" })
    .setAction(() => import("./tasks/upgrade.js"))
    .build(),
];

export default defineConfig({
  tasks,
  plugins: [hardhatToolboxMochaEthers, hardhatUpgrades],

  solidity: {
    profiles: {
      default: { compilers: [compiler], overrides: sizeOverrides },
      production: { compilers: [compiler], overrides: sizeOverrides },
    },
    npmFilesToBuild: [
      "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",
      "@openzeppelin/contracts/governance/TimelockController.sol",
    ],
  },

  networks: {
    // The default: an embedded simulated chain, fresh for every run.
    default: { type: "edr-simulated", chainType: "l1" },
    // `npm run node` (hardhat node --hostname 127.0.0.1) serves this one.
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    mainnet: liveNetwork("MAINNET", "l1"),
    sepolia: liveNetwork("SEPOLIA", "l1"),
    base: liveNetwork("BASE", "op"),
    baseSepolia: liveNetwork("BASE_SEPOLIA", "op"),
    optimism: liveNetwork("OPTIMISM", "op"),
    optimismSepolia: liveNetwork("OPTIMISM_SEPOLIA", "op"),
    arbitrum: liveNetwork("ARBITRUM", "generic"),
    arbitrumSepolia: liveNetwork("ARBITRUM_SEPOLIA", "generic"),
  },

  test: {
    solidity: {
      // CI profile: >= 1000 fuzz runs, 256 invariant runs of depth >= 50. Locally a lighter profile keeps
      // the edit-test loop short; CI=true selects the full one.
      fuzz: { runs: isCi ? 1000 : 256, seed: "0x5eed" },
      invariant: { runs: isCi ? 256 : 64, depth: isCi ? 64 : 32, failOnRevert: false },
    },
  },
});
