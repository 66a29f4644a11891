/** What the Tally tasks share: the block a model was registered in (Tally's "start block"). */
import type { Model } from "../../sdk/index.js";
import type { Context } from "./context.js";
import { registrationBlock as blockAtCreation } from "./events.js";

/**
 * The block of the model's `ModelRegistered` event: found by timestamp (block timestamps strictly increase, so the
 * registry's `createdAt` names one block), then confirmed by reading that one block's logs, with no scan from
 * genesis that an RPC with log-range limits would refuse.
 */
export async function registrationBlock(ctx: Context, m: Model): Promise<number> {
  const block = await blockAtCreation(ctx, ctx.registry, m.modelId);
  const events = await ctx.registry.queryFilter(ctx.registry.filters.ModelRegistered(m.modelId), block, block);
  if (events.length === 0) throw new Error(`model ${m.modelId} has no ModelRegistered event on this chain`);
  return block;
}
