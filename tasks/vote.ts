/** `ws vote --model-id N --proposal-id P --support for|against|abstain`: casts the signer's vote. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, oneOf, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { findProposal, requireState } from "./lib/proposals.js";

const SUPPORT = ["against", "for", "abstain"] as const;

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
  support: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const support = oneOf("support", args.support, SUPPORT);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(m, args.proposalId);
  await requireState(m, p.proposalId, ["Active"]);
  await (await m.governor.castVote(p.proposalId, SUPPORT.indexOf(support))).wait();
  const [against, forVotes, abstain] = await m.governor.proposalVotes(p.proposalId);
  output(
    args.json,
    { proposalId: p.proposalId, support, against, for: forVotes, abstain },
    () => `voted ${support} on proposal ${p.proposalId}: for ${forVotes}, against ${against}, abstain ${abstain}`,
  );
});
