/** `ws proposal --model-id N --proposal-id P`: a proposal's state, votes, quorum and timing. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { findProposal, stateOf } from "./lib/proposals.js";

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(m, args.proposalId);
  const [against, forVotes, abstain] = await m.governor.proposalVotes(p.proposalId);
  const snapshot = await m.governor.proposalSnapshot(p.proposalId);
  const data = {
    proposalId: p.proposalId,
    description: p.description,
    proposer: p.proposer,
    state: await stateOf(m, p.proposalId),
    votes: { for: forVotes, against, abstain },
    quorum: await m.governor.quorum(snapshot),
    snapshot,
    deadline: await m.governor.proposalDeadline(p.proposalId),
    eta: await m.governor.proposalEta(p.proposalId),
  };
  output(args.json, data, () =>
    [
      `proposal ${p.proposalId} on model #${m.modelId}: ${data.state}`,
      `"${p.description}"`,
      `for ${forVotes}, against ${against}, abstain ${abstain}; quorum ${data.quorum}`,
      `voting ${snapshot} -> ${data.deadline}${data.eta === 0n ? "" : `; executable from ${data.eta}`}`,
    ].join("\n"),
  );
});
