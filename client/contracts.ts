/**
 * Typed handles on the protocol's contracts from nothing but addresses and an ethers runner (a provider, a wallet, a
 * browser signer), built with the typechain factories, which import only ethers.
 */
import type { ContractRunner } from "ethers";

import { ModelGovernor__factory } from "../types/ethers-contracts/factories/contracts/governance/ModelGovernor__factory.ts";
import { ModelTimelock__factory } from "../types/ethers-contracts/factories/contracts/governance/ModelTimelock__factory.ts";
import { LicenseManager__factory } from "../types/ethers-contracts/factories/contracts/licensing/LicenseManager__factory.ts";
import { ModelRegistry__factory } from "../types/ethers-contracts/factories/contracts/registry/ModelRegistry__factory.ts";
import { RevenueVault__factory } from "../types/ethers-contracts/factories/contracts/revenue/RevenueVault__factory.ts";
import { ModelShares__factory } from "../types/ethers-contracts/factories/contracts/token/ModelShares__factory.ts";
import { ModelVotes__factory } from "../types/ethers-contracts/factories/contracts/token/ModelVotes__factory.ts";
import { UsageMeter__factory } from "../types/ethers-contracts/factories/contracts/usage/UsageMeter__factory.ts";
import type {
  LicenseManager,
  ModelGovernor,
  ModelRegistry,
  ModelShares,
  ModelTimelock,
  ModelVotes,
  RevenueVault,
  UsageMeter,
} from "../types/ethers-contracts/index.ts";
import type { Deployment } from "./deployment.ts";

/** The protocol-wide contracts of one deployment. */
export interface ProtocolContracts {
  shares: ModelShares;
  registry: ModelRegistry;
  vault: RevenueVault;
  licenses: LicenseManager;
  meter: UsageMeter;
}

/** One model's own contracts: its votes token, governor and timelock (treasury). */
export interface ModelContracts {
  modelId: bigint;
  votes: ModelVotes;
  governor: ModelGovernor;
  timelock: ModelTimelock;
}

/** Connects to a deployment's contracts through `runner`; sends nothing and reads nothing yet. */
export function connectProtocol(deployment: Deployment, runner: ContractRunner): ProtocolContracts {
  return {
    shares: ModelShares__factory.connect(deployment.shares, runner),
    registry: ModelRegistry__factory.connect(deployment.registry, runner),
    vault: RevenueVault__factory.connect(deployment.vault, runner),
    licenses: LicenseManager__factory.connect(deployment.licenses, runner),
    meter: UsageMeter__factory.connect(deployment.meter, runner),
  };
}

/**
 * A registered model's contracts, read from `registry.model(modelId)` (which reverts with
 * `ModelRegistryUnknownModel(modelId)` for an unknown model), connected through `runner` (default: the registry's).
 */
export async function modelContracts(
  registry: ModelRegistry,
  modelId: bigint,
  runner: ContractRunner | null = registry.runner,
): Promise<ModelContracts> {
  const record = await registry.model(modelId);
  return {
    modelId,
    votes: ModelVotes__factory.connect(record.votes, runner),
    governor: ModelGovernor__factory.connect(record.governor, runner),
    timelock: ModelTimelock__factory.connect(record.timelock, runner),
  };
}
