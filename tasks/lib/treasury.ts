/**
 * What a proposal takes from its model's treasury (the timelock): the ETH its calls carry, the ERC-20s and the
 * treasury fractions it transfers, against what the treasury holds now. A call the treasury cannot pay makes the
 * whole execution revert with a bare `FailedCall`, so `propose` warns and `execute` refuses ahead, in plain words.
 */
import { toQuantity, ZeroAddress } from "ethers";

import type { DecodedCall } from "../../governance/index.js";
import type { Model } from "../../sdk/index.js";
import type { Context } from "./context.js";
import { explain } from "./errors.js";
import { earlierGrants } from "./raises.js";
import { balanceOf } from "./tokens.js";
import { formatAmount, tokenInfo } from "./units.js";

export interface Shortfall {
  /** The zero address for ETH, the token's address, or "fractions". */
  asset: string;
  holds: bigint;
  sends: bigint;
}

/** Every asset the calls send more of than the treasury holds now. */
export async function shortfalls(
  ctx: Context,
  m: Model,
  calls: DecodedCall[],
  values: readonly bigint[],
): Promise<Shortfall[]> {
  const sends = new Map<string, bigint>([[ZeroAddress, values.reduce((a, b) => a + b, 0n)]]);
  const add = (asset: string, amount: bigint) => sends.set(asset, (sends.get(asset) ?? 0n) + amount);
  for (const c of calls) {
    if (c.action === "spend-erc20") add(c.args.token as string, c.args.amount as bigint);
    if (c.action === "spend-fractions" && c.args.modelId === m.modelId) add("fractions", c.args.amount as bigint);
  }
  const treasury = await m.timelock.getAddress();
  const short: Shortfall[] = [];
  for (const [asset, amount] of sends) {
    if (amount === 0n) continue;
    const holds =
      asset === "fractions"
        ? await ctx.shares.balanceOf(treasury, m.modelId)
        : await balanceOf(ctx, asset, treasury).catch(() => 0n); // a target that does not answer holds nothing
    if (holds < amount) short.push({ asset, holds, sends: amount });
  }
  return short;
}

/**
 * `the treasury 0x… holds 0.2 ETH and this sends 1 ETH (ws release-treasury --model-id 1 pays the treasury its cut
 * from the vault: 0.3 ETH now)`.
 */
export async function shortfallText(ctx: Context, m: Model, s: Shortfall, what: string): Promise<string> {
  const treasury = await m.timelock.getAddress();
  if (s.asset === "fractions") {
    return `the treasury ${treasury} holds ${s.holds} fractions of model #${m.modelId} and ${what} sends ${s.sends}`;
  }
  const info = await tokenInfo(ctx, s.asset);
  const owed = await ctx.vault.treasuryReleasable(m.modelId, s.asset);
  return (
    `the treasury ${treasury} holds ${formatAmount(s.holds, info)} and ${what} sends ${formatAmount(s.sends, info)} ` +
    `(ws release-treasury --model-id ${m.modelId} pays the treasury its cut from the vault: ${formatAmount(owed, info)} now)`
  );
}

/**
 * The first call the treasury could not make now, each simulated on its own as the timelock (so a call that needs
 * an earlier one of the same proposal may fail here and pass when executed), except that the minting grants of
 * earlier calls are in place (tasks/lib/raises.ts `earlierGrants`: `open-raise` opens a raise out of the grant its
 * first call makes). Calls to the governor are skipped: OpenZeppelin's Governor accepts them only within an
 * execution.
 */
export async function firstRefusedCall(
  ctx: Context,
  m: Model,
  p: { targets: readonly string[]; values: readonly bigint[]; calldatas: readonly string[] },
): Promise<{ index: number; reason: string } | null> {
  const [treasury, governor] = [await m.timelock.getAddress(), await m.governor.getAddress()];
  for (let i = 0; i < p.targets.length; i++) {
    if (p.targets[i].toLowerCase() === governor.toLowerCase()) continue;
    const tx = { from: treasury, to: p.targets[i], value: p.values[i], data: p.calldatas[i] };
    const override = await earlierGrants(ctx, p, i);
    try {
      if (override === undefined) await ctx.connection.ethers.provider.call(tx);
      else {
        const raw = { ...tx, value: toQuantity(tx.value) };
        await ctx.connection.ethers.provider.send("eth_call", [raw, "latest", override]);
      }
    } catch (error) {
      return { index: i, reason: explain(ctx.errors, error) };
    }
  }
  return null;
}
