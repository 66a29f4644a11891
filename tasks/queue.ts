/** `ws queue --model-id N --proposal-id P`: queues a succeeded proposal on the model's timelock. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output } from "./lib/cli.js";
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
  await requireState(m, p.proposalId, ["Succeeded"]);
  await (await m.governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash)).wait();
  const eta = await m.governor.proposalEta(p.proposalId);
  output(args.json, { proposalId: p.proposalId, eta }, () => `queued proposal ${p.proposalId}; executable from ${eta}`);
});
