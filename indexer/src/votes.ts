/**
 * Delegates and voting power from each model's ModelVotes clone (found by Ponder's factory support from the
 * registry's `ModelRegistered`): whom every account delegates to, and each delegate's current votes.
 */
import { ponder } from "ponder:registry";
import { delegation, votingPower } from "ponder:schema";

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
