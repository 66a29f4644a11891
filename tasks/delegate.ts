/** `ws delegate --model-id N --to ADDRESS`: delegates the signer's votes in one model. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";

interface Args extends CommonArgs {
  modelId: string;
  to: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const to = address("to", args.to);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  await (await m.votes.delegate(to)).wait();
  const data = { modelId: m.modelId, delegator: ctx.signer.address, delegate: to, votes: await m.votes.getVotes(to) };
  output(
    args.json,
    data,
    () => `${ctx.signer.address} now delegates model #${m.modelId} votes to ${to} (${data.votes} votes)`,
  );
});
