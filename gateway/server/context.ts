/**
 * What every route of one gateway shares: the chain and its contracts, the store and catalogue, the keys, the
 * sign-in state, the access checker, the metrics and the streams in flight. Built once by `buildGateway`.
 */
import type { Catalogue } from "../catalogue.js";
import type { ContentStore } from "../storage/store.js";
import type { LicenseManager, ModelShares } from "../../types/ethers-contracts/index.js";
import type { AccessChecker, ChainProvider } from "./access.js";
import type { NonceStore } from "./auth/nonces.js";
import type { TokenScope } from "./auth/tokens.js";
import type { GatewayMetrics } from "./metrics.js";
import type { ManifestCache } from "./versions.js";
import type { StreamTracker } from "./stream.js";

/** The catalogue reads the gateway needs (the publish side's `openCatalogue(dataDir)` provides them). */
export type CatalogueReader = Pick<Catalogue, "versions" | "version" | "byCommit" | "byMetadataURI">;

/** Shared state of one gateway instance. */
export interface GatewayContext {
  /** SIWE domain and token audience: the gateway's public host[:port]. */
  domain: string;
  chainId: bigint;
  provider: ChainProvider;
  shares: ModelShares;
  licenses: LicenseManager;
  store: ContentStore;
  catalogue: CatalogueReader;
  /** Key-encryption key that unwraps content keys. */
  kek: Uint8Array;
  tokenScope: TokenScope;
  /** Bearer token lifetime, seconds. */
  tokenTtl: number;
  nonces: NonceStore;
  access: AccessChecker;
  metrics: GatewayMetrics;
  manifests: ManifestCache;
  streams: StreamTracker;
}
