/**
 * `ws reviews --model-id N`: a model's reviews on the Ethereum Attestation Service, oldest first, each with its
 * rating, text or review document, the licence it was written with, its author and time, and whether its author
 * revoked it; the average rating of those not revoked; then the provenance and evaluation attestations of the
 * model's versions (by its treasury or the evaluators it named). Read from the resolvers' events and EAS's records
 * (client/attestations.ts `reviewsOf`, `provenanceOf`); sends nothing.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { provenanceOf, reviewsOf } from "../client/attestations.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { attestationsOf } from "./lib/attestations.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.modelId === "") throw new TaskInputError("--model-id: expected the model whose reviews to list");
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const c = await attestationsOf(ctx);
  const reviews = await reviewsOf(c, m.modelId);
  const provenance = await provenanceOf(c, m.modelId);
  const treasury = await ctx.shares.treasuryOf(m.modelId);
  const data = {
    ...reviews,
    reviewSchema: c.reviewSchema,
    provenance: provenance.map((p) => ({ ...p, byTreasury: p.attester === treasury })),
    provenanceSchema: c.provenanceSchema,
  };
  output(args.json, data, () => {
    const revoked = reviews.reviews.length - reviews.count;
    const lines = [
      reviews.reviews.length === 0
        ? `model #${m.modelId} has no reviews`
        : `model #${m.modelId}: ${reviews.count} review${reviews.count === 1 ? "" : "s"}` +
          (reviews.average === null ? "" : `, average ${Number(reviews.average.toFixed(2))}/5`) +
          (revoked === 0 ? "" : ` (${revoked} revoked, not counted)`),
      ...reviews.reviews.map(
        (r) =>
          `  ${r.rating}/5 licence #${r.licenceId} by ${r.attester} at ${timeText(r.time)}` +
          (r.revoked ? ` [revoked ${timeText(r.revocationTime)}]` : "") +
          (r.text === "" ? "" : `: ${JSON.stringify(r.text)}`) +
          (r.reviewURI === "" ? "" : ` (${r.reviewURI})`) +
          `\n    uid ${r.uid}`,
      ),
    ];
    if (data.provenance.length > 0) {
      lines.push(`provenance and evaluations of model #${m.modelId}:`);
      for (const p of data.provenance) {
        lines.push(
          `  ${p.kind} of version ${p.manifestHash} at ${p.uri} by ${p.byTreasury ? "the treasury" : `evaluator ${p.attester}`} at ${timeText(p.time)}` +
            (p.revoked ? " [revoked]" : "") +
            `\n    uid ${p.uid}`,
        );
      }
    }
    return lines.join("\n");
  });
});
