/** `ws execute --model-id N --proposal-id P`: executes a queued proposal once its timelock delay has passed. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { findProposal, requireState } from "./lib/proposals.js";

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(m, args.proposalId);
  await requireState(m, p.proposalId, ["Queued"]);
  const eta = await m.governor.proposalEta(p.proposalId);
  const now = BigInt((await ctx.connection.ethers.provider.getBlock("latest"))!.timestamp);
  if (now < eta)
    throw new TaskInputError(`--proposal-id: proposal ${p.proposalId} is queued until ${eta}; now is ${now}`);
  await (await m.governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash)).wait();
  output(args.json, { proposalId: p.proposalId, state: "Executed" }, () => `executed proposal ${p.proposalId}`);
});
