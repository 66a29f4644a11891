/**
 * `ws release-treasury --model-id N [--token ADDRESS]`: pays the treasury's cut of a model's revenue (its share of
 * every payment, and holder revenue that unlocked while nobody outside the treasury held fractions) from the vault
 * into the model's timelock, in every payment token that owes some, or in `--token` only. Anyone may send it; a
 * `spend-eth` or `spend-erc20` proposal can only spend what has been released this way. Nothing owed is a refusal:
 * one line, exit code 1, nothing sent. Every token's release is simulated before any is sent.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { paidIn, perToken } from "./lib/claims.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { modelTokens, symbols } from "./lib/tokens.js";

interface Args extends CommonArgs {
  modelId: string;
  token: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const tokens = await modelTokens(ctx, m.modelId, args.token);
  const owed = [];
  for (const token of tokens) {
    if ((await ctx.vault.treasuryReleasable(m.modelId, token.address)) !== 0n) owed.push(token);
  }
  if (owed.length === 0) {
    throw new TaskInputError(
      `--${args.token === "" ? "model-id" : "token"}: the treasury of model #${m.modelId} is owed nothing ` +
        (tokens.length === 0 ? "(the model accepts no payment token yet)" : `in ${symbols(tokens)}`),
    );
  }
  const receipts = await perToken(ctx, "releaseTreasury", m.modelId, owed, args.token === "" ? "model-id" : "token");
  const treasury = await m.timelock.getAddress();
  const payments = await paidIn(ctx, receipts, "TreasuryReleased");
  output(args.json, { modelId: m.modelId, treasury, payments }, () =>
    payments.map((p) => `released ${p.formatted} to the treasury of model #${m.modelId} (${treasury})`).join("\n"),
  );
});
