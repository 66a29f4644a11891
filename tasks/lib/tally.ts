/** What the Tally tasks share: the block a model was registered in (Tally's "start block"). */
import type { Model } from "../../sdk/index.js";
import type { Context } from "./context.js";

export async function registrationBlock(ctx: Context, m: Model): Promise<number> {
  const events = await ctx.registry.queryFilter(ctx.registry.filters.ModelRegistered(m.modelId));
  if (events.length === 0) throw new Error(`model ${m.modelId} has no ModelRegistered event on this chain`);
  return events[0].blockNumber;
}
