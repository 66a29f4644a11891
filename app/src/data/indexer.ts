/**
 * The indexer's read API (Ponder's GraphQL over HTTP), and waiting until it has indexed a block, so a page shows a
 * transaction's outcome as soon as the indexer has it. Amounts come back as decimal strings (exact big integers).
 */
import { useQuery, type UseQueryResult } from "@tanstack/react-query";

import { useAppConfig } from "../context.tsx";

/** A GraphQL error from the indexer, with its messages. */
export class IndexerError extends Error {}

/** Runs one GraphQL query against the indexer at `indexerUrl`. */
export async function graphql<T>(
  indexerUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${indexerUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new IndexerError(`the indexer at ${indexerUrl} is unreachable (${String(error)})`);
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new IndexerError(`the indexer refused the query: ${body.errors[0].message}`);
  if (!response.ok || body.data === undefined) throw new IndexerError(`the indexer answered HTTP ${response.status}`);
  return body.data;
}

/** The last block the indexer has indexed, or undefined while it is not ready. */
export async function indexedBlock(indexerUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${indexerUrl}/status`);
    if (!response.ok) return undefined;
    const status = (await response.json()) as Record<string, { block?: { number?: number } }>;
    return Object.values(status)[0]?.block?.number;
  } catch {
    return undefined;
  }
}

/** Resolves once the indexer has indexed `block` (polling its /status), or after `ms` (the page then says so). */
export async function waitForIndexer(indexerUrl: string, block: bigint, ms = 30_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const at = await indexedBlock(indexerUrl);
    if (at !== undefined && BigInt(at) >= block) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** A react-query hook over one GraphQL query; `key` names the data so a transaction can refresh it. */
export function useIndexer<T>(
  key: readonly unknown[],
  query: string,
  variables: Record<string, unknown> = {},
  enabled = true,
): UseQueryResult<T, Error> {
  const { indexerUrl } = useAppConfig();
  return useQuery({
    queryKey: ["indexer", ...key, variables],
    queryFn: () => graphql<T>(indexerUrl, query, variables),
    enabled,
  });
}
