/**
 * Licensees' reviews from the review resolver's own events (`Reviewed`, `ReviewRevoked`): EAS calls the resolver for
 * every attestation and revocation under the review schema, so these are exactly the reviews EAS holds.
 */
import { ponder } from "ponder:registry";
import { review } from "ponder:schema";

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
