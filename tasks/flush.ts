/**
 * `ws flush --model-id N`: routes licence revenue (ETH) a V1 licence manager held back into the revenue vault, where
 * it is split. Since V2 every licence payment is credited to the vault in the transaction that pays it, so there is
 * normally nothing to flush: the task says so (with `--json`, `flushed: false`) and exits 0, sending nothing. Unlike
 * claim, release-treasury and collect-royalties, which refuse "nothing to do" with exit code 1: flush is a legacy
 * no-op by design, and scripts that still run it must not fail.
 */
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { send } from "./lib/send.js";
import { formatAmount, tokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const pending = await ctx.licenses.pendingRevenue(m.modelId, ZeroAddress);
  if (pending === 0n) {
    const reason = "since V2, licence revenue is credited to the revenue vault in the transaction that pays it";
    output(
      args.json,
      { modelId: m.modelId, amount: 0n, flushed: false, reason },
      () => `nothing to flush for model #${m.modelId}: ${reason}`,
    );
    return;
  }
  await send(ctx, ctx.licenses, "flushRevenue", [m.modelId, ZeroAddress], { argument: "model-id" });
  const amount = formatAmount(pending, await tokenInfo(ctx, ZeroAddress));
  output(
    args.json,
    { modelId: m.modelId, amount: pending, formatted: amount, flushed: true },
    () => `routed ${amount} of licence revenue of model #${m.modelId} to its revenue`,
  );
});
