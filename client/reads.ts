/**
 * The typed reads the gateway (and the indexer and app) need, each optionally at a given block so that several
 * reads describe one consistent state of the chain.
 */
import type { BlockTag } from "ethers";

import type { LicenseManager, ModelRegistry, ModelShares } from "../types/ethers-contracts/index.ts";

/** What the chain says a model's current version is. */
export interface OnChainVersion {
  /** The model's ERC-1155 metadata URI (`ModelShares.uri(modelId)`). */
  uri: string;
  /** The content hash registered for the model (`ModelRegistry.model(modelId).contentHash`), 0x-prefixed bytes32. */
  contentHash: string;
}

/**
 * Whether `account` may use model `modelId`: it holds fractions of the model or an active licence
 * (`LicenseManager.hasAccess`), at `blockTag` (default: latest).
 */
export async function hasAccess(
  licenses: LicenseManager,
  modelId: bigint,
  account: string,
  blockTag?: BlockTag,
): Promise<boolean> {
  return licenses.hasAccess(modelId, account, blockTag === undefined ? {} : { blockTag });
}

/**
 * The model's metadata URI and registered content hash, both read at `blockTag` (default: latest). Rejects with the
 * registry's `ModelRegistryUnknownModel(modelId)` for a model that was never registered.
 */
export async function onChainVersion(
  shares: ModelShares,
  registry: ModelRegistry,
  modelId: bigint,
  blockTag?: BlockTag,
): Promise<OnChainVersion> {
  const overrides = blockTag === undefined ? {} : { blockTag };
  const [uri, record] = await Promise.all([shares.uri(modelId, overrides), registry.model(modelId, overrides)]);
  return { uri, contentHash: record.contentHash };
}
