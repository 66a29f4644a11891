/**
 * `ws flush --model-id N`: routes licence revenue (ETH) a V1 licence manager held back into the revenue vault, where
 * it is split. Since V2 every licence payment is credited to the vault in the transaction that pays it, so there is
 * normally nothing to flush: the task says so and sends nothing.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { ETH } from "./lib/money.js";

interface Args extends CommonArgs {
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const pending = await ctx.licenses.pendingRevenue(m.modelId, ETH);
  if (pending === 0n) {
    const reason = "since V2, licence revenue is credited to the revenue vault in the transaction that pays it";
    output(
      args.json,
      { modelId: m.modelId, amount: 0n, flushed: false, reason },
      () => `nothing to flush for model #${m.modelId}: ${reason}`,
    );
    return;
  }
  await (await ctx.licenses.flushRevenue(m.modelId, ETH)).wait();
  output(
    args.json,
    { modelId: m.modelId, amount: pending, flushed: true },
    () => `routed ${pending} wei of licence revenue of model #${m.modelId} to its revenue`,
  );
});
