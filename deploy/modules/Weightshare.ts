/**
 * The whole protocol as one Ignition module: implementations (locked), ERC1967 proxies with their initialisers,
 * clone implementations, the wiring between them, and the protocol admin timelock that alone may upgrade.
 *
 *   npx hardhat ignition deploy deploy/modules/Weightshare.ts --network sepolia --parameters deploy/parameters/sepolia.json
 *
 * This module is for real networks: it uses the Ethereum Attestation Service already deployed there, whose EAS
 * address is the `eas` parameter (deploy/parameters/<network>.json; its SchemaRegistry is read from EAS). Without
 * it the deployment stops before sending anything ("Module parameter 'eas' requires a value"). Local chains, which
 * have no EAS, deploy deploy/modules/WeightshareLocal.ts instead (`npm run deploy:local`): the same module id and
 * graph, plus EAS's SchemaRegistry and EAS built from their npm sources.
 *
 * The deployer is admin only while the module runs: it grants the registry the model-creator role and makes the
 * vault the revenue hook, then hands DEFAULT_ADMIN_ROLE of every proxy to the admin timelock and renounces its own.
 * Raises and FractionSales are plain contracts without an admin (constructor arguments: the shares and licence
 * manager proxies), so nobody can move the money backers commit. The two EAS schema resolvers (reviews only
 * licensees write; provenance only a model's treasury or its evaluators attest) are plain contracts too; each
 * registers its own schema with EAS's SchemaRegistry when deployed, revocable, so the schema UIDs exist once they do.
 * Ignition records the addresses per chain under deploy/deployments/chain-<id>/. Ignition checks no storage
 * layout: upgrades go through `npx hardhat ws upgrade` (tasks/upgrade.ts), which validates it first.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

const PROXY = "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy";
const ADMIN_TIMELOCK = "@openzeppelin/contracts/governance/TimelockController.sol:TimelockController";
const DEFAULT_ADMIN_ROLE = "0x0000000000000000000000000000000000000000000000000000000000000000";
/** EAS's contracts, built from @ethereum-attestation-service/eas-contracts (npmFilesToBuild, solc 0.8.29). */
export const EAS_ARTIFACT = "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS";
export const SCHEMA_REGISTRY_ARTIFACT =
  "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol:SchemaRegistry";

/** The Ethereum Attestation Service the protocol's resolvers answer to: EAS and its SchemaRegistry. */
export interface EasFutures {
  eas: ContractFuture<string>;
  schemaRegistry: ContractFuture<string>;
}

/**
 * The protocol on top of `attestations` (EAS taken from the network or deployed by the local module): every
 * future of the Weightshare module, with the ids client/deployment.ts reads back from Ignition's record.
 */
export function buildWeightshare(m: IgnitionModuleBuilder, attestations: EasFutures) {
  const deployer = m.getAccount(0);
  // Who may propose and execute protocol upgrades (e.g. the protocol's multisig), and after what delay.
  const adminDelay = m.getParameter("adminDelay", 2 * 86400);
  const adminProposers = m.getParameter<string[]>("adminProposers");
  const adminExecutors = m.getParameter<string[]>("adminExecutors");

  const adminTimelock = m.contract(
    ADMIN_TIMELOCK,
    [adminDelay, adminProposers, adminExecutors, "0x0000000000000000000000000000000000000000"],
    {
      id: "AdminTimelock",
    },
  );

  // Implementations: locked by their constructors; the per-model ones are cloned.
  const votesImplementation = m.contract("ModelVotes", [], { id: "ModelVotesImplementation" });
  const governorImplementation = m.contract("ModelGovernor", [], { id: "ModelGovernorImplementation" });
  const timelockImplementation = m.contract("ModelTimelock", [], { id: "ModelTimelockImplementation" });
  const sharesImplementation = m.contract("ModelShares", [], { id: "ModelSharesImplementation" });
  const registryImplementation = m.contract("ModelRegistry", [], { id: "ModelRegistryImplementation" });
  const licensesImplementation = m.contract("LicenseManager", [], { id: "LicenseManagerImplementation" });
  const meterImplementation = m.contract("UsageMeter", [], { id: "UsageMeterImplementation" });
  const lineageImplementation = m.contract("ModelLineage", [], { id: "ModelLineageImplementation" });

  // Proxies, each initialised in its deployment transaction (no window for anyone else to initialise it).
  const sharesProxy = m.contract(
    PROXY,
    [sharesImplementation, m.encodeFunctionCall(sharesImplementation, "initialize", [deployer, votesImplementation])],
    { id: "ModelSharesProxy" },
  );
  const shares = m.contractAt("ModelShares", sharesProxy, { id: "ModelShares" });
  const registryProxy = m.contract(
    PROXY,
    [
      registryImplementation,
      m.encodeFunctionCall(registryImplementation, "initialize", [
        deployer,
        shares,
        governorImplementation,
        timelockImplementation,
      ]),
    ],
    { id: "ModelRegistryProxy" },
  );
  const registry = m.contractAt("ModelRegistry", registryProxy, { id: "ModelRegistry" });
  // The vault's implementation knows ModelShares as an immutable (its transfer hook checks its caller for free).
  const vaultImplementation = m.contract("RevenueVault", [shares], { id: "RevenueVaultImplementation" });
  const vaultProxy = m.contract(
    PROXY,
    [vaultImplementation, m.encodeFunctionCall(vaultImplementation, "initialize", [deployer])],
    { id: "RevenueVaultProxy" },
  );
  const vault = m.contractAt("RevenueVault", vaultProxy, { id: "RevenueVault" });
  const licensesProxy = m.contract(
    PROXY,
    [licensesImplementation, m.encodeFunctionCall(licensesImplementation, "initialize", [deployer, shares, vault])],
    { id: "LicenseManagerProxy" },
  );
  const licenses = m.contractAt("LicenseManager", licensesProxy, { id: "LicenseManager" });
  const meterProxy = m.contract(
    PROXY,
    [meterImplementation, m.encodeFunctionCall(meterImplementation, "initialize", [deployer, licenses, shares])],
    { id: "UsageMeterProxy" },
  );
  const meter = m.contractAt("UsageMeter", meterProxy, { id: "UsageMeter" });
  const lineageProxy = m.contract(
    PROXY,
    [
      lineageImplementation,
      m.encodeFunctionCall(lineageImplementation, "initialize", [deployer, registry, licenses, vault]),
    ],
    { id: "ModelLineageProxy" },
  );
  const lineage = m.contractAt("ModelLineage", lineageProxy, { id: "ModelLineage" });

  // Wiring.
  const creatorRole = m.staticCall(shares, "MODEL_CREATOR_ROLE", [], 0, { id: "ModelCreatorRole" });
  const granted = m.call(shares, "grantRole", [creatorRole, registry], { id: "GrantRegistryCreatorRole" });
  const hooked = m.call(shares, "setRevenueHook", [vault], { id: "SetRevenueHook" });
  const metered = m.call(licenses, "setUsageMeter", [meter], { id: "SetUsageMeter" });
  // Derivatives: the lineage registry names each derivative's parents to the vault and its price floor to licences.
  const lineageRole = m.staticCall(vault, "LINEAGE_ROLE", [], 0, { id: "LineageRole" });
  const parented = m.call(vault, "grantRole", [lineageRole, lineage], { id: "GrantLineageRole" });
  const floored = m.call(licenses, "setLineage", [lineage], { id: "SetLineage" });

  // Hand the protocol to the admin timelock, then the deployer steps down.
  const handovers = [];
  for (const [name, proxy] of [
    ["ModelShares", shares],
    ["ModelRegistry", registry],
    ["RevenueVault", vault],
    ["LicenseManager", licenses],
    ["UsageMeter", meter],
    ["ModelLineage", lineage],
  ] as const) {
    const grant = m.call(proxy, "grantRole", [DEFAULT_ADMIN_ROLE, adminTimelock], {
      id: `${name}GrantAdminToTimelock`,
      after: [granted, hooked, metered, parented, floored],
    });
    handovers.push(
      m.call(proxy, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
        id: `${name}RenounceDeployerAdmin`,
        after: [grant],
      }),
    );
  }

  // Raises (presales of fractions and licence seats) and primary sales of treasury fractions: plain contracts, no
  // proxy and no admin, so nobody (not the protocol admin) can move what backers committed. A treasury lets them
  // act by vote: a minting grant for a raise, `setApprovalForAll` for a sale.
  const raises = m.contract("Raises", [shares, licenses], { id: "Raises" });
  const sales = m.contract("FractionSales", [shares], { id: "FractionSales" });

  // A read-only batcher with MakerDAO Multicall's `aggregate`: Snapshot's strategies read voting power through one,
  // and a fresh chain (the local node) has none. Holds nothing, has no admin; ~0.3M gas once.
  const multicall = m.contract("Multicall", [], { id: "Multicall" });

  // Attestations on EAS: reviews only a licence's owner may write (one per licence, revocable by its author), and
  // provenance or evaluations only a model's treasury (by vote) or an evaluator it named may attest. No admin; each
  // registers its own schema, revocable, when deployed (contracts/attestations/OwnSchemaResolver.sol).
  const { eas, schemaRegistry } = attestations;
  const reviewResolver = m.contract("LicenseeReviewResolver", [eas, licenses], { id: "LicenseeReviewResolver" });
  const provenanceResolver = m.contract("ProvenanceResolver", [eas, shares], { id: "ProvenanceResolver" });

  return {
    adminTimelock,
    shares,
    registry,
    vault,
    licenses,
    meter,
    lineage,
    multicall,
    raises,
    sales,
    eas,
    schemaRegistry,
    reviewResolver,
    provenanceResolver,
  };
}

/** Real networks: EAS is the `eas` parameter, and its SchemaRegistry is the one that EAS reads schemas from. */
export default buildModule("Weightshare", (m) => {
  const eas = m.contractAt(EAS_ARTIFACT, m.getParameter<string>("eas"), { id: "EAS" });
  const registryAddress = m.staticCall(eas, "getSchemaRegistry", [], 0, { id: "EASSchemaRegistryAddress" });
  const schemaRegistry = m.contractAt(SCHEMA_REGISTRY_ARTIFACT, registryAddress, { id: "SchemaRegistry" });
  return buildWeightshare(m, { eas, schemaRegistry });
});
