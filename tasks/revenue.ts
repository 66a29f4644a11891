/** `ws revenue --model-id N [--account ADDRESS]`: what an account may claim (holder) or release (contributor). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ETH } from "./lib/money.js";
import { action, address, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";

interface Args extends CommonArgs {
  modelId: string;
  account: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const account = args.account === "" ? ctx.signer.address : address("account", args.account);
  const m = await model(ctx, args.modelId);
  const [tokens] = await ctx.vault.paymentTokensOf(m.modelId);
  const rows: { token: string; claimable: bigint; releasable: bigint; treasury: bigint; deposited: bigint }[] = [];
  for (const token of tokens) {
    rows.push({
      token,
      claimable: await ctx.vault.claimable(m.modelId, token, account),
      releasable: await ctx.vault.releasable(m.modelId, token, account),
      treasury: await ctx.vault.treasuryReleasable(m.modelId, token),
      deposited: await ctx.vault.totalDeposited(m.modelId, token),
    });
  }
  output(args.json, { modelId: m.modelId, account, tokens: rows }, () =>
    rows.length === 0
      ? `model #${m.modelId} accepts no payment token yet`
      : rows
          .map(
            (r) =>
              `${r.token === ETH ? "ETH" : r.token}: ${account} may claim ${r.claimable} (holder) and release ${r.releasable} (contributor); treasury owed ${r.treasury}; deposited ${r.deposited}`,
          )
          .join("\n"),
  );
});
