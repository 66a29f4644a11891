/**
 * Derivative models from `ModelLineage.DerivativeRegistered`, as client/lineage.ts `lineageFromEvents` folds them:
 * each derivative's parents, shares and floor, and its depth and routes from its parents' (parents registered
 * earlier are in the table; an original parent has depth 0 and no routes).
 */
import { ponder } from "ponder:registry";
import { derivative, lineageParent } from "ponder:schema";

import { addr } from "./shared.ts";

ponder.on("ModelLineage:DerivativeRegistered", async ({ event, context }) => {
  const { modelId, registrant, parentIds, licenceIds, shareBps, minPriceToken, minPrice } = event.args;
  let depth = 0n;
  let routes = 0n;
  let total = 0n;
  for (let i = 0; i < parentIds.length; i++) {
    const parent = await context.db.find(derivative, { modelId: parentIds[i]! });
    const parentDepth = parent?.depth ?? 0n;
    if (parentDepth + 1n > depth) depth = parentDepth + 1n;
    routes += 1n + (parent?.routes ?? 0n);
    total += shareBps[i]!;
    await context.db.insert(lineageParent).values({
      modelId,
      parentId: parentIds[i]!,
      licenceId: licenceIds[i]!,
      shareBps: shareBps[i]!,
      position: i,
    });
  }
  await context.db.insert(derivative).values({
    modelId,
    registrant: addr(registrant),
    depth,
    routes,
    parentShareBps: total,
    minPriceToken: addr(minPriceToken),
    minPrice,
    registeredAt: event.block.timestamp,
  });
});
