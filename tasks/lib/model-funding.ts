/**
 * What `ws model` shows of a model's funding and reputation, each only when the deployment record has the contracts
 * (a record from before issue #14 has no `raises` or `sales`, one from before issue #15 no EAS or resolvers: the
 * part is left out, not refused): its raises and its treasury's sales of fractions, its reviews (how many stand and
 * their average rating) and its provenance and evaluation attestations, each with whether its attester may still
 * attest (the treasury, or an evaluator the treasury still names). Read through the Hardhat-free client
 * (client/raises.ts, client/sales.ts, client/attestations.ts); sends nothing.
 */
import { provenanceOf, reviewsOf } from "../../client/attestations.js";
import { raiseIds } from "../../client/raises.js";
import { saleIds } from "../../client/sales.js";
import { short, table } from "../../sdk/index.js";
import { attestationsOf } from "./attestations.js";
import type { Context } from "./context.js";
import { raisesOf, raiseView, salesOf } from "./raises.js";
import { saleView } from "./sales.js";
import { money, type Money } from "./tokens.js";
import { timeText } from "./units.js";

/** One raise of the model, as `ws model` lists it (`ws raise --raise-id N` shows the rest). */
export interface ModelRaise {
  raiseId: bigint;
  status: string;
  /** The payment token (the zero address for ETH) and its symbol. */
  token: string;
  symbol: string;
  /** Fractions committed, the goal and the cap. */
  committed: bigint;
  goal: bigint;
  cap: bigint;
  /** What the treasury gets for the fractions sold (on success; before, as things stand). */
  raised: Money;
  released: Money;
  tranchesReleased: bigint;
  trancheCount: number;
}

/** One sale of the model's treasury fractions, as `ws model` lists it (`ws sell-fractions --sale-id N` shows more). */
export interface ModelSale {
  saleId: bigint;
  status: string;
  token: string;
  symbol: string;
  /** The price of one fraction now. */
  price: Money;
  sold: bigint;
  amount: bigint;
}

/** A provenance or evaluation attestation, and whether its attester may still attest for the model. */
export interface ModelProvenance {
  uid: string;
  manifestHash: string;
  kind: string;
  uri: string;
  attester: string;
  time: bigint;
  revoked: boolean;
  /** The attester is the model's treasury. */
  byTreasury: boolean;
  /** The attester is an evaluator the treasury names now (`IProvenanceResolver.isEvaluator`). */
  isEvaluator: boolean;
}

/** The parts the deployment has; a part is absent when the deployment record lacks its contracts. */
export interface ModelFunding {
  raises?: ModelRaise[];
  sales?: ModelSale[];
  /** Reviews not revoked, and their average rating (null when none). */
  reviews?: { count: number; average: number | null };
  provenance?: ModelProvenance[];
}

export async function fundingOf(ctx: Context, modelId: bigint, treasury: string): Promise<ModelFunding> {
  const out: ModelFunding = {};
  if (ctx.deployment.raises !== undefined) {
    const raises = await raisesOf(ctx);
    out.raises = [];
    for (const raiseId of await raiseIds(raises, modelId)) {
      const v = await raiseView(ctx, raises, raiseId);
      out.raises.push({
        raiseId,
        status: v.status,
        token: v.terms.token,
        symbol: v.tokenInfo.symbol,
        committed: v.state.committed,
        goal: v.terms.goal,
        cap: v.terms.cap,
        raised: v.money.raised,
        released: v.money.released,
        tranchesReleased: v.state.tranchesReleased,
        trancheCount: v.trancheCount,
      });
    }
  }
  if (ctx.deployment.sales !== undefined) {
    const sales = await salesOf(ctx);
    out.sales = [];
    for (const saleId of await saleIds(sales, modelId)) {
      const v = await saleView(ctx, sales, saleId);
      out.sales.push({
        saleId,
        status: v.status,
        token: v.terms.token,
        symbol: v.tokenInfo.symbol,
        price: money(v.price, v.tokenInfo),
        sold: v.sold,
        amount: v.terms.amount,
      });
    }
  }
  const { eas, reviewResolver, provenanceResolver } = ctx.deployment;
  if (eas !== undefined && reviewResolver !== undefined && provenanceResolver !== undefined) {
    const c = await attestationsOf(ctx);
    const { count, average } = await reviewsOf(c, modelId);
    out.reviews = { count, average };
    out.provenance = [];
    for (const p of await provenanceOf(c, modelId)) {
      out.provenance.push({
        uid: p.uid,
        manifestHash: p.manifestHash,
        kind: p.kind,
        uri: p.uri,
        attester: p.attester,
        time: p.time,
        revoked: p.revoked,
        byTreasury: p.attester === treasury,
        isEvaluator: await c.provenance.isEvaluator(modelId, p.attester),
      });
    }
  }
  return out;
}

/** Who attested, and whether they may still: "the treasury", "evaluator 0x…", "0x… (no longer an evaluator)". */
function attesterText(p: ModelProvenance): string {
  if (p.byTreasury) return "the treasury";
  return p.isEvaluator ? `evaluator ${p.attester}` : `${p.attester} (no longer an evaluator)`;
}

/** The lines `ws model` prints for the parts the deployment has (none for a part it lacks). */
export function fundingLines(f: ModelFunding): string[] {
  const lines: string[] = [];
  if (f.raises !== undefined) {
    lines.push(
      f.raises.length === 0
        ? "no raises"
        : table(
            ["raise", "status", "token", "committed / goal / cap", "raised", "tranches released"],
            f.raises.map((r) => [
              r.raiseId,
              r.status,
              r.symbol,
              `${r.committed} / ${r.goal} / ${r.cap}`,
              r.raised.formatted,
              `${r.tranchesReleased} of ${r.trancheCount} (${r.released.formatted})`,
            ]),
          ),
    );
  }
  if (f.sales !== undefined) {
    lines.push(
      f.sales.length === 0
        ? "no sales of treasury fractions"
        : table(
            ["sale", "status", "price now", "sold / amount"],
            f.sales.map((s) => [s.saleId, s.status, s.price.formatted, `${s.sold} / ${s.amount}`]),
          ),
    );
  }
  if (f.reviews !== undefined) {
    const { count, average } = f.reviews;
    lines.push(
      count === 0
        ? "no reviews"
        : `${count} review${count === 1 ? "" : "s"}, average rating ${Number(average!.toFixed(2))}/5`,
    );
  }
  if (f.provenance !== undefined) {
    lines.push(
      f.provenance.length === 0
        ? "no provenance attestations"
        : [
            "provenance attestations:",
            ...f.provenance.map(
              (p) =>
                `  ${p.kind} of version ${short(p.manifestHash)} at ${p.uri} by ${attesterText(p)}, ${timeText(p.time)}` +
                (p.revoked ? " [revoked]" : ""),
            ),
          ].join("\n"),
    );
  }
  return lines;
}
