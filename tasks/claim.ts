/**
 * `ws claim --model-id N`: the signer claims its holder revenue (ETH); `--release` releases its contributor share.
 * Holder revenue unlocks over the model's window (default 7 days) after each payment: with nothing unlocked yet,
 * the task says how much is still unlocking and until when, and sends nothing.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { ETH } from "./lib/money.js";
import { amountText, isoTime, shareOf, unlocking } from "./lib/unlocking.js";

interface Args extends CommonArgs {
  modelId: string;
  release: boolean;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const who = ctx.signer.address;
  const owed = args.release
    ? await ctx.vault.releasable(m.modelId, ETH, who)
    : await ctx.vault.claimable(m.modelId, ETH, who);
  if (owed === 0n) {
    if (!args.release) {
      const { locked, unlockEnd } = await unlocking(ctx, m.modelId, ETH);
      const share = await shareOf(m, who, locked);
      if (share !== 0n) {
        throw new TaskInputError(
          `--model-id: nothing unlocked yet for ${who}: about ${amountText(ETH, share)} of its holder revenue of model #${m.modelId} still unlocking until ${isoTime(unlockEnd)}`,
        );
      }
    }
    throw new TaskInputError(
      `--model-id: ${who} has nothing to ${args.release ? "release as a contributor" : "claim as a holder"} of model #${m.modelId}`,
    );
  }
  const receipt = await (
    await (args.release ? ctx.vault.release(m.modelId, ETH, who) : ctx.vault.claim(m.modelId, ETH))
  ).wait();
  // What was paid, from the vault's own event: holder revenue keeps unlocking until the block that pays it.
  const event = args.release ? "ContributorReleased" : "HolderClaimed";
  const paid =
    (receipt?.logs ?? [])
      .map((log) => ctx.vault.interface.parseLog(log))
      .find((e) => e?.name === event && e.args.account === who)?.args.amount ?? owed;
  output(
    args.json,
    { modelId: m.modelId, account: who, amount: paid, as: args.release ? "contributor" : "holder" },
    () => `paid ${paid} wei to ${who} as ${args.release ? "contributor" : "holder"} of model #${m.modelId}`,
  );
});
