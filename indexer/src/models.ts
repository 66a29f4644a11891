/**
 * Models: `ModelShares.ModelCreated` (the id, its votes clone and treasury, emitted before the initial fractions are
 * minted, so the clone's first vote events find their model), then `ModelRegistry.ModelRegistered` in the same
 * transaction (creator, governor, name, symbol, content hash, metadata URI).
 */
import { ponder } from "ponder:registry";
import { clone, model } from "ponder:schema";

import { addr } from "./shared.ts";

ponder.on("ModelShares:ModelCreated", async ({ event, context }) => {
  const { modelId, votes, treasury, uri } = event.args;
  await context.db.insert(model).values({
    id: modelId,
    votes: addr(votes),
    timelock: addr(treasury),
    uri,
    totalSupply: 0n,
    holderCount: 0,
    createdAt: event.block.timestamp,
    createdBlock: event.block.number,
  });
  await context.db.insert(clone).values({ address: addr(votes), modelId, kind: "votes" });
});

ponder.on("ModelShares:URI", async ({ event, context }) => {
  const row = await context.db.find(model, { id: event.args.id });
  if (row !== null) await context.db.update(model, { id: event.args.id }).set({ uri: event.args.value });
});

ponder.on("ModelRegistry:ModelRegistered", async ({ event, context }) => {
  const { modelId, creator, governor, registration } = event.args;
  await context.db.update(model, { id: modelId }).set({
    creator: addr(creator),
    governor: addr(governor),
    name: registration.name,
    symbol: registration.symbol,
    contentHash: registration.contentHash,
    metadataURI: registration.metadataURI,
  });
  await context.db.insert(clone).values({ address: addr(governor), modelId, kind: "governor" });
});

ponder.on("ModelRegistry:ContentHashUpdated", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ contentHash: event.args.current });
});
