/**
 * Form values checked as `ws propose` checks its options (tasks/lib/cli.ts, tasks/lib/units.ts), with the same
 * sentences, but naming the form's field instead of the `--option`: `Price: expected an amount of ETH with at most
 * 18 decimals, such as 12.5, got "abc"`. Those modules read files and cannot load in a browser, hence this copy of
 * their rules.
 */
import { getAddress, isAddress, parseUnits, type Address } from "viem";

/** A bad value in one field: `field` is the input's name, the message starts with its label. */
export class FieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** A field of a form: its input name and its visible label (what messages name). */
export interface Named {
  name: string;
  label: string;
}

/** Throws a FieldError for `field`: `<label>: <message>`. */
export function bad(field: Named, message: string): never {
  throw new FieldError(field.name, `${field.label}: ${message}`);
}

/** A checksummed address (a lower- or upper-case one is accepted; a mixed-case one must checksum). */
export function address(field: Named, value: string): Address {
  const v = value.trim();
  if (!isAddress(v, { strict: false }) || !/^0x[0-9a-fA-F]{40}$/.test(v)) {
    return bad(field, `expected a 0x-prefixed 20-byte address, got "${value}"`);
  }
  if (!isAddress(v, { strict: true })) {
    return bad(
      field,
      `bad checksum in "${v}" (a typo? the checksummed form of these characters is ${getAddress(String(v).toLowerCase())})`,
    );
  }
  return getAddress(v);
}

/** A whole number up to `max` (0x-hex accepted). */
export function uint(field: Named, value: string, max: bigint = 2n ** 256n - 1n): bigint {
  let v = value.trim();
  if (/^0x[0-9a-fA-F]+$/.test(v)) v = BigInt(v).toString();
  if (!/^\d+$/.test(v)) return bad(field, `expected a whole number, got "${value}"`);
  const n = BigInt(v);
  if (n > max) return bad(field, `expected at most ${max}, got ${v}`);
  return n;
}

/** A token's symbol and decimals (ETH: 18). */
export interface TokenUnits {
  address: string;
  symbol: string;
  decimals: number;
}

/** An amount of `token` in its units ("0.25" ETH, "12.5" of a 6-decimal token). */
export function amount(field: Named, value: string, token: TokenUnits): bigint {
  const v = value.trim();
  const decimals = token.decimals === 0 ? "" : `(\\.\\d{1,${token.decimals}})?`;
  if (!new RegExp(`^\\d+${decimals}$`).test(v)) {
    return bad(
      field,
      `expected an amount of ${token.symbol}` +
        (token.decimals === 0 ? " as a whole number" : ` with at most ${token.decimals} decimals, such as 12.5`) +
        `, got "${value}"`,
    );
  }
  return parseUnits(v, token.decimals);
}

const UNITS: Record<string, bigint> = { s: 1n, m: 60n, h: 3_600n, d: 86_400n, w: 604_800n };

/** A duration in seconds: `30d`, `12h`, `90m`, `3600s`, `1w`, `1.5d`; a bare number is read in `unit`. */
export function duration(field: Named, value: string, unit: "s" | "d" = "s"): bigint {
  const match = /^(\d+(?:\.\d{1,5})?)\s*([smhdw]?)$/.exec(value.trim());
  if (match === null) return bad(field, `expected a duration such as 7d, 12h, 90m or 3600s, got "${value}"`);
  return (parseUnits(match[1], 5) * UNITS[match[2] === "" ? unit : match[2]]) / 100_000n;
}

/** A duration that must carry its unit (governance settings: a bare `2` would quietly mean 2 seconds). */
export function durationWithUnit(field: Named, value: string, setting: string): bigint {
  if (/^\s*[\d.]+\s*$/.test(value)) {
    return bad(field, `expected a duration with its unit for ${setting}, such as 2d, 12h or 3600s, got "${value}"`);
  }
  return duration(field, value, "s");
}

/** 32 bytes as 0x-prefixed hex. */
export function bytes32(field: Named, value: string): `0x${string}` {
  const v = value.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(v)) return bad(field, `expected 32 bytes as 0x-prefixed hex, got "${value}"`);
  return v.toLowerCase() as `0x${string}`;
}

/** Non-empty text. */
export function text(field: Named, value: string, what: string): string {
  if (value.trim() === "") return bad(field, `expected ${what}`);
  return value;
}

/** A chain time as `ws propose` prints it: "2026-12-02T10:00:00Z (1796205600)". */
export function timeText(seconds: bigint): string {
  return `${new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z")} (${seconds})`;
}

/** A time: now, +7d (from `now`), 2027-01-31, 2027-01-31T12:00:00Z or a Unix timestamp (tasks/lib/units.ts). */
export function time(field: Named, value: string, now: bigint): bigint {
  const v = value.trim();
  if (v === "now") return now;
  if (/^\+?\d+(?:\.\d{1,5})?\s*[smhdw]$/.test(v)) return now + duration(field, v.replace(/^\+/, ""));
  if (/^\d+$/.test(v)) return BigInt(v);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(v)
    ? `${v}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(v)
      ? `${v.replace(" ", "T")}Z`
      : v;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(date) ? Date.parse(date) : NaN;
  if (Number.isNaN(ms)) {
    return bad(
      field,
      `expected a time: now, +7d (from now), 2027-01-31, 2027-01-31T12:00:00Z or a Unix timestamp, got "${value}"`,
    );
  }
  return BigInt(Math.floor(ms / 1000));
}
