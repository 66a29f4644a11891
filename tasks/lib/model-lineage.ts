/**
 * What `ws model` shows of a model's lineage (issue #15), when the deployment record has a lineage registry (one from
 * before it has none: the part is left out, not refused): its parents, each with its name, the share of the model's
 * revenue it takes and the licence the model was registered through; its derivatives; and the least its licences
 * must cost (the floor its parents' licences set); and, for a model with derivatives, what they set aside for it in
 * each token it accepts and what of that waits for `ws collect-from-derivatives`. Read through the Hardhat-free
 * client (client/lineage.ts) and the vault; sends nothing.
 */
import { bpsPercent, lineageOf } from "../../client/lineage.js";
import type { Context } from "./context.js";
import { lineageIfDeployed } from "./lineage.js";
import { acceptedTokens, money, type Money } from "./tokens.js";
import { tokenInfo } from "./units.js";

/** One parent of a derivative, as `ws model` shows it. */
export interface ModelParent {
  modelId: bigint;
  name: string;
  /** Its share of every payment into the model, in basis points and as a percentage. */
  shareBps: bigint;
  share: string;
  /** The parent's derivative licence the model was registered through. */
  licenceId: bigint;
}

/** A model's place in the lineage. */
export interface ModelLineageView {
  /** Empty for an original model. */
  parents: ModelParent[];
  /** What its parents take of its revenue together. */
  parentShareBps: bigint;
  parentShare: string;
  children: { modelId: bigint; name: string }[];
  /** Generations of ancestors above it, and the ancestor credits one payment into it makes. */
  depth: bigint;
  routes: bigint;
  /** The least its licences must cost; null when there is no floor. */
  floor: Money | null;
  /**
   * What its derivatives set aside for it in each token it accepts, in all (`total`) and still to collect into its
   * split (`pending`); tokens with nothing set aside are left out.
   */
  fromDerivatives: { total: Money; pending: Money }[];
}

/** `{ lineage }` when the deployment has a lineage registry, else nothing. */
export async function lineageFor(ctx: Context, modelId: bigint): Promise<{ lineage?: ModelLineageView }> {
  const registry = await lineageIfDeployed(ctx);
  if (registry === undefined) return {};
  const l = await lineageOf(registry, modelId);
  const name = async (id: bigint) => (await ctx.registry.model(id)).name;
  const parents: ModelParent[] = [];
  for (const p of l.parents) {
    parents.push({
      modelId: p.modelId,
      name: await name(p.modelId),
      shareBps: p.shareBps,
      share: bpsPercent(p.shareBps),
      licenceId: p.licenceId,
    });
  }
  const children = [];
  for (const id of l.children) children.push({ modelId: id, name: await name(id) });
  const fromDerivatives = [];
  // Only a parent is paid by derivatives; an original model with none has nothing set aside.
  for (const token of l.children.length === 0 ? [] : await acceptedTokens(ctx, modelId)) {
    const [total, pending] = await ctx.vault.fromDerivatives(modelId, token.address);
    if (total !== 0n) fromDerivatives.push({ total: money(total, token), pending: money(pending, token) });
  }
  return {
    lineage: {
      parents,
      parentShareBps: l.parentShareBps,
      parentShare: bpsPercent(l.parentShareBps),
      children,
      depth: l.depth,
      routes: l.routes,
      floor: l.floor.price === 0n ? null : money(l.floor.price, await tokenInfo(ctx, l.floor.token)),
      fromDerivatives,
    },
  };
}

/** The lines `ws model` prints of a lineage (none when the deployment has no lineage registry). */
export function lineageLines(data: { lineage?: ModelLineageView }): string[] {
  const l = data.lineage;
  if (l === undefined) return [];
  const lines: string[] = [];
  if (l.parents.length === 0) {
    lines.push("an original model: no parents");
  } else {
    const each = l.parents.map((p) => `#${p.modelId} "${p.name}" takes ${p.share} (licence #${p.licenceId})`);
    lines.push(
      `a derivative of ${each.join(", ")}: its parents take ${l.parentShare} of every payment into it, before its own split`,
    );
    lines.push(
      l.floor === null
        ? "price floor: none (its licences may cost anything)"
        : `price floor: its licences cost at least ${l.floor.formatted}`,
    );
  }
  lines.push(
    l.children.length === 0
      ? "no derivatives"
      : `derivatives: ${l.children.map((c) => `#${c.modelId} "${c.name}"`).join(", ")}`,
  );
  if (l.fromDerivatives.length !== 0) {
    const each = l.fromDerivatives.map(
      (f) =>
        `${f.total.formatted} (${f.pending.amount === 0n ? "all collected" : `${f.pending.formatted} to collect: ws collect-from-derivatives`})`,
    );
    lines.push(`set aside by its derivatives: ${each.join(", ")}`);
  }
  return lines;
}
