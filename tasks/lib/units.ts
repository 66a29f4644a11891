/**
 * The user's units, in and out: amounts in ETH or in a token's own decimals with its symbol ("12.5 USDC"),
 * durations in days and hours ("7d", "12h", "1.5d"), and chain times as ISO dates next to their timestamps.
 */
import { formatUnits, parseUnits, ZeroAddress } from "ethers";

import { TaskInputError } from "./cli.js";
import type { Context } from "./context.js";

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

const ETH_INFO: TokenInfo = { address: ZeroAddress, symbol: "ETH", decimals: 18 };
const known = new Map<string, TokenInfo>();

/** A payment token's symbol and decimals (the zero address is ETH); a token without them reads as 0 decimals. */
export async function tokenInfo(ctx: Context, token: string): Promise<TokenInfo> {
  if (token === ZeroAddress) return ETH_INFO;
  const key = `${ctx.chainId}:${token}`;
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const erc20 = await ctx.connection.ethers.getContractAt("TestToken", token);
  let symbol = token;
  let decimals = 0;
  try {
    symbol = await erc20.symbol();
    decimals = Number(await erc20.decimals());
  } catch {
    // Not an ERC-20 with metadata: amounts stay in its smallest unit.
  }
  const info = { address: token, symbol, decimals };
  known.set(key, info);
  return info;
}

/** `--<name>` as an amount of `token` in its units ("0.25" ETH, "12.5" of a 6-decimal token). */
export function parseAmount(name: string, value: string, token: TokenInfo): bigint {
  const decimals = token.decimals === 0 ? "" : `(\\.\\d{1,${token.decimals}})?`;
  if (!new RegExp(`^\\d+${decimals}$`).test(value)) {
    throw new TaskInputError(
      `--${name}: expected an amount of ${token.symbol}` +
        (token.decimals === 0 ? " as a whole number" : ` with at most ${token.decimals} decimals, such as 12.5`) +
        `, got "${value}"`,
    );
  }
  return parseUnits(value, token.decimals);
}

/** An amount in its token's units with the symbol: "0.25 ETH", "12.5 USDC". */
export function formatAmount(amount: bigint, token: TokenInfo): string {
  return `${formatUnits(amount, token.decimals).replace(/\.0$/, "")} ${token.symbol}`;
}

const UNITS: Record<string, bigint> = { s: 1n, m: 60n, h: 3_600n, d: 86_400n, w: 604_800n };

/**
 * `--<name>` as a duration in seconds: `30d`, `12h`, `90m`, `3600s`, `1w`, decimals allowed (`1.5d`); a bare
 * number is read in `unit` (days for licence and unlock windows, seconds for governance settings).
 */
export function parseDuration(name: string, value: string, unit: "s" | "d" = "s"): bigint {
  const match = /^(\d+(?:\.\d{1,5})?)\s*([smhdw]?)$/.exec(value.trim());
  if (match === null) {
    throw new TaskInputError(`--${name}: expected a duration such as 7d, 12h, 90m or 3600s, got "${value}"`);
  }
  const scale = UNITS[match[2] === "" ? unit : match[2]];
  return (parseUnits(match[1], 5) * scale) / 100_000n;
}

/**
 * `--<name>` as a chain time (seconds): `now`, a duration from `now` (`+7d`, `+12h`, `90m`: a number with its unit,
 * the `+` optional), a date (`2027-01-31`, midnight UTC) or a date and time (`2027-01-31T12:00:00Z`; no zone is
 * UTC), or a Unix timestamp in seconds (a bare number).
 */
export function parseTime(name: string, value: string, now: bigint): bigint {
  const v = value.trim();
  if (v === "now") return now;
  if (/^\+?\d+(?:\.\d{1,5})?\s*[smhdw]$/.test(v)) return now + parseDuration(name, v.replace(/^\+/, ""));
  if (/^\d+$/.test(v)) return BigInt(v);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(v)
    ? `${v}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(v)
      ? `${v.replace(" ", "T")}Z`
      : v;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(date) ? Date.parse(date) : NaN;
  if (Number.isNaN(ms)) {
    throw new TaskInputError(
      `--${name}: expected a time: now, +7d (from now), 2027-01-31, 2027-01-31T12:00:00Z or a Unix timestamp, got "${value}"`,
    );
  }
  return BigInt(Math.floor(ms / 1000));
}

/** Seconds as a human reads them (one formatter, shared with the proposal decoder): "7 days", "1 day 6 hours". */
export { formatDuration } from "../../sdk/format.js";

/** A chain time (seconds) as "2026-12-02T10:00:00Z (1796205600)". */
export function timeText(seconds: bigint): string {
  return `${new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z")} (${seconds})`;
}

/** A byte count as people read it: 512 B, 33.0 KiB, 1.5 GiB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
