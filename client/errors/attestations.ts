/**
 * The plain sentences for the refusals of attestations (issue #15): the review and provenance resolvers' errors,
 * and the Ethereum Attestation Service's own (EAS, its SchemaRegistry and the resolver base, whose errors carry no
 * values, so their sentence says what each means in EAS's code). Joined to the other protocol errors' sentences by
 * errors.ts.
 */
import type { Result } from "ethers";

type Phrase = (a: Result) => string;

const FIELDS = ["text", "review URI"];

export const ATTESTATION_PHRASES: Record<string, Phrase> = {
  LicenseeReviewWrongSchema: (a) =>
    `the review resolver accepts only its own schema ${a[1]}, not ${a[0]} (another schema naming the resolver)`,
  LicenseeReviewMalformed: (a) => `the review's data (${a[0]} bytes) does not hold the review schema's five fields`,
  LicenseeReviewNotLicensee: (a) =>
    `${a[0]} does not hold licence #${a[1]} (${a[2]} does); only a licence's owner reviews with it`,
  LicenseeReviewWrongModel: (a) => `licence #${a[0]} is a licence of model #${a[1]}, not of model #${a[2]}`,
  LicenseeReviewAlreadyReviewed: (a) =>
    `licence #${a[0]} has a review already (${a[1]}); one review per licence, until its author revokes it`,
  LicenseeReviewRatingOutOfRange: (a) => `the rating must be from ${a[1]} to ${a[2]}, got ${a[0]}`,
  LicenseeReviewEmpty: () => "a review needs a text or a review document's URI",
  LicenseeReviewTooLong: (a) => `the review's ${FIELDS[Number(a[0])] ?? "field"} is ${a[1]} bytes; at most ${a[2]}`,
  LicenseeReviewNotRevocable: (a) => `review ${a[0]} was made irrevocable; a review must stay revocable by its author`,
  LicenseeReviewExpiring: (a) =>
    `review ${a[0]} was given an expiration time (${a[1]}); a review stands until its author revokes it`,
  ProvenanceWrongSchema: (a) =>
    `the provenance resolver accepts only its own schema ${a[1]}, not ${a[0]} (another schema naming the resolver)`,
  ProvenanceMalformed: (a) =>
    `the attestation's data (${a[0]} bytes) does not hold the provenance schema's four fields`,
  ProvenanceUnknownModel: (a) => `there is no model #${a[0]}`,
  ProvenanceUnauthorizedAttester: (a) =>
    `${a[0]} is neither the treasury of model #${a[1]} nor an evaluator it named (ws propose --action set-evaluator)`,
  ProvenanceUnauthorizedTreasury: (a) =>
    `${a[0]} is not the treasury of model #${a[1]}; only its vote names evaluators`,
  ProvenanceInvalidEvaluator: (a) => `${a[0]} cannot be an evaluator`,
  ProvenanceUnknownKind: (a) => `the kind must be training-data, evaluation or model-card, got "${a[0]}"`,
  ProvenanceEmptyManifest: (a) => `the attestation about model #${a[0]} names no manifest hash (zero)`,
  ProvenanceURITooLong: (a) => `the URI is ${a[0]} bytes; at most ${a[1]}`,
  // EAS (EAS.sol, SchemaRegistry.sol, Common.sol and the resolver base): errors without values.
  AccessDenied: () =>
    "EAS refused: only the attester may revoke an attestation (or a resolver was called by another contract than its EAS)",
  AlreadyRevoked: () => "the attestation is revoked already",
  NotFound: () => "EAS has no such attestation (check the UID)",
  InvalidSchema: () => "the attestation is not of this schema, or EAS has no such schema",
  Irrevocable: () => "the attestation (or its schema) is irrevocable",
  InvalidExpirationTime: () => "the attestation's expiration time is in the past",
  InvalidAttestation: () => "the schema's resolver refused the attestation",
  InvalidRevocation: () => "the schema's resolver refused the revocation",
  NotPayable: () => "the schema's resolver accepts no ETH with an attestation",
  InsufficientValue: () => "the ETH sent does not cover the value given to the resolver",
  AlreadyExists: () => "this schema is registered already (same schema, resolver and revocability)",
};
