/**
 * Typed handles on the protocol's contracts from nothing but addresses and an ethers runner (a provider, a wallet, a
 * browser signer), built with the typechain factories, which import only ethers.
 */
import type { ContractRunner } from "ethers";

import { IFractionSales__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IFractionSales__factory.ts";
import { IModelLineage__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IModelLineage__factory.ts";
import { IRaises__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IRaises__factory.ts";
import { ModelGovernor__factory } from "../types/ethers-contracts/factories/contracts/governance/ModelGovernor__factory.ts";
import { ModelTimelock__factory } from "../types/ethers-contracts/factories/contracts/governance/ModelTimelock__factory.ts";
import { LicenseManager__factory } from "../types/ethers-contracts/factories/contracts/licensing/LicenseManager__factory.ts";
import { ModelRegistry__factory } from "../types/ethers-contracts/factories/contracts/registry/ModelRegistry__factory.ts";
import { RevenueVault__factory } from "../types/ethers-contracts/factories/contracts/revenue/RevenueVault__factory.ts";
import { ModelShares__factory } from "../types/ethers-contracts/factories/contracts/token/ModelShares__factory.ts";
import { ModelVotes__factory } from "../types/ethers-contracts/factories/contracts/token/ModelVotes__factory.ts";
import { UsageMeter__factory } from "../types/ethers-contracts/factories/contracts/usage/UsageMeter__factory.ts";
import type {
  IFractionSales,
  IModelLineage,
  IRaises,
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

/**
 * The protocol-wide contracts of one deployment. `raises` and `sales` (issue #14) are typed by their interfaces
 * (`IRaises`, `IFractionSales`: every call, event and error), and absent when the deployment has none.
 */
export interface ProtocolContracts {
  shares: ModelShares;
  registry: ModelRegistry;
  vault: RevenueVault;
  licenses: LicenseManager;
  meter: UsageMeter;
  raises?: IRaises;
  sales?: IFractionSales;
  /** Derivative models and their parents (issue #15); absent when the deployment has none. */
  lineage?: IModelLineage;
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
    ...(deployment.raises === undefined ? {} : { raises: IRaises__factory.connect(deployment.raises, runner) }),
    ...(deployment.sales === undefined ? {} : { sales: IFractionSales__factory.connect(deployment.sales, runner) }),
    ...(deployment.lineage === undefined
      ? {}
      : { lineage: IModelLineage__factory.connect(deployment.lineage, runner) }),
  };
}

/** What the funding contracts are called in messages, by deployment key. */
const FUNDING_NAMES = { raises: "Raises", sales: "FractionSales" } as const;

/**
 * `contracts.raises` or `contracts.sales`, or an Error saying the deployment has none (a deployment from before
 * issue #14: deploy the module again, or add the contract's address to the record).
 */
export function fundingContract<K extends keyof typeof FUNDING_NAMES>(
  contracts: Pick<ProtocolContracts, K>,
  key: K,
): NonNullable<ProtocolContracts[K]> {
  const contract = contracts[key];
  if (contract === undefined) {
    throw new Error(
      `the deployment has no ${FUNDING_NAMES[key]} contract ("${key}"): it predates raises and fraction sales; deploy them (Ignition module Weightshare) and add "${key}" to the deployment record`,
    );
  }
  return contract as NonNullable<ProtocolContracts[K]>;
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
