/**
 * `ws delegate --model-id N --to ADDRESS`: delegates the signer's votes in one model (its own address to vote
 * itself). Only fractions held when a proposal opens count on it, so delegate before proposals.
 *
 * Costs gas for nothing, or for something likely unmeant, so refused unless `--force`: delegating to the zero
 * address (an opt-out: the signer's fractions then count for nobody), delegating with no fractions of the model
 * (the choice only applies to fractions received later), and delegating to the current delegate again.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { action, address, confirm, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { fractionInfo } from "./lib/model-info.js";
import { send } from "./lib/send.js";
import { formatAmount } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  to: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.to === "") throw new TaskInputError("--to: expected the delegate's address (your own to vote yourself)");
  const to = address("to", args.to);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const delegator = ctx.safe ?? ctx.signer.address;
  const fractions = await fractionInfo(m);
  const held = await ctx.shares.balanceOf(delegator, m.modelId);
  const previous = await m.votes.delegates(delegator);
  if (to === ZeroAddress) {
    confirm(args, "to", "delegating to the zero address removes your votes (an opt-out)");
  } else if (to === previous && (await m.votes.hasChosenDelegate(delegator))) {
    confirm(args, "to", `${delegator} already delegates its model #${m.modelId} votes to ${to}; this changes nothing`);
  }
  if (held === 0n) {
    confirm(
      args,
      "model-id",
      `${delegator} holds no fractions of model #${m.modelId}; delegating does nothing until you hold fractions`,
    );
  }
  await send(ctx, m.votes, "delegate", [to], { argument: "to" });
  const data = {
    modelId: m.modelId,
    delegator,
    delegate: to,
    previousDelegate: previous,
    fractions: held,
    fractionsText: formatAmount(held, fractions),
    votes: await m.votes.getVotes(to),
  };
  output(args.json, data, () =>
    to === ZeroAddress
      ? `${delegator} opted out of voting in model #${m.modelId}: its ${data.fractionsText} count for nobody until it delegates again`
      : `${delegator} now delegates its ${data.fractionsText} of model #${m.modelId} to ${to} (${data.votes} votes in all)`,
  );
});
