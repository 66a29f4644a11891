/**
 * `ws vote --model-id N --proposal-id P --support for|against|abstain [--reason TEXT]`: casts the signer's vote (with
 * its reason, when given, as the Governor's `VoteCast` event records it). Voting with no weight at the proposal's
 * snapshot costs gas and counts nothing: the task refuses unless `--force`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, confirm, oneOf, output, TaskInputError } from "./lib/cli.js";
import { actor, context, model, type CommonArgs } from "./lib/context.js";
import { shortId } from "./lib/errors.js";
import { findProposal, requireState } from "./lib/proposals.js";
import { send } from "./lib/send.js";

const SUPPORT = ["against", "for", "abstain"] as const;

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
  support: string;
  reason: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const support = oneOf("support", args.support, SUPPORT);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(ctx, m, args.proposalId);
  await requireState(m, p.proposalId, ["Active"]);
  const { account: voter, option: account } = actor(ctx);
  if (await m.governor.hasVoted(p.proposalId, voter)) {
    throw new TaskInputError(`--${account}: ${voter} has already voted on proposal ${shortId(p.proposalId)}`);
  }
  const weight = await m.votes.getPastVotes(voter, await m.governor.proposalSnapshot(p.proposalId));
  if (weight === 0n) {
    confirm(
      args,
      account,
      `${voter} had no votes in model #${m.modelId} when proposal ${shortId(p.proposalId)} opened (delegate before a proposal to vote on it), so this vote counts nothing`,
    );
  }
  const reason = args.reason ?? "";
  await send(
    ctx,
    m.governor,
    reason === "" ? "castVote" : "castVoteWithReason",
    reason === "" ? [p.proposalId, SUPPORT.indexOf(support)] : [p.proposalId, SUPPORT.indexOf(support), reason],
    { argument: "proposal-id" },
  );
  const [against, forVotes, abstain] = await m.governor.proposalVotes(p.proposalId);
  output(
    args.json,
    { proposalId: p.proposalId, support, weight, reason, against, for: forVotes, abstain },
    () =>
      `voted ${support} on proposal ${shortId(p.proposalId)} with ${weight} votes: for ${forVotes}, against ${against}, abstain ${abstain}`,
  );
});
