/**
 * Contract refusals in plain words: any revert a task's simulation meets is decoded against every Weightshare and
 * OpenZeppelin ABI the protocol uses, then phrased as one sentence a user can act on (`voted already`, `the
 * treasury holds less than the proposal sends`), with the custom error and its values kept in brackets so nothing
 * is hidden. Unknown errors still come out as one line: `Name(arg, ...)`, a reason string or a panic code.
 */
import { ErrorFragment, Interface } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

export { explain, phrased, shortId } from "../../client/errors/explain.js";

/** Every contract whose errors a task may meet, directly or through a call the protocol makes. */
const SOURCES = [
  "ModelShares",
  "ModelVotes",
  "ModelRegistry",
  "ModelGovernor",
  "ModelTimelock",
  "RevenueVault",
  "RoyaltyReceiver",
  "LicenseManager",
  "UsageMeter",
  "Raises",
  "FractionSales",
  // Derivative models (issue #15): the lineage registry.
  "ModelLineage",
  "TestToken",
  // Attestations (issue #15): the resolvers, and EAS and its SchemaRegistry (built from EAS's npm sources).
  "LicenseeReviewResolver",
  "ProvenanceResolver",
  "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS",
  "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol:SchemaRegistry",
] as const;

let cached: Interface | undefined;

/** One interface holding the errors of every protocol contract (deduplicated by selector). */
export async function protocolErrors(hre: HardhatRuntimeEnvironment): Promise<Interface> {
  if (cached !== undefined) return cached;
  const bySelector = new Map<string, ErrorFragment>();
  for (const name of SOURCES) {
    const { abi } = await hre.artifacts.readArtifact(name);
    for (const fragment of new Interface(abi).fragments) {
      if (fragment instanceof ErrorFragment) bySelector.set(fragment.selector, fragment);
    }
  }
  cached = new Interface([...bySelector.values()]);
  return cached;
}
