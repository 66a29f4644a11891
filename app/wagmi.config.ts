/**
 * Typed contract bindings for the app, generated from the build's ABIs by `@wagmi/cli` (`npm run app:bindings`,
 * which writes `src/generated.ts`), never copied by hand. Each contract's ABI comes from Hardhat's artifact of the
 * compiled source; `test/app/bindings.test.ts` fails when the generated file no longer matches the build.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { defineConfig, type Plugin } from "@wagmi/cli";
import type { Abi } from "viem";

const artifacts = fileURLToPath(new URL("../artifacts/", import.meta.url));

/** Binding name, and the artifact (source path and contract name) its ABI comes from. */
export const BINDINGS: readonly (readonly [name: string, source: string, contract: string])[] = [
  ["ModelShares", "contracts/token/ModelShares.sol", "ModelShares"],
  ["ModelVotes", "contracts/token/ModelVotes.sol", "ModelVotes"],
  ["ModelRegistry", "contracts/registry/ModelRegistry.sol", "ModelRegistry"],
  ["ModelGovernor", "contracts/governance/ModelGovernor.sol", "ModelGovernor"],
  ["ModelTimelock", "contracts/governance/ModelTimelock.sol", "ModelTimelock"],
  ["RevenueVault", "contracts/revenue/RevenueVault.sol", "RevenueVault"],
  ["RoyaltyReceiver", "contracts/revenue/RoyaltyReceiver.sol", "RoyaltyReceiver"],
  ["LicenseManager", "contracts/licensing/LicenseManager.sol", "LicenseManager"],
  ["UsageMeter", "contracts/usage/UsageMeter.sol", "UsageMeter"],
  ["Raises", "contracts/funding/Raises.sol", "Raises"],
  ["FractionSales", "contracts/funding/FractionSales.sol", "FractionSales"],
  ["ModelLineage", "contracts/lineage/ModelLineage.sol", "ModelLineage"],
  ["LicenseeReviewResolver", "contracts/attestations/LicenseeReviewResolver.sol", "LicenseeReviewResolver"],
  ["ProvenanceResolver", "contracts/attestations/ProvenanceResolver.sol", "ProvenanceResolver"],
  ["Eas", "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol", "EAS"],
  ["TestToken", "contracts/mocks/tokens/TestToken.sol", "TestToken"],
];

/** A @wagmi/cli plugin that reads each binding's ABI from Hardhat's artifacts (run `npm run build` first). */
function hardhatArtifacts(): Plugin {
  return {
    name: "Weightshare artifacts",
    contracts() {
      return BINDINGS.map(([name, source, contract]) => {
        const file = `${artifacts}${source}/${contract}.json`;
        let abi: Abi;
        try {
          abi = (JSON.parse(readFileSync(file, "utf8")) as { abi: Abi }).abi;
        } catch (error) {
          throw new Error(
            `${file}: expected Hardhat's artifact of ${contract}; run npm run build first (${String(error)})`,
          );
        }
        return { name, abi };
      });
    },
  };
}

export default defineConfig({ out: "src/generated.ts", plugins: [hardhatArtifacts()] });
