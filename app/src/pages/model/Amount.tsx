/**
 * An amount of ETH or of an ERC-20 in the token's own units and symbol (`12.5 USDC`), read from the token once; while
 * that read is pending or fails, the exact smallest units are shown instead.
 */
import { erc20Abi, formatUnits, zeroAddress, type Address } from "viem";
import { useReadContracts } from "wagmi";

import { formatAmount } from "../../format.ts";

/** A token's symbol and decimals (undefined for ETH, or while unknown). */
export function useToken(token: string): { symbol: string; decimals: number } | undefined {
  const isEth = token.toLowerCase() === zeroAddress;
  const { data } = useReadContracts({
    allowFailure: false,
    contracts: [
      { address: token as Address, abi: erc20Abi, functionName: "symbol" },
      { address: token as Address, abi: erc20Abi, functionName: "decimals" },
    ],
    query: { enabled: !isEth, staleTime: Infinity },
  });
  if (isEth) return { symbol: "ETH", decimals: 18 };
  return data === undefined ? undefined : { symbol: data[0], decimals: data[1] };
}

/** `amount` of `token` as text, in the token's units once known. */
export function useAmountText(amount: bigint | string, token: string): string {
  const info = useToken(token);
  if (info === undefined || token.toLowerCase() === zeroAddress) return formatAmount(amount, token);
  return `${formatUnits(BigInt(amount), info.decimals)} ${info.symbol}`;
}

/** `amount` of `token`, in the token's units once known. */
export function Amount({ value, token }: { value: bigint | string; token: string }) {
  return <>{useAmountText(value, token)}</>;
}
