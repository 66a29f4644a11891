/**
 * `ws collect-royalties --model-id N [--token ADDRESS]`: sweeps what marketplaces paid the model's royalty receiver
 * (its ERC-2981 address) into the revenue vault, where it is split like any payment: every token the model accepts
 * that the receiver holds, or `--token` only. A token the model does not accept stays there (the DAO recovers it by
 * vote: ws propose --action recover-token). Nothing to collect is a refusal: one line, exit code 1, nothing sent.
 * Every token's collection is simulated before any is sent.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { paidIn, perToken } from "./lib/claims.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { acceptedTokens, accepts, balanceOf, named, symbols, tokenArg } from "./lib/tokens.js";
import type { TokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  token: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const accepted = await acceptedTokens(ctx, m.modelId);
  let tokens: TokenInfo[] = accepted;
  if (args.token !== "") {
    const token = await tokenArg(ctx, args.token);
    if (!(await accepts(ctx, m.modelId, token.address))) {
      throw new TaskInputError(
        `--token: model #${m.modelId} does not accept ${named(token)} as revenue (it accepts ${symbols(accepted)}); ` +
          "a token it does not accept is recovered by vote: ws propose --action recover-token",
      );
    }
    tokens = [token];
  }
  const receiver = await ctx.vault.royaltyReceiverOf(m.modelId);
  const held = [];
  for (const token of tokens) if ((await balanceOf(ctx, token, receiver)) !== 0n) held.push(token);
  const argument = args.token === "" ? "model-id" : "token";
  if (held.length === 0) {
    throw new TaskInputError(
      `--${argument}: the royalty receiver of model #${m.modelId} (${receiver}) holds nothing to collect in ${symbols(tokens)}`,
    );
  }
  const receipts = await perToken(ctx, "collectRoyalties", m.modelId, held, argument);
  const collected = await paidIn(ctx, receipts, "RoyaltiesCollected");
  output(args.json, { modelId: m.modelId, receiver, collected }, () =>
    collected.map((c) => `collected ${c.formatted} of royalties into the revenue of model #${m.modelId}`).join("\n"),
  );
});
