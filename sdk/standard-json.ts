/**
 * Standard-JSON compiler input for each contract Weightshare deploys: exactly what Hardhat gave solc (sources with
 * their compiled source names, optimizer, EVM version, remappings, metadata settings), so Remix can load it
 * ("Solidity compiler → Compile from JSON") and block explorers can verify deployed bytecode against it
 * (Etherscan's "Standard-Json-Input"). Only the output selection is narrowed; it does not change the bytecode.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import type { ArtifactManager } from "hardhat/types/artifacts";

/** Every contract the Ignition module deploys, plus the Multicall used for Snapshot scores on local chains. */
export const DEPLOYABLE_CONTRACTS = [
  "contracts/token/ModelShares.sol:ModelShares",
  "contracts/token/ModelVotes.sol:ModelVotes",
  "contracts/registry/ModelRegistry.sol:ModelRegistry",
  "contracts/governance/ModelGovernor.sol:ModelGovernor",
  "contracts/governance/ModelTimelock.sol:ModelTimelock",
  "contracts/revenue/RevenueVault.sol:RevenueVault",
  "contracts/revenue/RoyaltyReceiver.sol:RoyaltyReceiver",
  "contracts/licensing/LicenseManager.sol:LicenseManager",
  "contracts/periphery/Multicall.sol:Multicall",
  "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy",
  "@openzeppelin/contracts/governance/TimelockController.sol:TimelockController",
] as const;

export interface StandardJsonInput {
  language: "Solidity";
  sources: Record<string, { content: string }>;
  settings: Record<string, unknown> & { outputSelection: Record<string, Record<string, string[]>> };
}

export interface StandardJsonExport {
  /** Fully qualified name as Hardhat knows it. */
  contract: string;
  /** The source name solc compiled it under (what explorers ask for as "contract name" prefix). */
  compiledSourceName: string;
  contractName: string;
  /** `v0.8.30+commit.73712a01`, as explorers list compiler versions. */
  compilerVersion: string;
  input: StandardJsonInput;
}

const OUTPUT_SELECTION = {
  "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "metadata"] },
};

/** The standard-JSON input that built `fullyQualifiedName`, read from its Hardhat build info. */
export async function standardJsonFor(
  artifacts: ArtifactManager,
  fullyQualifiedName: string,
): Promise<StandardJsonExport> {
  const artifact = await artifacts.readArtifact(fullyQualifiedName);
  const buildInfoId = await artifacts.getBuildInfoId(fullyQualifiedName);
  const buildInfoPath = buildInfoId === undefined ? undefined : await artifacts.getBuildInfoPath(buildInfoId);
  if (buildInfoPath === undefined) {
    throw new Error(`${fullyQualifiedName}: no build info; run \`npx hardhat build\` first`);
  }
  const buildInfo = JSON.parse(await readFile(buildInfoPath, "utf8")) as {
    solcLongVersion: string;
    input: { language: "Solidity"; sources: Record<string, { content: string }>; settings: Record<string, unknown> };
  };
  return {
    contract: fullyQualifiedName,
    compiledSourceName: artifact.inputSourceName ?? artifact.sourceName,
    contractName: artifact.contractName,
    compilerVersion: `v${buildInfo.solcLongVersion}`,
    input: {
      language: buildInfo.input.language,
      sources: buildInfo.input.sources,
      settings: { ...buildInfo.input.settings, outputSelection: OUTPUT_SELECTION },
    },
  };
}

/** Writes `<outDir>/<ContractName>.json` (the solc input) for every deployable contract; returns what it wrote. */
export async function exportStandardJson(
  artifacts: ArtifactManager,
  outDir: string,
  contracts: readonly string[] = DEPLOYABLE_CONTRACTS,
): Promise<{ file: string; export: StandardJsonExport }[]> {
  await mkdir(outDir, { recursive: true });
  const written = [];
  for (const fqn of contracts) {
    const e = await standardJsonFor(artifacts, fqn);
    const file = path.join(outDir, `${e.contractName}.json`);
    await writeFile(file, `${JSON.stringify(e.input, null, 2)}\n`);
    written.push({ file, export: e });
  }
  return written;
}
