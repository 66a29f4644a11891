/** How the app writes addresses, amounts, tokens, durations and dates. */
import { formatUnits, zeroAddress } from "viem";

/** 0x1234…abcd */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** An amount of `token` in its units: ETH for the zero address (18 decimals), else the token's smallest units unless
 *  `decimals` is given. Exact: no floating point. */
export function formatAmount(amount: bigint | string, token: string = zeroAddress, decimals?: number): string {
  const value = BigInt(amount);
  if (token.toLowerCase() === zeroAddress) return `${formatUnits(value, 18)} ETH`;
  return decimals === undefined ? `${value} units of ${shortAddress(token)}` : `${formatUnits(value, decimals)}`;
}

/** A duration in seconds as days/hours (`30 days`, `2 h`, `perpetual` for 0). */
export function formatDuration(seconds: bigint | string | number): string {
  const s = Number(seconds);
  if (s === 0) return "perpetual";
  if (s % 86_400 === 0) return `${s / 86_400} day${s === 86_400 ? "" : "s"}`;
  if (s % 3_600 === 0) return `${s / 3_600} h`;
  return `${s} s`;
}

/** A unix timestamp (seconds) as a local date and time. */
export function formatTime(seconds: bigint | string | number): string {
  return new Date(Number(seconds) * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** Basis points as a percentage (`1,250` → `12.5%`). */
export function formatBps(bps: bigint | string | number): string {
  return `${Number(bps) / 100}%`;
}
