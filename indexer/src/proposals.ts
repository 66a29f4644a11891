/**
 * Proposals and their votes from each model's ModelGovernor clone. `status` records what the events say (created,
 * queued, executed, canceled); the tallies are the sums of the votes cast, as the governor counts them.
 */
import { ponder, type Context } from "ponder:registry";
import { proposal, vote } from "ponder:schema";

import { addr, modelOfClone } from "./shared.ts";

ponder.on("ModelGovernor:ProposalCreated", async ({ event, context }) => {
  const modelId = await modelOfClone(context, event.log.address);
  const a = event.args;
  await context.db.insert(proposal).values({
    modelId,
    proposalId: a.proposalId,
    governor: addr(event.log.address),
    proposer: addr(a.proposer),
    targets: a.targets.map(addr),
    values: [...a.values],
    signatures: [...a.signatures],
    calldatas: [...a.calldatas],
    description: a.description,
    voteStart: a.voteStart,
    voteEnd: a.voteEnd,
    status: "created",
    forVotes: 0n,
    againstVotes: 0n,
    abstainVotes: 0n,
    voterCount: 0,
    createdBlock: event.block.number,
    createdAt: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
});

async function cast(
  context: Context,
  event: { log: { address: string }; block: { number: bigint; timestamp: bigint } },
  args: { voter: string; proposalId: bigint; support: number; weight: bigint; reason: string },
  params: `0x${string}` | null,
) {
  const modelId = await modelOfClone(context, event.log.address);
  const { voter, proposalId, support, weight, reason } = args;
  await context.db.insert(vote).values({
    modelId,
    proposalId,
    voter: addr(voter),
    support,
    weight,
    reason,
    params,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
  await context.db.update(proposal, { modelId, proposalId }).set((p) => ({
    againstVotes: p.againstVotes + (support === 0 ? weight : 0n),
    forVotes: p.forVotes + (support === 1 ? weight : 0n),
    abstainVotes: p.abstainVotes + (support === 2 ? weight : 0n),
    voterCount: p.voterCount + 1,
  }));
}

ponder.on("ModelGovernor:VoteCast", async ({ event, context }) => {
  await cast(context, event, event.args, null);
});

ponder.on("ModelGovernor:VoteCastWithParams", async ({ event, context }) => {
  await cast(context, event, event.args, event.args.params);
});

ponder.on("ModelGovernor:ProposalExtended", async ({ event, context }) => {
  const modelId = await modelOfClone(context, event.log.address);
  await context.db
    .update(proposal, { modelId, proposalId: event.args.proposalId })
    .set({ voteEnd: BigInt(event.args.extendedDeadline) });
});

ponder.on("ModelGovernor:ProposalQueued", async ({ event, context }) => {
  const modelId = await modelOfClone(context, event.log.address);
  await context.db
    .update(proposal, { modelId, proposalId: event.args.proposalId })
    .set({ status: "queued", etaSeconds: event.args.etaSeconds });
});

ponder.on("ModelGovernor:ProposalExecuted", async ({ event, context }) => {
  const modelId = await modelOfClone(context, event.log.address);
  await context.db.update(proposal, { modelId, proposalId: event.args.proposalId }).set({ status: "executed" });
});

ponder.on("ModelGovernor:ProposalCanceled", async ({ event, context }) => {
  const modelId = await modelOfClone(context, event.log.address);
  await context.db.update(proposal, { modelId, proposalId: event.args.proposalId }).set({ status: "canceled" });
});
