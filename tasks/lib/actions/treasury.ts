/**
 * `ws propose` actions on the treasury: issue fractions, spend ETH, an ERC-20 or treasury fractions (amounts in
 * the asset's units), and recover a token stuck in the royalty receiver. Whether the treasury can pay a spend now
 * is checked by `ws propose` on the built proposal (lib/treasury.ts `shortfalls`, as `ws execute` does).
 */
import { ZeroAddress } from "ethers";

import { issueFractions, recoverToken, spendErc20, spendEth, spendFractions } from "../../../governance/index.js";
import { address, confirm, TaskInputError, uint } from "../cli.js";
import { accepts, balanceOf, named, tokenArg } from "../tokens.js";
import { parseAmount, tokenInfo } from "../units.js";
import { type Build } from "./common.js";

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
    return spendEth({ to, amount, description: args.description });
  },

  "spend-erc20": async (ctx, m, args) => {
    const info = await tokenArg(ctx, address("token", args.token));
    const to = address("to", args.to);
    const amount = parseAmount("amount", args.amount, info);
    const erc20 = await ctx.connection.ethers.getContractAt("TestToken", info.address);
    return spendErc20({ token: erc20, to, amount, description: args.description });
  },

  "spend-fractions": async (ctx, m, args) => {
    const to = address("to", args.to);
    const amount = uint("amount", args.amount);
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
