/**
 * The whole protocol from TypeScript: deploy it, register models, and get typed handles on a model's contracts.
 * Tests, the demo, tasks and the benchmark all go through here.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionReceipt } from "ethers";

import type {
  ModelGovernor,
  ModelRegistry,
  ModelShares,
  ModelTimelock,
  ModelVotes,
} from "../types/ethers-contracts/index.js";
import { deployShares } from "./deploy.js";

export interface Protocol {
  shares: ModelShares;
  registry: ModelRegistry;
  implementations: { votes: string; shares: string; governor: string; timelock: string; registry: string };
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

export interface Model {
  modelId: bigint;
  votes: ModelVotes;
  governor: ModelGovernor;
  timelock: ModelTimelock;
}

/**
 * Deploys every implementation, the ModelShares and ModelRegistry proxies, and grants the registry the model
 * creator role. `admin` becomes protocol admin of both proxies (in production: the protocol admin timelock).
 */
export async function deployProtocol(ethers: HardhatEthers, admin: HardhatEthersSigner): Promise<Protocol> {
  const registryImplementation = await ethers.deployContract("ModelRegistry", [], admin);
  const governorImplementation = await ethers.deployContract("ModelGovernor", [], admin);
  const timelockImplementation = await ethers.deployContract("ModelTimelock", [], admin);
  // The registry proxy's address is needed for the creator role: deploy shares with the admin as creator first.
  const { shares, votesImplementation, sharesImplementation } = await deployShares(ethers, admin);
  const init = registryImplementation.interface.encodeFunctionData("initialize", [
    admin.address,
    await shares.getAddress(),
    await governorImplementation.getAddress(),
    await timelockImplementation.getAddress(),
  ]);
  const proxy = await ethers.deployContract(
    "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy",
    [await registryImplementation.getAddress(), init],
    admin,
  );
  const registry = await ethers.getContractAt("ModelRegistry", await proxy.getAddress(), admin);
  const creatorRole = await shares.MODEL_CREATOR_ROLE();
  await (await shares.grantRole(creatorRole, await registry.getAddress())).wait();
  await (await shares.revokeRole(creatorRole, admin.address)).wait();
  return {
    shares,
    registry,
    implementations: {
      votes: await votesImplementation.getAddress(),
      shares: sharesImplementation,
      governor: await governorImplementation.getAddress(),
      timelock: await timelockImplementation.getAddress(),
      registry: await registryImplementation.getAddress(),
    },
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

/** Typed handles on an existing model's contracts. */
export async function modelAt(ethers: HardhatEthers, registry: ModelRegistry, modelId: bigint): Promise<Model> {
  const record = await registry.model(modelId);
  return {
    modelId,
    votes: await ethers.getContractAt("ModelVotes", record.votes),
    governor: await ethers.getContractAt("ModelGovernor", record.governor),
    timelock: await ethers.getContractAt("ModelTimelock", record.timelock),
  };
}
