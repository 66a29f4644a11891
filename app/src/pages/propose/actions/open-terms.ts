/**
 * What opening a raise and opening a sale share (tasks/lib/actions/raises.ts `positiveAmount`, `timeArg`,
 * `earliestExecution`, `tranchesArg`): the form's reader that checks each term with the tasks' sentences naming the
 * field, the chain's clock, and the fields both forms have. A raise's allow-list is pasted addresses, turned into the
 * Merkle root the CLI computes from its file (client/allowlist.ts).
 */
import { formatUnits, zeroHash, type Address } from "viem";
import { getBlock } from "wagmi/actions";

import { buildAllowlist, parseAllowlist } from "../../../../../client/allowlist.ts";
import { modelGovernorAbi, modelTimelockAbi } from "../../../generated.ts";
import { field, type FieldSpec, type Values } from "../action.ts";
import { read, type ProposeContext } from "../chain.ts";
import { amount, bad, time, uint, type TokenUnits } from "../fields.ts";
import { tokenField } from "./offers.ts";

export const U32 = 2n ** 32n - 1n;
const U48 = 2n ** 48n - 1n;
export const U64 = 2n ** 64n - 1n;
export const U128 = 2n ** 128n - 1n;
/** Most milestone tranches a raise may have (Raises.MAX_TRANCHES). */
const MAX_TRANCHES = 20;
export const GROUP = "Raises and sales";

/** An amount in its token's units: "0.01 ETH". */
export const units = (v: bigint, t: TokenUnits) => `${formatUnits(v, t.decimals).replace(/\.0$/, "")} ${t.symbol}`;

/** The form's reader: each value by field name, checked and named by its label. */
export function reader(ctx: ProposeContext, fields: FieldSpec[], values: Values) {
  const f = (name: string) => field(fields, name);
  const raw = (name: string) => (values[name] ?? "").trim();
  const positive = (name: string, token: TokenUnits, what: string): bigint => {
    if (raw(name) === "") bad(f(name), `expected ${what} in ${token.symbol} (e.g. 0.01)`);
    const n = amount(f(name), raw(name), token);
    if (n === 0n) bad(f(name), `expected more than 0 ${token.symbol}, got ${raw(name)}`);
    if (n > U128) bad(f(name), `expected at most ${units(U128, token)}, got ${raw(name)}`);
    return n;
  };
  const count = (name: string, max: bigint, what: string, fallback?: string): bigint => {
    if (raw(name) === "" && fallback === undefined) bad(f(name), `expected ${what}`);
    return uint(f(name), raw(name) === "" ? (fallback as string) : raw(name), max);
  };
  const at = (name: string, now: bigint, fallback?: string): bigint => {
    const t = time(f(name), raw(name) === "" ? (fallback ?? "") : raw(name), now);
    if (t > U48) bad(f(name), `expected a time before the year 8,000,000, got ${raw(name)}`);
    return t;
  };
  const token = () =>
    tokenField(ctx, fields, { ...values, token: /^eth$/i.test(raw("token")) ? "" : raw("token") }, "token", true);
  return { f, raw, positive, count, at, token };
}

/** The chain's time, and when a proposal filed now can run at the earliest (voting delay + period + timelock). */
export async function clock(ctx: ProposeContext): Promise<{ now: bigint; executable: bigint }> {
  const [block, delay, period, timelock] = await Promise.all([
    getBlock(ctx.wagmi, { chainId: ctx.chainId }),
    read<bigint>(ctx, ctx.model.governor, modelGovernorAbi, "votingDelay"),
    read<bigint>(ctx, ctx.model.governor, modelGovernorAbi, "votingPeriod"),
    read<bigint>(ctx, ctx.model.timelock, modelTimelockAbi, "getMinDelay"),
  ]);
  return { now: block.timestamp, executable: block.timestamp + delay + period + timelock };
}

/** Tranches as percentages of the money raised (up to 2 decimals), in basis points summing to 10,000. */
export function tranches(f: FieldSpec, value: string): bigint[] {
  if (value.trim() === "") return [];
  const bps = value.split(",").map((part) => {
    const p = part.trim();
    if (!/^\d+(\.\d{1,2})?$/.test(p)) bad(f, `expected percentages such as 30,30,40, got "${p}" in "${value}"`);
    const [whole, fraction = ""] = p.split(".");
    const n = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0") || "0");
    if (n === 0n) bad(f, `each tranche must be more than 0%, got "${value}"`);
    return n;
  });
  if (bps.length > MAX_TRANCHES) bad(f, `expected at most ${MAX_TRANCHES} tranches, got ${bps.length}`);
  const sum = bps.reduce((a, b) => a + b, 0n);
  if (sum !== 10_000n) bad(f, `expected percentages summing to 100, got ${Number(sum) / 100} ("${value}")`);
  return bps;
}

/** The allow-list's Merkle root (the zero hash for none): one address a line, or a JSON array. */
export function allowlistRoot(f: FieldSpec, text: string): `0x${string}` {
  if (text.trim() === "") return zeroHash;
  try {
    return buildAllowlist(parseAllowlist(text)).root as `0x${string}`;
  } catch (error) {
    return bad(f, (error as Error).message);
  }
}

/** The Raises or FractionSales contract, refused naming `f` when the deployment has none. */
export function contract(ctx: ProposeContext, f: FieldSpec, key: "raises" | "sales", name: string): Address {
  const address = ctx.deployment[key];
  if (address === undefined) bad(f, `this deployment has no ${name} contract`);
  return address as Address;
}

export const TOKEN: FieldSpec = {
  name: "token",
  label: "Payment token",
  optional: true,
  help: "An ERC-20's address; empty for ETH.",
};
export const OPENS: FieldSpec = {
  name: "opens",
  label: "Opens",
  optional: true,
  help: "now (the default), +7d from now, 2027-01-31, 2027-01-31T12:00:00Z or a Unix timestamp.",
};
/** The closing time's field. */
export const closes = (what: string): FieldSpec => ({
  name: "closes",
  label: "Closes",
  help: `When the ${what} ends: +14d, 2027-01-31… It must be after the proposal can be executed.`,
});
