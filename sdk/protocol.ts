/**
 * The whole protocol from TypeScript: deploy it, register models, and get typed handles on a model's contracts.
 * Tests, the demo, tasks and the benchmark all go through here.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionReceipt } from "ethers";

import { modelContracts, type ModelContracts } from "../client/contracts.js";
import type {
  EAS,
  FractionSales,
  LicenseeReviewResolver,
  LicenseManager,
  ModelLineage,
  ModelRegistry,
  ModelShares,
  ProvenanceResolver,
  Raises,
  RevenueVault,
  SchemaRegistry,
  UsageMeter,
} from "../types/ethers-contracts/index.js";
import { deployShares } from "./deploy.js";

export interface Protocol {
  shares: ModelShares;
  registry: ModelRegistry;
  vault: RevenueVault;
  licenses: LicenseManager;
  meter: UsageMeter;
  /** Derivative models and the parents they pay (names parents to the vault, price floors to the licences). */
  lineage: ModelLineage;
  /** Presales of fractions and licence seats (immutable, no admin). */
  raises: Raises;
  /** Primary sales of treasury fractions (immutable, no admin). */
  sales: FractionSales;
  /** The Ethereum Attestation Service and its SchemaRegistry the resolvers answer to. */
  eas: EAS;
  schemaRegistry: SchemaRegistry;
  /** Reviews only licensees write, and provenance only a treasury or its evaluators attest (no admin). */
  reviewResolver: LicenseeReviewResolver;
  provenanceResolver: ProvenanceResolver;
  /** The schemas' UIDs: each resolver registered its own schema, revocable, when deployed. */
  reviewSchema: string;
  provenanceSchema: string;
  implementations: {
    votes: string;
    shares: string;
    governor: string;
    timelock: string;
    registry: string;
    vault: string;
    licenses: string;
    meter: string;
    lineage: string;
  };
}

export interface GovernanceSettings {
  votingDelay: bigint;
  votingPeriod: bigint;
  proposalThreshold: bigint;
  quorumNumerator: bigint;
  lateQuorumExtension: bigint;
  guardian: string;
  timelockDelay: bigint;
}

/** Settings used by the demo and tests: 1 hour delay, 3 day vote, 4% quorum, 1 day late-quorum, 2 day timelock. */
export function defaultGovernance(overrides: Partial<GovernanceSettings> = {}): GovernanceSettings {
  return {
    votingDelay: 3600n,
    votingPeriod: 3n * 86400n,
    proposalThreshold: 0n,
    quorumNumerator: 4n,
    lateQuorumExtension: 86400n,
    guardian: "0x0000000000000000000000000000000000000000",
    timelockDelay: 2n * 86400n,
    ...overrides,
  };
}

export interface ModelRegistration {
  name: string;
  symbol: string;
  contentHash: string;
  metadataURI: string;
  members: { account: string; amount: bigint }[];
  governance: GovernanceSettings;
}

/** A model's votes, governor and timelock (the client's `ModelContracts`). */
export type Model = ModelContracts;

/** Deploys `implementation` behind an ERC1967 proxy initialised with `initialize(...args)`. */
async function proxy<T extends "ModelRegistry" | "RevenueVault" | "LicenseManager" | "UsageMeter" | "ModelLineage">(
  ethers: HardhatEthers,
  admin: HardhatEthersSigner,
  name: T,
  args: unknown[],
  constructorArgs: unknown[] = [],
) {
  const implementation = await ethers.deployContract(name, constructorArgs, admin);
  const init = implementation.interface.encodeFunctionData("initialize", args as never);
  const deployed = await ethers.deployContract(
    "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy",
    [await implementation.getAddress(), init],
    admin,
  );
  return { address: await deployed.getAddress(), implementation: await implementation.getAddress() };
}

/**
 * Deploys every implementation and the ModelShares, ModelRegistry, RevenueVault, LicenseManager and UsageMeter
 * proxies; grants the registry the model creator role, makes the vault the revenue hook of ModelShares and the
 * meter the licence manager's usage meter; deploys the ModelLineage proxy (given the vault's LINEAGE_ROLE and named
 * the licence manager's lineage); deploys Raises and FractionSales (plain contracts, no admin) and the
 * two EAS resolvers (which register their schemas), on the EAS at `options.eas` or, by default, on a SchemaRegistry
 * and EAS deployed here from EAS's npm sources (a local chain has none). `admin` becomes protocol admin of every
 * proxy (in production: the protocol admin timelock).
 */
export async function deployProtocol(
  ethers: HardhatEthers,
  admin: HardhatEthersSigner,
  options: { eas?: string } = {},
): Promise<Protocol> {
  const governorImplementation = await ethers.deployContract("ModelGovernor", [], admin);
  const timelockImplementation = await ethers.deployContract("ModelTimelock", [], admin);
  const { shares, votesImplementation, sharesImplementation } = await deployShares(ethers, admin);
  const registryProxy = await proxy(ethers, admin, "ModelRegistry", [
    admin.address,
    await shares.getAddress(),
    await governorImplementation.getAddress(),
    await timelockImplementation.getAddress(),
  ]);
  const vaultProxy = await proxy(ethers, admin, "RevenueVault", [admin.address], [await shares.getAddress()]);
  const licensesProxy = await proxy(ethers, admin, "LicenseManager", [
    admin.address,
    await shares.getAddress(),
    vaultProxy.address,
  ]);
  const meterProxy = await proxy(ethers, admin, "UsageMeter", [
    admin.address,
    licensesProxy.address,
    await shares.getAddress(),
  ]);
  const registry = await ethers.getContractAt("ModelRegistry", registryProxy.address, admin);
  const meter = await ethers.getContractAt("UsageMeter", meterProxy.address, admin);
  const licenses = await ethers.getContractAt("LicenseManager", licensesProxy.address, admin);
  const vault = await ethers.getContractAt("RevenueVault", vaultProxy.address, admin);
  const creatorRole = await shares.MODEL_CREATOR_ROLE();
  await (await shares.grantRole(creatorRole, registryProxy.address)).wait();
  await (await shares.revokeRole(creatorRole, admin.address)).wait();
  await (await shares.setRevenueHook(vaultProxy.address)).wait();
  await (await licenses.setUsageMeter(meterProxy.address)).wait();
  const lineageProxy = await proxy(ethers, admin, "ModelLineage", [
    admin.address,
    registryProxy.address,
    licensesProxy.address,
    vaultProxy.address,
  ]);
  const lineage = await ethers.getContractAt("ModelLineage", lineageProxy.address, admin);
  await (await vault.grantRole(await vault.LINEAGE_ROLE(), lineageProxy.address)).wait();
  await (await licenses.setLineage(lineageProxy.address)).wait();
  const raises = await ethers.deployContract("Raises", [await shares.getAddress(), licensesProxy.address], admin);
  const sales = await ethers.deployContract("FractionSales", [await shares.getAddress()], admin);
  const attestations = await deployAttestations(ethers, admin, {
    shares: await shares.getAddress(),
    licenses: licensesProxy.address,
    eas: options.eas,
  });
  return {
    shares,
    registry,
    vault,
    licenses,
    meter,
    lineage,
    raises,
    sales,
    ...attestations,
    implementations: {
      votes: await votesImplementation.getAddress(),
      shares: sharesImplementation,
      governor: await governorImplementation.getAddress(),
      timelock: await timelockImplementation.getAddress(),
      registry: registryProxy.implementation,
      vault: vaultProxy.implementation,
      licenses: licensesProxy.implementation,
      meter: meterProxy.implementation,
      lineage: lineageProxy.implementation,
    },
  };
}

const EAS_NAME = "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS";
const SCHEMA_REGISTRY_NAME = "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol:SchemaRegistry";

/**
 * EAS (the one at `wiring.eas`, or a SchemaRegistry and an EAS deployed now) and the review and provenance
 * resolvers for these ModelShares and LicenseManager, which register their schemas when deployed.
 */
export async function deployAttestations(
  ethers: HardhatEthers,
  admin: HardhatEthersSigner,
  wiring: { shares: string; licenses: string; eas?: string },
): Promise<
  Pick<
    Protocol,
    "eas" | "schemaRegistry" | "reviewResolver" | "provenanceResolver" | "reviewSchema" | "provenanceSchema"
  >
> {
  let eas: EAS;
  if (wiring.eas === undefined) {
    const deployedRegistry = await ethers.deployContract(SCHEMA_REGISTRY_NAME, [], admin);
    eas = (await ethers.deployContract(EAS_NAME, [await deployedRegistry.getAddress()], admin)) as unknown as EAS;
  } else {
    eas = (await ethers.getContractAt(EAS_NAME, wiring.eas, admin)) as unknown as EAS;
  }
  const schemaRegistry = (await ethers.getContractAt(
    SCHEMA_REGISTRY_NAME,
    await eas.getSchemaRegistry(),
    admin,
  )) as unknown as SchemaRegistry;
  const reviewResolver = await ethers.deployContract(
    "LicenseeReviewResolver",
    [await eas.getAddress(), wiring.licenses],
    admin,
  );
  const provenanceResolver = await ethers.deployContract(
    "ProvenanceResolver",
    [await eas.getAddress(), wiring.shares],
    admin,
  );
  return {
    eas,
    schemaRegistry,
    reviewResolver,
    provenanceResolver,
    reviewSchema: await reviewResolver.schemaUID(),
    provenanceSchema: await provenanceResolver.schemaUID(),
  };
}

/** The argument `ModelRegistry.registerModel` takes, built from a readable registration. */
export function registrationArgs(r: ModelRegistration) {
  return {
    name: r.name,
    symbol: r.symbol,
    contentHash: r.contentHash,
    metadataURI: r.metadataURI,
    members: r.members.map((m) => m.account),
    amounts: r.members.map((m) => m.amount),
    governor: {
      votingDelay: r.governance.votingDelay,
      votingPeriod: r.governance.votingPeriod,
      proposalThreshold: r.governance.proposalThreshold,
      quorumNumerator: r.governance.quorumNumerator,
      lateQuorumExtension: r.governance.lateQuorumExtension,
      guardian: r.governance.guardian,
    },
    timelockDelay: r.governance.timelockDelay,
  };
}

/** Registers a model and returns typed handles on its votes, governor and timelock. */
export async function registerModel(
  ethers: HardhatEthers,
  registry: ModelRegistry,
  registration: ModelRegistration,
  signer?: HardhatEthersSigner,
): Promise<Model & { receipt: ContractTransactionReceipt }> {
  const r = signer === undefined ? registry : registry.connect(signer);
  const receipt = await (await r.registerModel(registrationArgs(registration))).wait();
  if (receipt === null) throw new Error("registerModel: transaction dropped");
  const event = receipt.logs
    .map((log) => {
      try {
        return registry.interface.parseLog(log);
      } catch {
        return null;
      }
    })
    .find((parsed) => parsed?.name === "ModelRegistered");
  if (event === undefined || event === null) throw new Error("registerModel: no ModelRegistered event");
  return { ...(await modelAt(ethers, registry, event.args.modelId as bigint)), receipt };
}

/** Typed handles on an existing model's contracts, connected as the first signer (as `getContractAt` does). */
export async function modelAt(ethers: HardhatEthers, registry: ModelRegistry, modelId: bigint): Promise<Model> {
  const [first] = await ethers.getSigners();
  return modelContracts(registry, modelId, first ?? ethers.provider);
}
