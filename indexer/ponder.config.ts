/**
 * Ponder's configuration for Weightshare: one chain, the protocol's contracts from the deployment record, and each
 * model's ModelVotes, ModelGovernor and timelock clones found through the registry's `ModelRegistered` events
 * (Ponder's factory support). Every value comes from the environment: see settings.ts and README.md.
 */
import { createConfig, factory } from "ponder";
import { getAbiItem } from "viem";

import {
  EASAbi,
  FractionSalesAbi,
  LicenseeReviewResolverAbi,
  LicenseManagerAbi,
  ModelGovernorAbi,
  ModelLineageAbi,
  ModelRegistryAbi,
  ModelSharesAbi,
  ModelTimelockAbi,
  ModelVotesAbi,
  ProvenanceResolverAbi,
  RaisesAbi,
  RevenueVaultAbi,
  UsageMeterAbi,
} from "./abis/index.ts";
import { indexerSettings, optionalAddress, provenanceSchema } from "./settings.ts";

const settings = indexerSettings(process.env);
const { deployment, startBlock } = settings;
const chain = "weightshare" as const;
const at = (address: string) => address as `0x${string}`;
const modelRegistered = getAbiItem({ abi: ModelRegistryAbi, name: "ModelRegistered" });

export default createConfig({
  database: settings.database,
  ordering: "omnichain",
  chains: {
    [chain]: {
      id: settings.chainId,
      rpc: settings.rpcUrl,
      pollingInterval: settings.pollingInterval,
      disableCache: settings.disableCache,
    },
  },
  contracts: {
    ModelShares: { chain, abi: ModelSharesAbi, address: at(deployment.shares), startBlock },
    ModelRegistry: { chain, abi: ModelRegistryAbi, address: at(deployment.registry), startBlock },
    ModelVotes: {
      chain,
      abi: ModelVotesAbi,
      address: factory({ address: at(deployment.registry), event: modelRegistered, parameter: "votes" }),
      startBlock,
    },
    ModelGovernor: {
      chain,
      abi: ModelGovernorAbi,
      address: factory({ address: at(deployment.registry), event: modelRegistered, parameter: "governor" }),
      startBlock,
    },
    ModelTimelock: {
      chain,
      abi: ModelTimelockAbi,
      address: factory({ address: at(deployment.registry), event: modelRegistered, parameter: "timelock" }),
      startBlock,
    },
    LicenseManager: { chain, abi: LicenseManagerAbi, address: at(deployment.licenses), startBlock },
    UsageMeter: { chain, abi: UsageMeterAbi, address: at(deployment.meter), startBlock },
    RevenueVault: { chain, abi: RevenueVaultAbi, address: at(deployment.vault), startBlock },
    Raises: { chain, abi: RaisesAbi, address: optionalAddress(deployment, "raises"), startBlock },
    FractionSales: { chain, abi: FractionSalesAbi, address: optionalAddress(deployment, "sales"), startBlock },
    ModelLineage: { chain, abi: ModelLineageAbi, address: optionalAddress(deployment, "lineage"), startBlock },
    LicenseeReviewResolver: {
      chain,
      abi: LicenseeReviewResolverAbi,
      address: optionalAddress(deployment, "reviewResolver"),
      startBlock,
    },
    ProvenanceResolver: {
      chain,
      abi: ProvenanceResolverAbi,
      address: optionalAddress(deployment, "provenanceResolver"),
      startBlock,
    },
    // EAS itself, only for revocations under the provenance schema (reviews' revocations reach their resolver).
    EAS: {
      chain,
      abi: EASAbi,
      address: optionalAddress(deployment, "eas"),
      filter: { event: "Revoked", args: { schemaUID: provenanceSchema(deployment) } },
      startBlock,
    },
  },
});
