/** `ws flush --model-id N`: routes a model's licence revenue (ETH) into the revenue vault, where it is split. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { ETH } from "./lib/money.js";

interface Args extends CommonArgs {
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const pending = await ctx.licenses.pendingRevenue(m.modelId, ETH);
  if (pending === 0n) throw new TaskInputError(`--model-id: model #${m.modelId} has no licence revenue waiting`);
  await (await ctx.licenses.flushRevenue(m.modelId, ETH)).wait();
  output(
    args.json,
    { modelId: m.modelId, amount: pending },
    () => `routed ${pending} wei of licence revenue of model #${m.modelId} to its revenue`,
  );
});
