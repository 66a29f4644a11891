/**
 * `ws revenue --model-id N [--account ADDRESS] [--token ADDRESS]`: per payment token of a model (every one by
 * default, or `--token`): what an account may claim (holder) or release (contributor), the holder revenue still
 * unlocking (the holders' cut of each payment unlocks over the model's window, default 7 days, so `claimable` grows
 * with time), what the treasury is owed (`ws release-treasury` pays it), what the royalty receiver holds uncollected
 * (`ws collect-royalties`), and everything deposited. Text in each token's units; `--json` keeps the raw smallest
 * units and adds `formatted`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { balanceOf, modelTokens } from "./lib/tokens.js";
import { formatAmount, formatDuration, timeText } from "./lib/units.js";
import { shareOf, unlocking } from "./lib/unlocking.js";

interface Args extends CommonArgs {
  modelId: string;
  account: string;
  token: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const account = args.account === "" ? (ctx.safe ?? ctx.signer.address) : address("account", args.account);
  const m = await model(ctx, args.modelId);
  const tokens = await modelTokens(ctx, m.modelId, args.token);
  const receiver = await ctx.vault.royaltyReceiverOf(m.modelId);
  const fractions = await ctx.shares.balanceOf(account, m.modelId);
  const rows = await Promise.all(
    tokens.map(async (token) => {
      const u = await unlocking(ctx, m.modelId, token.address);
      const amounts = {
        claimable: await ctx.vault.claimable(m.modelId, token.address, account),
        releasable: await ctx.vault.releasable(m.modelId, token.address, account),
        locked: u.locked,
        share: await shareOf(m, account, u.locked),
        treasury: await ctx.vault.treasuryReleasable(m.modelId, token.address),
        royalties: await balanceOf(ctx, token, receiver),
        deposited: await ctx.vault.totalDeposited(m.modelId, token.address),
      };
      const formatted = Object.fromEntries(Object.entries(amounts).map(([k, v]) => [k, formatAmount(v, token)]));
      return {
        token: token.address,
        symbol: token.symbol,
        decimals: token.decimals,
        claimable: amounts.claimable,
        releasable: amounts.releasable,
        unlocking: { ...u, share: amounts.share },
        treasury: amounts.treasury,
        royalties: amounts.royalties,
        deposited: amounts.deposited,
        formatted: formatted as Record<keyof typeof amounts, string>,
      };
    }),
  );
  output(args.json, { modelId: m.modelId, account, fractions, royaltyReceiver: receiver, tokens: rows }, () =>
    rows.length === 0
      ? `model #${m.modelId} accepts no payment token yet`
      : [
          `revenue of model #${m.modelId} for ${account}:`,
          ...rows.map((r) =>
            [
              `${r.symbol}: may claim ${r.formatted.claimable} (holder), release ${r.formatted.releasable} (contributor)`,
              r.unlocking.locked === 0n
                ? "  nothing unlocking"
                : `  ${r.formatted.locked} of holder revenue still unlocking (` +
                  (fractions === 0n
                    ? "this account holds no fractions"
                    : `about ${r.formatted.share} for this account at its holding now`) +
                  `; window ${formatDuration(r.unlocking.window)}) until ${timeText(r.unlocking.unlockEnd)}`,
              `  treasury owed ${r.formatted.treasury} (ws release-treasury); royalty receiver holds ${r.formatted.royalties} (ws collect-royalties); deposited ${r.formatted.deposited} in all`,
            ].join("\n"),
          ),
        ].join("\n"),
  );
});
