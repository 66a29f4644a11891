/**
 * Delegates and voting power from each model's ModelVotes clone (found by Ponder's factory support from the
 * registry's `ModelRegistered`): whom every account delegates to, each delegate's current votes, and the votable
 * supply's history (its `Transfer` mints and burns).
 */
import { desc, eq } from "ponder";
import { ponder, type Context } from "ponder:registry";
import { delegation, votableSupply, votingPower } from "ponder:schema";

import { addr, modelOfClone, ZERO_ADDRESS } from "./shared.ts";

ponder.on("ModelVotes:DelegateChanged", async ({ event, context }) => {
  const modelId = await modelOfClone(context, event.log.address);
  const key = { modelId, delegator: addr(event.args.delegator) };
  if (event.args.toDelegate === ZERO_ADDRESS) {
    await context.db.delete(delegation, key);
    return;
  }
  await context.db
    .insert(delegation)
    .values({ ...key, delegate: addr(event.args.toDelegate) })
    .onConflictDoUpdate({ delegate: addr(event.args.toDelegate) });
});

ponder.on("ModelVotes:DelegateVotesChanged", async ({ event, context }) => {
  const modelId = await modelOfClone(context, event.log.address);
  const key = { modelId, account: addr(event.args.delegate) };
  if (event.args.newVotes === 0n) {
    await context.db.delete(votingPower, key);
    return;
  }
  await context.db
    .insert(votingPower)
    .values({ ...key, votes: event.args.newVotes })
    .onConflictDoUpdate({ votes: event.args.newVotes });
});

ponder.on("ModelVotes:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  const delta = (from === ZERO_ADDRESS ? value : 0n) - (to === ZERO_ADDRESS ? value : 0n);
  if (delta === 0n) return;
  const modelId = await modelOfClone(context, event.log.address);
  const { supply } = (await latestSupply(context, modelId)) ?? { supply: 0n };
  await context.db
    .insert(votableSupply)
    .values({ modelId, timestamp: event.block.timestamp, supply: supply + delta })
    .onConflictDoUpdate({ supply: supply + delta });
});

async function latestSupply(context: Context, modelId: bigint) {
  const [row] = await context.db.sql
    .select()
    .from(votableSupply)
    .where(eq(votableSupply.modelId, modelId))
    .orderBy(desc(votableSupply.timestamp))
    .limit(1);
  return row;
}
