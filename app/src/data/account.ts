/**
 * One account's stake in the protocol: what the indexer knows (fractions, delegations, contributions, licences,
 * backings) and what only the contracts know now, because it moves with the clock or an accumulator (claimable and
 * releasable revenue, revenue still unlocking, votes, whether a licence is live; see indexer/README.md).
 */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";

import { useAppConfig } from "../context.tsx";
import { licenseManagerAbi, modelVotesAbi, revenueVaultAbi } from "../generated.ts";
import { useIndexer } from "./indexer.ts";
import type { IndexedRaise } from "./raises.ts";

/** Keeps a query's previous data while it refetches under a new key, only if it was `account`'s (never another's). */
function sameAccount(account: Address | undefined) {
  return <T>(previous: T | undefined, query: { queryKey: readonly unknown[] } | undefined): T | undefined =>
    query?.queryKey[2] === account ? previous : undefined;
}

/** A model as the account pages need it. */
export interface ModelRef {
  id: string;
  name: string | null;
  symbol: string | null;
  votes: string;
}

/** A licence the account owns, as indexed. */
export interface IndexedLicence {
  id: string;
  modelId: string;
  offerId: string;
  expiry: string;
  credits: string;
  model: { name: string | null } | null;
}

/** The account's backing of a raise, as indexed, with the raise. */
export interface IndexedBacking {
  raiseId: string;
  fractions: string;
  seats: string;
  refunded: string;
  claimed: boolean;
  raise: IndexedRaise;
}

interface AccountIndex {
  balances: { items: { modelId: string; amount: string }[] };
  delegations: { items: { modelId: string; delegate: string }[] };
  votingPowers: { items: { modelId: string; votes: string }[] };
  contributors: { items: { modelId: string; shares: string }[] };
  revenueAccounts: { items: { modelId: string }[] };
  licences: { items: IndexedLicence[] };
  backings: { items: IndexedBacking[] };
}

const ACCOUNT_QUERY = `query Account($a: String!) {
  balances(where: { account: $a }, limit: 500) { items { modelId amount } }
  delegations(where: { delegator: $a }, limit: 500) { items { modelId delegate } }
  votingPowers(where: { account: $a }, limit: 500) { items { modelId votes } }
  contributors(where: { account: $a }, limit: 500) { items { modelId shares } }
  revenueAccounts(where: { account: $a }, limit: 500) { items { modelId } }
  licences(where: { owner: $a }, orderBy: "id", orderDirection: "asc", limit: 500) {
    items { id modelId offerId expiry credits model { name } }
  }
  backings(where: { backer: $a }, orderBy: "raiseId", orderDirection: "desc", limit: 500) {
    items { raiseId fractions seats refunded claimed raise { id modelId token price goal cap accountCap opensAt closesAt
      allowlistRoot termsHash termsURI seatPrice seats committed seatsSold inflow refunded backerCount
      model { name symbol } } }
  }
}`;

/** What the indexer has of `account` (lower-case), and the models it has any stake in. */
export function useAccountIndex(account: string | undefined) {
  const a = account?.toLowerCase();
  const index = useIndexer<AccountIndex>(["account", a], ACCOUNT_QUERY, { a }, a !== undefined);
  const d = index.data;
  const ids = d
    ? [
        ...new Set(
          [d.balances, d.delegations, d.votingPowers, d.contributors, d.revenueAccounts].flatMap((list) =>
            list.items.map((i) => i.modelId),
          ),
        ),
      ].sort((x, y) => Number(BigInt(x) - BigInt(y)))
    : [];
  const models = useIndexer<{ models: { items: ModelRef[] } }>(
    ["account-models", ids],
    `query Models($ids: [BigInt!]) { models(where: { id_in: $ids }, orderBy: "id", limit: 500) {
      items { id name symbol votes } } }`,
    { ids },
    ids.length > 0,
  );
  return { index, models: ids.length === 0 ? [] : (models.data?.models.items ?? []), modelsQuery: models };
}

/** The account's fractions and votes in one model, read from its votes token now. */
export interface Stake {
  fractions: bigint;
  votes: bigint;
  delegate: Address;
  chosen: boolean;
  votableSupply: bigint;
}

/** Holder and contributor revenue of one model in one token, read from the vault now. */
export interface RevenueRow {
  modelId: string;
  token: Address;
  claimable: bigint;
  releasable: bigint;
  /** The model's holder revenue still locked, when it will all have unlocked, and the window. */
  locked: bigint;
  unlockEnd: bigint;
  window: bigint;
  /** The account's share of `locked` at its holding now (an estimate: holdings may change). */
  lockedShare: bigint;
}

/** Stakes (by model id) and revenue rows of `account` in `models`, read from the contracts. */
export function useAccountChain(account: Address | undefined, models: ModelRef[]) {
  const client = usePublicClient();
  const { deployment } = useAppConfig();
  return useQuery({
    queryKey: ["chain", "account", account, models.map((m) => m.id)],
    placeholderData: sameAccount(account),
    enabled: client !== undefined && account !== undefined && models.length > 0,
    queryFn: async () => {
      const c = client!;
      const who = account!;
      const stakes = new Map<string, Stake>();
      const revenue: RevenueRow[] = [];
      await Promise.all(
        models.map(async (m) => {
          const modelId = BigInt(m.id);
          const votes = { address: m.votes as Address, abi: modelVotesAbi } as const;
          const vault = { address: deployment.vault, abi: revenueVaultAbi } as const;
          const [fractions, votesNow, delegate, chosen, votableSupply, [tokens]] = await Promise.all([
            c.readContract({ ...votes, functionName: "balanceOf", args: [who] }),
            c.readContract({ ...votes, functionName: "getVotes", args: [who] }),
            c.readContract({ ...votes, functionName: "delegates", args: [who] }),
            c.readContract({ ...votes, functionName: "hasChosenDelegate", args: [who] }),
            c.readContract({ ...votes, functionName: "votableSupply" }),
            c.readContract({ ...vault, functionName: "paymentTokensOf", args: [modelId] }),
          ]);
          stakes.set(m.id, { fractions, votes: votesNow, delegate, chosen, votableSupply });
          const rows = await Promise.all(
            tokens.map(async (token) => {
              const [claimable, releasable, [locked, unlockEnd, window]] = await Promise.all([
                c.readContract({ ...vault, functionName: "claimable", args: [modelId, token, who] }),
                c.readContract({ ...vault, functionName: "releasable", args: [modelId, token, who] }),
                c.readContract({ ...vault, functionName: "unlocking", args: [modelId, token] }),
              ]);
              const lockedShare = votableSupply === 0n ? 0n : (locked * fractions) / votableSupply;
              return { modelId: m.id, token, claimable, releasable, locked, unlockEnd, window, lockedShare };
            }),
          );
          revenue.push(...rows);
        }),
      );
      revenue.sort((x, y) => Number(BigInt(x.modelId) - BigInt(y.modelId)) || x.token.localeCompare(y.token));
      return { stakes, revenue };
    },
  });
}

/** A licence's access now: live or not, credits left (undefined when unmetered), and whether it is primary. */
export interface LicenceNow {
  live: boolean;
  expiry: bigint;
  metered: boolean;
  credits: bigint;
  primary: boolean;
}

/** The licences' state now (by id), read from the licence manager. */
export function useLicencesNow(account: Address | undefined, licences: IndexedLicence[]) {
  const client = usePublicClient();
  const { deployment } = useAppConfig();
  return useQuery({
    queryKey: ["chain", "licences", account, licences.map((l) => l.id)],
    placeholderData: sameAccount(account),
    enabled: client !== undefined && account !== undefined && licences.length > 0,
    queryFn: async () => {
      const manager = { address: deployment.licenses, abi: licenseManagerAbi } as const;
      const out = new Map<string, LicenceNow>();
      await Promise.all(
        licences.map(async (l) => {
          const id = BigInt(l.id);
          const [live, licence, primary] = await Promise.all([
            client!.readContract({ ...manager, functionName: "isLive", args: [id] }),
            client!.readContract({ ...manager, functionName: "licence", args: [id] }),
            client!.readContract({ ...manager, functionName: "primaryLicence", args: [BigInt(l.modelId), account!] }),
          ]);
          out.set(l.id, {
            live,
            expiry: BigInt(licence.expiry),
            metered: licence.metered,
            credits: BigInt(licence.credits),
            primary: primary === id,
          });
        }),
      );
      return out;
    },
  });
}
