/**
 * The models list's and the model page's reads: GraphQL queries over the indexer (amounts as decimal strings,
 * addresses lower-case), and the model's ERC-1155 metadata and manifests from IPFS through the gateway's
 * `/ipfs/<cid>` route (content-addressed, so cached for good).
 */
import { useQuery } from "@tanstack/react-query";
import { keccak256 } from "viem";

import { useAppConfig } from "../context.tsx";
import { graphql, useIndexer } from "./indexer.ts";

/** A model as the list shows it. */
export interface ModelSummary {
  id: string;
  name: string | null;
  symbol: string | null;
  metadataURI: string | null;
  uri: string;
  holderCount: number;
  offers: { items: { offerId: string; price: string; paymentToken: string; onSale: boolean }[] };
  revenue: { items: { token: string; deposited: string }[] };
  parents: { totalCount: number };
  raises: { items: { id: string; opensAt: string; closesAt: string; finalized: boolean; cancelled: boolean }[] };
}

interface ModelsPage {
  models: { items: ModelSummary[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const MODELS = `query Models($after: String) {
  models(orderBy: "id", orderDirection: "asc", limit: 200, after: $after) {
    items {
      id name symbol metadataURI uri holderCount
      offers(limit: 100) { items { offerId price paymentToken onSale } }
      revenue(limit: 50) { items { token deposited } }
      parents(limit: 1) { totalCount }
      raises(where: { finalized: false, cancelled: false }, limit: 20) {
        items { id opensAt closesAt finalized cancelled }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every model the indexer knows, page after page. */
export function useModels() {
  const { indexerUrl } = useAppConfig();
  return useQuery({
    queryKey: ["indexer", "models"],
    queryFn: async () => {
      const all: ModelSummary[] = [];
      let after: string | null = null;
      for (;;) {
        const page: ModelsPage = await graphql<ModelsPage>(indexerUrl, MODELS, { after });
        all.push(...page.models.items);
        if (!page.models.pageInfo.hasNextPage || page.models.pageInfo.endCursor === null) return all;
        after = page.models.pageInfo.endCursor;
      }
    },
  });
}

/** The cheapest offer on sale, per payment token (tokens in the order first seen). */
export function cheapestOffers(model: Pick<ModelSummary, "offers">): { token: string; price: bigint }[] {
  const best = new Map<string, bigint>();
  for (const o of model.offers.items) {
    if (!o.onSale) continue;
    const price = BigInt(o.price);
    const seen = best.get(o.paymentToken);
    if (seen === undefined || price < seen) best.set(o.paymentToken, price);
  }
  return [...best].map(([token, price]) => ({ token, price }));
}

/** Whether a raise is open for commitments at `now` (unix seconds). */
export function raiseOpen(
  r: { opensAt: string; closesAt: string; finalized: boolean; cancelled: boolean },
  now: number,
) {
  return !r.finalized && !r.cancelled && BigInt(r.opensAt) <= BigInt(now) && BigInt(now) < BigInt(r.closesAt);
}

// ---------------------------------------------------------------------------------------------------------------
// One model
// ---------------------------------------------------------------------------------------------------------------

/** A model's own row, as the model page shows it. */
export interface ModelDetail {
  id: string;
  name: string | null;
  symbol: string | null;
  creator: string | null;
  metadataURI: string | null;
  uri: string;
  contentHash: string | null;
  governor: string | null;
  timelock: string;
  votes: string;
  totalSupply: string;
  holderCount: number;
  contributorsBps: string | null;
  holdersBps: string | null;
  treasuryBps: string | null;
  votingPeriod: string | null;
  createdAt: string;
}

const MODEL = `query Model($id: BigInt!) {
  model(id: $id) {
    id name symbol creator metadataURI uri contentHash governor timelock votes totalSupply holderCount
    contributorsBps holdersBps treasuryBps votingPeriod createdAt
  }
}`;

/** One model's row (null when the indexer has no such model). */
export function useModel(modelId: bigint) {
  return useIndexer<{ model: ModelDetail | null }>(["model", String(modelId)], MODEL, { id: String(modelId) });
}

// ---------------------------------------------------------------------------------------------------------------
// IPFS through the gateway
// ---------------------------------------------------------------------------------------------------------------

/** The ERC-1155 metadata fields the app shows (everything else is ignored). */
export interface ModelMetadata {
  name?: string;
  description?: string;
  properties: Record<string, unknown>;
}

/** The CID of an `ipfs://<cid>` (or `ipfs://ipfs/<cid>`) URI with no path, else undefined. */
export function ipfsCid(uri: string | null | undefined): string | undefined {
  const match = /^ipfs:\/\/(?:ipfs\/)?([A-Za-z0-9]{10,200})\/?$/.exec(uri?.trim() ?? "");
  return match?.[1];
}

/**
 * The model's current metadata URI: its ERC-1155 `uri` (which a metadata vote updates), with `{id}` filled in, else
 * the URI it was registered with.
 */
export function metadataUriOf(model: { id: string; metadataURI: string | null; uri: string }): string | undefined {
  if (model.uri) return model.uri.replace("{id}", BigInt(model.id).toString(16).padStart(64, "0"));
  return model.metadataURI || undefined;
}

/** The bytes of `cid` from the gateway's `/ipfs/` route; a plain Error naming the CID when it cannot. */
export async function fetchIpfs(gatewayUrl: string, cid: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(`${gatewayUrl}/ipfs/${encodeURIComponent(cid)}`);
  } catch {
    throw new Error(`the gateway at ${gatewayUrl} is unreachable`);
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    throw new Error(problem.detail ?? `the gateway answered HTTP ${response.status} for ${cid}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** The model's ERC-1155 metadata, when its URI is on IPFS and a gateway is configured (else the query is idle). */
export function useMetadata(uri: string | undefined) {
  const { gatewayUrl } = useAppConfig();
  const cid = ipfsCid(uri);
  return useQuery({
    queryKey: ["ipfs", "metadata", cid],
    enabled: cid !== undefined && gatewayUrl !== undefined,
    staleTime: Infinity,
    retry: false,
    queryFn: async (): Promise<ModelMetadata> => {
      const raw = parseJson(await fetchIpfs(gatewayUrl!, cid!), "the metadata");
      const text = (v: unknown) => (typeof v === "string" ? v : undefined);
      const properties = typeof raw.properties === "object" && raw.properties !== null ? raw.properties : {};
      return { name: text(raw.name), description: text(raw.description), properties } as ModelMetadata;
    },
  });
}

/** One file of a manifest, as the page lists it. */
export interface ManifestFileRow {
  path: string;
  size: number;
  sha256: string;
}

/** One published version: its manifest's CID, number, files and keccak256 (the on-chain content hash it makes). */
export interface VersionRow {
  cid: string;
  version: number;
  files: ManifestFileRow[];
  contentHash: string;
  previous?: string;
}

/** The manifest at `manifestUri` and the versions before it (following `previous`, at most `depth` of them). */
export function useVersions(manifestUri: string | undefined, depth = 20) {
  const { gatewayUrl } = useAppConfig();
  const cid = ipfsCid(manifestUri);
  return useQuery({
    queryKey: ["ipfs", "versions", cid, depth],
    enabled: cid !== undefined && gatewayUrl !== undefined,
    staleTime: Infinity,
    retry: false,
    queryFn: async (): Promise<VersionRow[]> => {
      const versions: VersionRow[] = [];
      let next: string | undefined = cid;
      while (next !== undefined && versions.length < depth) {
        const bytes = await fetchIpfs(gatewayUrl!, next);
        const m = parseJson(bytes, `manifest ${next}`);
        const files = Array.isArray(m.files) ? (m.files as ManifestFileRow[]) : [];
        versions.push({
          cid: next,
          version: Number(m.version),
          files: files.map((f) => ({ path: String(f.path), size: Number(f.size), sha256: String(f.sha256) })),
          contentHash: keccak256(bytes),
          previous: typeof m.previous === "string" ? m.previous : undefined,
        });
        next = typeof m.previous === "string" ? m.previous : undefined;
      }
      return versions;
    },
  });
}
