/**
 * Who holds a model's fractions: ModelShares keeps no list of holders, so every account that ever received
 * fractions is found from its `TransferSingle` / `TransferBatch` events and kept if it holds some now.
 */
import { ZeroAddress } from "ethers";

import type { Context } from "./context.js";
import { events, firstModelBlock } from "./events.js";

/** Every account that ever received fractions, by model id. */
export async function recipientsByModel(ctx: Context): Promise<Map<bigint, Set<string>>> {
  const byModel = new Map<bigint, Set<string>>();
  const add = (id: bigint, account: string) => {
    if (account === ZeroAddress) return; // a burn
    let accounts = byModel.get(id);
    if (accounts === undefined) byModel.set(id, (accounts = new Set()));
    accounts.add(account);
  };
  const from = await firstModelBlock(ctx);
  for (const e of await events(ctx, ctx.shares, ctx.shares.filters.TransferSingle(), from)) add(e.args.id, e.args.to);
  for (const e of await events(ctx, ctx.shares, ctx.shares.filters.TransferBatch(), from)) {
    for (const id of e.args.ids) add(id, e.args.to);
  }
  return byModel;
}

/** The accounts holding fractions of `modelId` now (the treasury included when it holds some), with balances. */
export async function holdersOf(
  ctx: Context,
  modelId: bigint,
  recipients?: Map<bigint, Set<string>>,
): Promise<{ account: string; balance: bigint }[]> {
  const accounts = [...((recipients ?? (await recipientsByModel(ctx))).get(modelId) ?? [])];
  if (accounts.length === 0) return [];
  const balances = await ctx.shares.balanceOfBatch(
    accounts,
    accounts.map(() => modelId),
  );
  return accounts.map((account, i) => ({ account, balance: balances[i] })).filter((h) => h.balance !== 0n);
}
