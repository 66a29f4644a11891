/**
 * What every route of one gateway shares: the chain and its contracts, the store and catalogue, the keys, the
 * sign-in state, the access checker, the metrics and the streams in flight. Built once by `buildGateway`.
 */
import type { Catalogue } from "../catalogue.ts";
import type { ContentStore } from "../storage/store.ts";
import type { LicenseManager, ModelShares } from "../../types/ethers-contracts/index.ts";
import type { AccessChecker, ChainProvider } from "./access.ts";
import type { NonceStore } from "./auth/nonces.ts";
import type { TokenScope } from "./auth/tokens.ts";
import type { GatewayMetrics } from "./metrics.ts";
import type { ManifestCache } from "./versions.ts";
import type { StreamTracker } from "./stream.ts";

/** The catalogue reads the gateway needs (the publish side's `openCatalogue(dataDir)` provides them). */
export type CatalogueReader = Pick<Catalogue, "versions" | "version" | "byCommit" | "byMetadataURI">;

/** Shared state of one gateway instance. */
export interface GatewayContext {
  /** SIWE domain and token audience: the gateway's public host[:port]. */
  domain: string;
  /** Web origins allowed by CORS, whose pages may also be named as a sign-in message's domain and URI. */
  appOrigins: readonly string[];
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
