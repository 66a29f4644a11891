/**
 * Licensees' reviews from the review resolver's own events (`Reviewed`, `ReviewRevoked`): EAS calls the resolver for
 * every attestation and revocation under the review schema, so these are exactly the reviews EAS holds. Provenance
 * attestations and evaluators from the provenance resolver's events, and their revocations from EAS's `Revoked`
 * (config filters it to the provenance schema).
 */
import { ponder } from "ponder:registry";
import { evaluator, provenance, review } from "ponder:schema";

import { addr } from "./shared.ts";

ponder.on("LicenseeReviewResolver:Reviewed", async ({ event, context }) => {
  const { modelId, licenceId, uid, attester, rating } = event.args;
  await context.db.insert(review).values({
    uid,
    modelId,
    licenceId,
    attester: addr(attester),
    rating: Number(rating),
    revoked: false,
    createdAt: event.block.timestamp,
    revokedAt: null,
  });
});

ponder.on("LicenseeReviewResolver:ReviewRevoked", async ({ event, context }) => {
  await context.db.update(review, { uid: event.args.uid }).set({ revoked: true, revokedAt: event.block.timestamp });
});

ponder.on("ProvenanceResolver:EvaluatorSet", async ({ event, context }) => {
  const { modelId, evaluator: account, allowed } = event.args;
  await context.db
    .insert(evaluator)
    .values({ modelId, account: addr(account), allowed })
    .onConflictDoUpdate({ allowed });
});

ponder.on("ProvenanceResolver:ProvenanceAttested", async ({ event, context }) => {
  const { modelId, manifestHash, uid, attester, kind } = event.args;
  await context.db.insert(provenance).values({
    uid,
    modelId,
    manifestHash,
    attester: addr(attester),
    kind,
    revoked: false,
    createdAt: event.block.timestamp,
    revokedAt: null,
  });
});

ponder.on("EAS:Revoked", async ({ event, context }) => {
  const row = await context.db.find(provenance, { uid: event.args.uid });
  if (row !== null) {
    await context.db
      .update(provenance, { uid: event.args.uid })
      .set({ revoked: true, revokedAt: event.block.timestamp });
  }
});
