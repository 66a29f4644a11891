/**
 * `ws propose` actions on the treasury: issue fractions, spend ETH, an ERC-20 or treasury fractions (amounts in
 * the asset's units), and recover a token stuck in the royalty receiver. A spend the treasury cannot pay now is
 * refused unless `--force` (it may be paid before execution, e.g. by `ws release-treasury`).
 */
import { ZeroAddress } from "ethers";

import { issueFractions, recoverToken, spendErc20, spendEth, spendFractions } from "../../../governance/index.js";
import type { Model } from "../../../sdk/index.js";
import { address, confirm, TaskInputError, uint } from "../cli.js";
import type { Context } from "../context.js";
import { shortfallText } from "../treasury.js";
import { accepts, balanceOf, named, tokenArg } from "../tokens.js";
import { parseAmount, tokenInfo } from "../units.js";
import { type Build, type ProposeArgs } from "./common.js";

/** Refuses unless `--force` when the treasury holds less of `asset` than the proposal sends. */
async function checkFunds(
  ctx: Context,
  m: Model,
  args: ProposeArgs,
  asset: string,
  holds: bigint,
  sends: bigint,
): Promise<void> {
  if (holds < sends) confirm(args, "amount", await shortfallText(ctx, m, { asset, holds, sends }, "this proposal"));
}

export const TREASURY_ACTIONS: Record<string, Build> = {
  "issue-fractions": async (ctx, m, args) => {
    const amount = uint("amount", args.amount);
    if (amount === 0n) throw new TaskInputError("--amount: expected at least 1 fraction, got 0");
    return issueFractions({
      shares: ctx.shares,
      modelId: m.modelId,
      to: address("to", args.to),
      amount,
      description: args.description,
    });
  },

  "spend-eth": async (ctx, m, args) => {
    const to = address("to", args.to);
    const amount = parseAmount("amount", args.amount, await tokenInfo(ctx, ZeroAddress));
    const holds = await balanceOf(ctx, ZeroAddress, await m.timelock.getAddress());
    await checkFunds(ctx, m, args, ZeroAddress, holds, amount);
    return spendEth({ to, amount, description: args.description });
  },

  "spend-erc20": async (ctx, m, args) => {
    const info = await tokenArg(ctx, address("token", args.token));
    const to = address("to", args.to);
    const amount = parseAmount("amount", args.amount, info);
    const erc20 = await ctx.connection.ethers.getContractAt("TestToken", info.address);
    await checkFunds(ctx, m, args, info.address, await balanceOf(ctx, info, await m.timelock.getAddress()), amount);
    return spendErc20({ token: erc20, to, amount, description: args.description });
  },

  "spend-fractions": async (ctx, m, args) => {
    const to = address("to", args.to);
    const amount = uint("amount", args.amount);
    const holds = await ctx.shares.balanceOf(await m.timelock.getAddress(), m.modelId);
    await checkFunds(ctx, m, args, "fractions", holds, amount);
    return spendFractions({
      shares: ctx.shares,
      timelock: m.timelock,
      modelId: m.modelId,
      to,
      amount,
      description: args.description,
    });
  },

  "recover-token": async (ctx, m, args) => {
    const info = await tokenArg(ctx, address("token", args.token));
    if (await accepts(ctx, m.modelId, info.address)) {
      throw new TaskInputError(
        `--token: model #${m.modelId} accepts ${info.address} as revenue; only a token it does not accept can be recovered`,
      );
    }
    const receiver = await ctx.vault.royaltyReceiverOf(m.modelId);
    if ((await balanceOf(ctx, info, receiver)) === 0n) {
      confirm(
        args,
        "token",
        `the royalty receiver of model #${m.modelId} (${receiver}) holds no ${named(info)}, so the recovery would fail unless some arrives first`,
      );
    }
    return recoverToken({ vault: ctx.vault, modelId: m.modelId, token: info.address, description: args.description });
  },
};
