/**
 * Raises for the app: every raise as the indexer has it (terms and totals), its status now and the connected
 * account's position read from the Raises contract (the index has no clock), and the payment tokens' symbols and
 * decimals so amounts read in the token's units. Amounts stay exact bigints throughout.
 */
import { useQuery } from "@tanstack/react-query";
import { erc20Abi, formatUnits, zeroAddress, type Address } from "viem";
import { usePublicClient } from "wagmi";

import { RAISE_STATUSES, type RaiseStatus } from "../../../client/raises.ts";
import { useAppConfig } from "../context.tsx";
import { shortAddress } from "../format.ts";
import { raisesAbi } from "../generated.ts";
import { useIndexer } from "./indexer.ts";

/** A raise as the indexer serves it (bigints as decimal strings, addresses lower-case). */
export interface IndexedRaise {
  id: string;
  modelId: string;
  token: string;
  price: string;
  goal: string;
  cap: string;
  accountCap: string;
  opensAt: string;
  closesAt: string;
  allowlistRoot: string;
  termsHash: string;
  termsURI: string;
  seatPrice: string;
  seats: string;
  committed: string;
  seatsSold: string;
  inflow: string;
  refunded: string;
  backerCount: number;
  model: { name: string | null; symbol: string | null } | null;
}

const RAISE_FIELDS = `id modelId token price goal cap accountCap opensAt closesAt allowlistRoot termsHash termsURI
  seatPrice seats committed seatsSold inflow refunded backerCount model { name symbol }`;

/** Every raise, newest first. */
export function useRaises() {
  return useIndexer<{ raises: { items: IndexedRaise[]; totalCount: number } }>(
    ["raises"],
    `query { raises(orderBy: "id", orderDirection: "desc", limit: 200) { items { ${RAISE_FIELDS} } totalCount } }`,
  );
}

/** One backer's position in a raise, read from the contract (`backing` and `allocation`). */
export interface Position {
  fractions: bigint;
  seats: bigint;
  acceptedTerms: boolean;
  claimed: boolean;
  refunded: bigint;
  /** Fractions it can claim (or has claimed) as things stand. */
  allocation: bigint;
  /** Money refundable to it now. */
  refundable: bigint;
}

/** A raise as it stands on chain now: its status, committed fractions, and `account`'s position. */
export interface RaiseNow {
  status: RaiseStatus;
  committed: bigint;
  position?: Position;
}

/** Status (and `account`'s position, when given) of each of `raiseIds`, read from the Raises contract. */
export function useRaisesNow(raiseIds: readonly string[], account: Address | undefined) {
  const client = usePublicClient();
  const { deployment } = useAppConfig();
  const raises = deployment.raises;
  return useQuery({
    queryKey: ["chain", "raises", raises, raiseIds, account],
    placeholderData: (
      previous: Map<string, RaiseNow> | undefined,
      query: { queryKey: readonly unknown[] } | undefined,
    ) => (query?.queryKey[4] === account ? previous : undefined),
    enabled: client !== undefined && raises !== undefined && raiseIds.length > 0,
    queryFn: async () => {
      const out = new Map<string, RaiseNow>();
      await Promise.all(
        raiseIds.map(async (id) => {
          const raiseId = BigInt(id);
          const address = raises!;
          const [status, state] = await Promise.all([
            client!.readContract({ address, abi: raisesAbi, functionName: "status", args: [raiseId] }),
            client!.readContract({ address, abi: raisesAbi, functionName: "raiseState", args: [raiseId] }),
          ]);
          let position: Position | undefined;
          if (account !== undefined) {
            const [b, [allocation, refundable]] = await Promise.all([
              client!.readContract({ address, abi: raisesAbi, functionName: "backing", args: [raiseId, account] }),
              client!.readContract({ address, abi: raisesAbi, functionName: "allocation", args: [raiseId, account] }),
            ]);
            position = {
              fractions: BigInt(b.fractions),
              seats: BigInt(b.seats),
              acceptedTerms: b.acceptedTerms,
              claimed: b.claimed,
              refunded: b.refunded,
              allocation,
              refundable,
            };
          }
          out.set(id, { status: RAISE_STATUSES[Number(status)], committed: BigInt(state.committed), position });
        }),
      );
      return out;
    },
  });
}

/** A payment token's symbol and decimals (ETH for the zero address). */
export interface TokenInfo {
  symbol: string;
  decimals?: number;
}

/** Symbol and decimals of each of `tokens` (lower-case keys), read from the token contracts. */
export function useTokens(tokens: readonly string[]) {
  const client = usePublicClient();
  const unique = [...new Set(tokens.map((t) => t.toLowerCase()))].sort();
  return useQuery({
    queryKey: ["chain", "tokens", unique],
    enabled: client !== undefined,
    staleTime: Infinity,
    queryFn: async () => {
      const out = new Map<string, TokenInfo>();
      await Promise.all(
        unique.map(async (token) => {
          if (token === zeroAddress) return out.set(token, { symbol: "ETH", decimals: 18 });
          const address = token as Address;
          const [symbol, decimals] = await Promise.all([
            client!.readContract({ address, abi: erc20Abi, functionName: "symbol" }).catch(() => shortAddress(token)),
            client!.readContract({ address, abi: erc20Abi, functionName: "decimals" }).catch(() => undefined),
          ]);
          out.set(token, { symbol, decimals });
        }),
      );
      return out;
    },
  });
}

/** `amount` of `token` in its units with its symbol (`0.25 ETH`, `12.5 USDC`); exact, no floating point. */
export function moneyText(amount: bigint | string, token: string, tokens: Map<string, TokenInfo> | undefined): string {
  const value = BigInt(amount);
  const key = token.toLowerCase();
  if (key === zeroAddress) return `${formatUnits(value, 18)} ETH`;
  const info = tokens?.get(key);
  if (info?.decimals === undefined) return `${value} units of ${info?.symbol ?? shortAddress(token)}`;
  return `${formatUnits(value, info.decimals)} ${info.symbol}`;
}
