import { createRequire } from "node:module";
import path from "node:path";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatUpgrades from "@openzeppelin/hardhat-upgrades";
import { configVariable, defineConfig } from "hardhat/config";

import { tasks } from "./tasks/definitions.js";
import { checkWsArgv, wsArgvTable } from "./tasks/lib/argv.js";
import { localhostUrl } from "./tasks/lib/localhost.js";
import { parseSignerNames, signerKeyVariables } from "./tasks/lib/signers.js";

/**
 * Weightshare's Hardhat 3 configuration, read top to bottom like a table of contents:
 * compiler, networks, tests. Nothing here needs a secret to build or test on the simulated chain;
 * real networks resolve their RPC URL and deployer key lazily through `configVariable`
 * (environment variable or `npx hardhat keystore set NAME`).
 */

// solc comes from the exact-pinned `solc` npm package: Hardhat must never download a compiler.
const SOLC_VERSION = "0.8.30";
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");

// Everything is built for size (200 runs) by default: the Governor with seven extensions and the LicenseManager sit
// close to the 24,576-byte limit, and the Solidity tests, which deploy them, compile with the default settings.
// Keeping every test file and most contracts on one setting lets Hardhat compile them in ONE job: a per-file
// override makes a compilation job of its own that recompiles every file it imports (the first build took over
// five minutes with one override per test file).
const compiler = {
  version: SOLC_VERSION,
  path: solcPath,
  // `optimizer` before `evmVersion`: Hardhat hashes the settings in key order, and puts `optimizer` first in its
  // production profile, so this order lets `ignition deploy` (production) reuse what `demo` and `test` built.
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "cancun",
  },
};

// The hot paths (fraction transfers, votes, revenue, registration, metering) are optimised for many calls, and so
// are the OpenZeppelin baselines the benchmark compares them with. Each is one small job of its own.
const callsCompiler = {
  ...compiler,
  settings: { ...compiler.settings, optimizer: { enabled: true, runs: 10_000 } },
};
const HOT_PATHS = [
  "contracts/token/ModelShares.sol",
  "contracts/token/ModelVotes.sol",
  "contracts/registry/ModelRegistry.sol",
  "contracts/governance/ModelTimelock.sol",
  "contracts/revenue/RevenueVault.sol",
  "contracts/revenue/RoyaltyReceiver.sol",
  "contracts/usage/UsageMeter.sol",
  "contracts/periphery/Multicall.sol",
  "contracts/mocks/baselines/BaselineERC20Votes.sol",
  "contracts/mocks/baselines/BaselineERC1155.sol",
  "contracts/mocks/baselines/BaselinePaymentSplitter.sol",
  // What every measured call also runs: the proxies and timelocks, and the ERC-20s the benchmark pays with.
  "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",
  "@openzeppelin/contracts/governance/TimelockController.sol",
  "contracts/mocks/tokens/TestToken.sol",
];

// The Ethereum Attestation Service's own contracts, deployed from their npm sources on local chains (real networks
// use EAS's deployments). EAS.sol and SchemaRegistry.sol pin `pragma solidity 0.8.29` exactly, so these two roots
// (and what they import) compile with solc-js 0.8.29 from the exact-pinned alias `solc-0.8.29` (npm:solc@0.8.29),
// never downloaded. Our resolvers import only EAS's `^0.8.x` files and compile with 0.8.30 like everything else.
const EAS_SOLC_VERSION = "0.8.29";
const easCompiler = {
  ...compiler,
  version: EAS_SOLC_VERSION,
  path: createRequire(import.meta.url).resolve("solc-0.8.29/soljson.js"),
};
const EAS_SOURCES = [
  "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol",
  "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol",
];

// Where `hardhat build` writes their artifacts (npmFilesToBuild below).
const EAS_ARTIFACTS = EAS_SOURCES.map((file) =>
  path.join(import.meta.dirname, "artifacts", file, `${path.basename(file, ".sol")}.json`),
);

const overrides = {
  ...Object.fromEntries(HOT_PATHS.map((file) => [file, callsCompiler])),
  ...Object.fromEntries(EAS_SOURCES.map((file) => [file, easCompiler])),
  // V1 exactly as it was built (100 runs) for the upgrade test: it kept usage metering and sat 321 bytes under
  // the limit, which is why V2 moved metering out.
  "contracts/mocks/legacy/LicenseManagerV1.sol": {
    ...compiler,
    settings: { ...compiler.settings, optimizer: { enabled: true, runs: 100 } },
  },
};

/**
 * A real network configured only by name: its RPC URL and keys are configuration variables. Account 0 is
 * `<PREFIX>_PRIVATE_KEY`; `<PREFIX>_SIGNERS=LAB_A,LAB_B` (names, not secrets) adds `<PREFIX>_PRIVATE_KEY_LAB_A` as
 * account 1, and so on, for `--signer LAB_A` (tasks/lib/signers.ts).
 */
function liveNetwork(prefix: string, chainType: "l1" | "op" | "generic") {
  const signers = parseSignerNames(prefix, process.env[`${prefix}_SIGNERS`]);
  if ("error" in signers) {
    console.error(signers.error);
    process.exit(1);
  }
  return {
    type: "http" as const,
    chainType,
    url: configVariable(`${prefix}_RPC_URL`),
    accounts: signerKeyVariables(prefix, signers.names).map((name) => configVariable(name)),
  };
}

const isCi = process.env.CI === "true";
const argv = process.argv;
const deployingLocally =
  argv[argv.indexOf("--network") + 1] === "localhost" ||
  argv.includes("--network=localhost") ||
  process.env.WEIGHTSHARE_LOCALHOST_URL !== undefined;

// A missing or misplaced value, or an unknown option, of `ws <task>` is one line instead of Hardhat's HHE error:
// checked here, before Hardhat parses the command line, against the options of the task definitions (tasks/definitions.ts).
const argvError = checkWsArgv(process.argv.slice(2), wsArgvTable(tasks));
if (argvError !== null) {
  console.error(argvError);
  process.exit(1);
}

export default defineConfig({
  tasks,
  plugins: [hardhatToolboxMochaEthers, hardhatUpgrades],

  // Ignition modules live in deploy/modules, parameters in deploy/parameters, records in deploy/deployments.
  paths: { ignition: "deploy" },
  // A local node mines only when a transaction arrives: waiting for Ignition's default 5 confirmations there
  // stalls a deploy for minutes. Real networks keep the default.
  ignition: deployingLocally ? { requiredConfirmations: 1 } : {},

  solidity: {
    profiles: {
      default: { compilers: [compiler], overrides },
      // Hardhat's production profile (what `ignition deploy` builds with) is isolated by default: every file its
      // own compilation job, a nine-minute rebuild on 2 cores that `npm run deploy:local` would pay after `demo` or
      // `test`. Same settings as default, not isolated, so switching between them reuses the same build.
      production: { compilers: [compiler], overrides, isolated: false, toolVersionsInBuildInfo: false },
    },
    npmFilesToBuild: [
      "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",
      "@openzeppelin/contracts/governance/TimelockController.sol",
      // The real Safe for the tests of `--safe` batches (issue #11): a lab's multisig proposing and voting through
      // execTransaction, the fallback handler that lets it receive ERC-1155 fractions, and Safe{Wallet}'s MultiSend.
      "@safe-global/safe-smart-account/contracts/Safe.sol",
      "@safe-global/safe-smart-account/contracts/proxies/SafeProxyFactory.sol",
      "@safe-global/safe-smart-account/contracts/handler/CompatibilityFallbackHandler.sol",
      "@safe-global/safe-smart-account/contracts/libraries/MultiSendCallOnly.sol",
      // EAS's SchemaRegistry and EAS for local chains and tests (issue #15), with the 0.8.29 override above.
      ...EAS_SOURCES,
    ],
  },

  networks: {
    // The default: an embedded simulated chain, fresh for every run.
    default: { type: "edr-simulated", chainType: "l1" },
    // `npm run node` serves this one, on 127.0.0.1:8545 or the port it was given (it records it while it runs).
    // WEIGHTSHARE_LOCALHOST_URL, when set, points it at another node (the node test uses a free loopback port).
    localhost: { type: "http", chainType: "l1", url: localhostUrl() },
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
      // EAS's 0.8.29 build cannot be imported by 0.8.30 tests, and EDR has no `deployCode`: the attestation tests
      // read the creation code of SchemaRegistry and EAS from their artifacts (these two files only, read-only).
      fsPermissions: { readFile: EAS_ARTIFACTS },
    },
  },
});
