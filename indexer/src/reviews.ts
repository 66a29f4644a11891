/**
 * Licensees' reviews from the review resolver's own events (`Reviewed`, `ReviewRevoked`): EAS calls the resolver for
 * every attestation and revocation under the review schema, so these are exactly the reviews EAS holds. Provenance
 * attestations and evaluators from the provenance resolver's events, and their revocations from EAS's `Revoked`
 * (config filters it to the provenance schema). A review's text and a claim's URI are read from the attestation on
 * EAS: the only contract calls the indexer makes.
 */
import { ponder, type Context } from "ponder:registry";
import { evaluator, provenance, review } from "ponder:schema";

import { decodeAbiParameters, parseAbiParameters } from "viem";

import { PROVENANCE_SCHEMA, REVIEW_SCHEMA } from "../../client/attestations.ts";
import { EASAbi } from "../abis/index.ts";
import { addr } from "./shared.ts";

/**
 * The data of attestation `uid` on EAS, decoded by `schema`. An attestation's data never changes (a revocation only
 * stamps its time), so it is read at the latest block and cached for good: no archive node is needed to backfill.
 */
async function attestationData(context: Context, uid: `0x${string}`, schema: string) {
  const attestation = await context.client.readContract({
    abi: EASAbi,
    address: context.contracts.EAS.address as `0x${string}`,
    functionName: "getAttestation",
    args: [uid],
    cache: "immutable",
  });
  return decodeAbiParameters(parseAbiParameters(schema), attestation.data) as readonly unknown[];
}

ponder.on("LicenseeReviewResolver:Reviewed", async ({ event, context }) => {
  const { modelId, licenceId, uid, attester, rating } = event.args;
  const [, , , text, reviewURI] = await attestationData(context, uid, REVIEW_SCHEMA);
  await context.db.insert(review).values({
    uid,
    modelId,
    licenceId,
    attester: addr(attester),
    rating: Number(rating),
    text: String(text),
    reviewURI: String(reviewURI),
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
  const [, , , uri] = await attestationData(context, uid, PROVENANCE_SCHEMA);
  await context.db.insert(provenance).values({
    uid,
    modelId,
    manifestHash,
    attester: addr(attester),
    kind,
    uri: String(uri),
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
