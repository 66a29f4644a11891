/** `ws claim --model-id N`: the signer claims its holder revenue (ETH); `--release` releases its contributor share. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { ETH } from "./lib/money.js";

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
  if (owed === 0n)
    throw new TaskInputError(
      `--model-id: ${who} has nothing to ${args.release ? "release as a contributor" : "claim as a holder"} of model #${m.modelId}`,
    );
  await (await (args.release ? ctx.vault.release(m.modelId, ETH, who) : ctx.vault.claim(m.modelId, ETH))).wait();
  output(
    args.json,
    { modelId: m.modelId, account: who, amount: owed, as: args.release ? "contributor" : "holder" },
    () => `paid ${owed} wei to ${who} as ${args.release ? "contributor" : "holder"} of model #${m.modelId}`,
  );
});
