/**
 * Where the app finds its chain, the protocol, the indexer and the gateway: `config.json` beside `index.html`, read
 * once at start, so one build serves every deployment. `npm run app` writes it for the local chain.
 */
import { getAddress, isAddress, type Address } from "viem";

/** The protocol's addresses (the same keys as `client/deployment.ts`). */
export interface AppDeployment {
  shares: Address;
  registry: Address;
  vault: Address;
  licenses: Address;
  meter: Address;
  raises?: Address;
  sales?: Address;
  lineage?: Address;
  eas?: Address;
  reviewResolver?: Address;
  /** The provenance resolver (attestations by a model's treasury or its evaluators); the Propose page needs it. */
  provenanceResolver?: Address;
  reviewSchema?: `0x${string}`;
}

export interface AppConfig {
  chainId: number;
  chainName: string;
  rpcUrl: string;
  /** The indexer's HTTP root (GraphQL at `/graphql`, status at `/status`). */
  indexerUrl: string;
  /** The gateway's HTTP root (sign-in, Hugging Face file API, IPFS), if the deployment runs one. */
  gatewayUrl?: string;
  /** Tally's page for a governor: `${tallyUrl}/gov/<chain>:<governor>` (omitted on a local chain). */
  tallyUrl?: string;
  /** WalletConnect Cloud project id; without one, only injected wallets are offered. */
  walletConnectProjectId?: string;
  deployment: AppDeployment;
}

const REQUIRED = ["shares", "registry", "vault", "licenses", "meter"] as const;
const OPTIONAL = ["raises", "sales", "lineage", "eas", "reviewResolver", "provenanceResolver"] as const;

/** `raw` checked as an AppConfig: one message naming the first bad field, or the config with checksummed addresses. */
export function parseConfig(raw: unknown): AppConfig {
  const bad = (field: string, expected: string): never => {
    throw new Error(`config.json: ${field} must be ${expected}`);
  };
  if (typeof raw !== "object" || raw === null) return bad("the file", "a JSON object");
  const c = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(c.chainId) || (c.chainId as number) <= 0) bad("chainId", "a positive integer");
  for (const field of ["rpcUrl", "indexerUrl"] as const) {
    if (typeof c[field] !== "string" || !/^https?:\/\//.test(c[field] as string)) bad(field, "an http(s) URL");
  }
  if (c.gatewayUrl !== undefined && (typeof c.gatewayUrl !== "string" || !/^https?:\/\//.test(c.gatewayUrl))) {
    bad("gatewayUrl", "an http(s) URL");
  }
  const d = c.deployment as Record<string, unknown> | undefined;
  if (typeof d !== "object" || d === null) return bad("deployment", "an object of contract addresses");
  const deployment: Record<string, string> = {};
  for (const key of [...REQUIRED, ...OPTIONAL]) {
    const value = d[key];
    if (value === undefined && !(REQUIRED as readonly string[]).includes(key)) continue;
    if (typeof value !== "string" || !isAddress(value)) bad(`deployment.${key}`, "an address");
    deployment[key] = getAddress(value as string);
  }
  if (typeof d.reviewSchema === "string") deployment.reviewSchema = d.reviewSchema;
  return {
    chainId: c.chainId as number,
    chainName: typeof c.chainName === "string" ? c.chainName : `Chain ${String(c.chainId)}`,
    rpcUrl: c.rpcUrl as string,
    indexerUrl: (c.indexerUrl as string).replace(/\/$/, ""),
    gatewayUrl: typeof c.gatewayUrl === "string" ? c.gatewayUrl.replace(/\/$/, "") : undefined,
    tallyUrl: typeof c.tallyUrl === "string" ? c.tallyUrl.replace(/\/$/, "") : undefined,
    walletConnectProjectId:
      typeof c.walletConnectProjectId === "string" && c.walletConnectProjectId !== ""
        ? c.walletConnectProjectId
        : import.meta.env.WEIGHTSHARE_APP_WALLETCONNECT_PROJECT_ID || undefined,
    deployment: deployment as unknown as AppDeployment,
  };
}

/** Reads `config.json` beside the page. */
export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch(new URL("config.json", document.baseURI));
  if (!response.ok) throw new Error(`config.json: expected the app's configuration, got HTTP ${response.status}`);
  return parseConfig(await response.json());
}
