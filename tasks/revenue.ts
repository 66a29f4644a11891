/**
 * `ws revenue --model-id N [--account ADDRESS]`: what an account may claim (holder) or release (contributor), and
 * the holder revenue still unlocking: the holders' cut of each payment unlocks over the model's window (default 7
 * days), so `claimable` grows with time.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ETH } from "./lib/money.js";
import { action, address, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { isoTime, shareOf, unlocking, type Unlocking } from "./lib/unlocking.js";

interface Args extends CommonArgs {
  modelId: string;
  account: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const account = args.account === "" ? ctx.signer.address : address("account", args.account);
  const m = await model(ctx, args.modelId);
  const [tokens] = await ctx.vault.paymentTokensOf(m.modelId);
  const rows: {
    token: string;
    claimable: bigint;
    unlocking: Unlocking & { share: bigint };
    releasable: bigint;
    treasury: bigint;
    deposited: bigint;
  }[] = [];
  for (const token of tokens) {
    const u = await unlocking(ctx, m.modelId, token);
    rows.push({
      token,
      claimable: await ctx.vault.claimable(m.modelId, token, account),
      unlocking: { ...u, share: await shareOf(m, account, u.locked) },
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
              `${r.token === ETH ? "ETH" : r.token}: ${account} may claim ${r.claimable} (holder) and release ${r.releasable} (contributor); ` +
              (r.unlocking.locked === 0n
                ? "nothing unlocking"
                : `${r.unlocking.locked} of holder revenue still unlocking until ${isoTime(r.unlocking.unlockEnd)} (about ${r.unlocking.share} for this account at its holding now)`) +
              `; treasury owed ${r.treasury}; deposited ${r.deposited}`,
          )
          .join("\n"),
  );
});
