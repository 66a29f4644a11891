/**
 * `ws queue --model-id N --proposal-id P`: queues a succeeded proposal on the model's timelock (simulated first;
 * a refusal is one line naming --proposal-id) and says from when it can be executed.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { shortId } from "./lib/errors.js";
import { findProposal, requireState } from "./lib/proposals.js";
import { send } from "./lib/send.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(ctx, m, args.proposalId);
  await requireState(m, p.proposalId, ["Succeeded"]);
  await send(ctx, m.governor, "queue", [p.targets, p.values, p.calldatas, p.descriptionHash], {
    argument: "proposal-id",
  });
  const eta = await m.governor.proposalEta(p.proposalId);
  output(
    args.json,
    { proposalId: p.proposalId, shortId: shortId(p.proposalId), eta },
    () => `queued proposal ${shortId(p.proposalId)}; executable from ${timeText(eta)}`,
  );
});
