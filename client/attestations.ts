/**
 * Attestations about models on the Ethereum Attestation Service (EAS), from plain ethers: the two schemas the
 * protocol's resolvers accept, their UIDs, encoding and decoding their data, the checks the resolvers make (so a
 * task refuses what would revert before sending), attesting and revoking, and reading a model's reviews and
 * provenance back. Hardhat-free.
 *
 * - Reviews (`LicenseeReviewResolver`): a rating of 1 to 5 and a text or a review document's URI, attested by the
 *   current owner of a licence of the model (live or expired), one review per licence; revocable by its author,
 *   which frees the licence for a new review.
 * - Provenance (`ProvenanceResolver`): a model version's manifest hash with a kind (`training-data`, `evaluation`,
 *   `model-card`) and a URI, attested by the model's treasury (by vote: governance/attestations.ts) or by an
 *   evaluator the treasury named.
 */
import {
  AbiCoder,
  getAddress,
  solidityPackedKeccak256,
  toUtf8Bytes,
  ZeroAddress,
  ZeroHash,
  type ContractRunner,
  type ContractTransactionReceipt,
  type Signer,
} from "ethers";

import { EAS__factory } from "../types/ethers-contracts/factories/@ethereum-attestation-service/eas-contracts/contracts/EAS__factory.ts";
import { LicenseeReviewResolver__factory } from "../types/ethers-contracts/factories/contracts/attestations/LicenseeReviewResolver__factory.ts";
import { ProvenanceResolver__factory } from "../types/ethers-contracts/factories/contracts/attestations/ProvenanceResolver__factory.ts";
import type { EAS, LicenseeReviewResolver, ProvenanceResolver } from "../types/ethers-contracts/index.ts";

/** The review schema (`LicenseeReviewResolver.SCHEMA`). */
export const REVIEW_SCHEMA = "uint256 modelId,uint256 licenceId,uint8 rating,string text,string reviewURI";
/** The provenance and evaluation schema (`ProvenanceResolver.SCHEMA`). */
export const PROVENANCE_SCHEMA = "uint256 modelId,bytes32 manifestHash,string kind,string uri";
/** What a provenance attestation may be about. */
export const PROVENANCE_KINDS = ["training-data", "evaluation", "model-card"] as const;
export type ProvenanceKind = (typeof PROVENANCE_KINDS)[number];
/** The resolvers' bounds (`MIN_RATING`, `MAX_RATING`, `MAX_TEXT_BYTES`, `MAX_URI_BYTES`). */
export const MIN_RATING = 1;
export const MAX_RATING = 5;
export const MAX_REVIEW_TEXT_BYTES = 2_000;
export const MAX_ATTESTATION_URI_BYTES = 512;

const abi = AbiCoder.defaultAbiCoder();
const REVIEW_TYPES = ["uint256", "uint256", "uint8", "string", "string"];
const PROVENANCE_TYPES = ["uint256", "bytes32", "string", "string"];

/** A review as the schema holds it. */
export interface ReviewData {
  modelId: bigint;
  licenceId: bigint;
  rating: number;
  text: string;
  reviewURI: string;
}

/** A provenance or evaluation attestation as the schema holds it. */
export interface ProvenanceData {
  modelId: bigint;
  manifestHash: string;
  kind: string;
  uri: string;
}

/**
 * The UID EAS's SchemaRegistry gives `schema` registered with `resolver` (revocable by default): the resolvers
 * register their own schema when deployed, so a deployment's schema UIDs follow from its resolvers' addresses.
 */
export function schemaUID(schema: string, resolver: string, revocable = true): string {
  return solidityPackedKeccak256(["string", "address", "bool"], [schema, getAddress(resolver), revocable]);
}

export function encodeReview(r: ReviewData): string {
  return abi.encode(REVIEW_TYPES, [r.modelId, r.licenceId, r.rating, r.text, r.reviewURI]);
}

export function decodeReview(data: string): ReviewData {
  const [modelId, licenceId, rating, text, reviewURI] = abi.decode(REVIEW_TYPES, data);
  return { modelId, licenceId, rating: Number(rating), text, reviewURI };
}

export function encodeProvenance(p: ProvenanceData): string {
  return abi.encode(PROVENANCE_TYPES, [p.modelId, p.manifestHash, p.kind, p.uri]);
}

export function decodeProvenance(data: string): ProvenanceData {
  const [modelId, manifestHash, kind, uri] = abi.decode(PROVENANCE_TYPES, data);
  return { modelId, manifestHash, kind, uri };
}

/**
 * What the review resolver would refuse in the review's own fields, as `[field, expected]`, or null: the rating
 * outside 1..5, neither a text nor a URI, a text or URI too long (in UTF-8 bytes). Who may review is checked on chain.
 */
export function reviewProblem(r: Pick<ReviewData, "rating" | "text" | "reviewURI">): [string, string] | null {
  if (!Number.isInteger(r.rating) || r.rating < MIN_RATING || r.rating > MAX_RATING) {
    return ["rating", `a whole number from ${MIN_RATING} to ${MAX_RATING}, got ${r.rating}`];
  }
  const text = toUtf8Bytes(r.text).length;
  const uri = toUtf8Bytes(r.reviewURI).length;
  if (text === 0 && uri === 0) return ["text", "the review's text, or --review-uri for a review document"];
  if (text > MAX_REVIEW_TEXT_BYTES) {
    return ["text", `at most ${MAX_REVIEW_TEXT_BYTES} bytes (a longer review belongs in a document), got ${text}`];
  }
  if (uri > MAX_ATTESTATION_URI_BYTES) return ["review-uri", `at most ${MAX_ATTESTATION_URI_BYTES} bytes, got ${uri}`];
  return null;
}

/** What the provenance resolver would refuse in the attestation's own fields, as `[field, expected]`, or null. */
export function provenanceProblem(p: Pick<ProvenanceData, "manifestHash" | "kind" | "uri">): [string, string] | null {
  if (!/^0x[0-9a-fA-F]{64}$/.test(p.manifestHash) || p.manifestHash === ZeroHash) {
    return ["manifest-hash", `the model version's manifest hash (32 bytes, 0x…, not zero), got ${p.manifestHash}`];
  }
  if (!(PROVENANCE_KINDS as readonly string[]).includes(p.kind)) {
    return ["kind", `one of ${PROVENANCE_KINDS.join(", ")}, got ${JSON.stringify(p.kind)}`];
  }
  const uri = toUtf8Bytes(p.uri).length;
  if (uri > MAX_ATTESTATION_URI_BYTES) return ["uri", `at most ${MAX_ATTESTATION_URI_BYTES} bytes, got ${uri}`];
  return null;
}

/** The attestation request EAS's `attest` takes: revocable, no recipient, no expiry, no reference, no value. */
export function attestationRequest(schema: string, data: string) {
  return {
    schema,
    data: { recipient: ZeroAddress, expirationTime: 0n, revocable: true, refUID: ZeroHash, data, value: 0n },
  };
}

/** The revocation request EAS's `revoke` takes. */
export function revocationRequest(schema: string, uid: string) {
  return { schema, data: { uid, value: 0n } };
}

/** A deployment's attestation contracts, from their addresses. */
export interface AttestationContracts {
  eas: EAS;
  reviews: LicenseeReviewResolver;
  provenance: ProvenanceResolver;
  reviewSchema: string;
  provenanceSchema: string;
}

/** Connects to EAS and both resolvers through `runner`; the schema UIDs follow from the resolvers' addresses. */
export function connectAttestations(
  addresses: { eas: string; reviewResolver: string; provenanceResolver: string },
  runner: ContractRunner,
): AttestationContracts {
  return {
    eas: EAS__factory.connect(addresses.eas, runner),
    reviews: LicenseeReviewResolver__factory.connect(addresses.reviewResolver, runner),
    provenance: ProvenanceResolver__factory.connect(addresses.provenanceResolver, runner),
    reviewSchema: schemaUID(REVIEW_SCHEMA, addresses.reviewResolver),
    provenanceSchema: schemaUID(PROVENANCE_SCHEMA, addresses.provenanceResolver),
  };
}

/** The new attestation's UID, from EAS's `Attested` event in `receipt`. */
export function attestedUID(eas: EAS, receipt: ContractTransactionReceipt): string {
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== getAddress(eas.target as string)) continue;
    const parsed = eas.interface.parseLog(log);
    if (parsed?.name === "Attested") return parsed.args.uid as string;
  }
  throw new Error("attestedUID: no Attested event from EAS in the receipt");
}

/** Attests `review` as `signer` (who must own the licence); resolves to its UID. */
export async function attestReview(c: AttestationContracts, signer: Signer, review: ReviewData): Promise<string> {
  const tx = await c.eas.connect(signer).attest(attestationRequest(c.reviewSchema, encodeReview(review)));
  return attestedUID(c.eas, (await tx.wait())!);
}

/**
 * Attests `p` as `signer`, an evaluator the model's treasury named (the treasury itself attests by vote:
 * governance/attestations.ts `attestProvenance`); resolves to its UID.
 */
export async function attestAsEvaluator(c: AttestationContracts, signer: Signer, p: ProvenanceData): Promise<string> {
  const tx = await c.eas.connect(signer).attest(attestationRequest(c.provenanceSchema, encodeProvenance(p)));
  return attestedUID(c.eas, (await tx.wait())!);
}

/** A review as listed: its data, author, time, and whether its author revoked it. */
export interface Review extends ReviewData {
  uid: string;
  attester: string;
  /** When it was attested (seconds). */
  time: bigint;
  revoked: boolean;
  /** When it was revoked (0 when it was not). */
  revocationTime: bigint;
}

/** A model's reviews and their average rating (over those not revoked; null when none). */
export interface ModelReviews {
  modelId: bigint;
  reviews: Review[];
  count: number;
  average: number | null;
}

/**
 * Every review of `modelId`, oldest first, revoked ones included and marked: the resolver's `Reviewed` events of
 * the model (indexed by model id, emitted only for what EAS accepted) give the UIDs, and EAS's own record of each
 * (its schema checked to be the review schema) gives the data, the author and whether it was revoked. `fromBlock`:
 * where to start looking (the deployment's block on a real network, whose RPC may cap log ranges).
 */
export async function reviewsOf(
  c: Pick<AttestationContracts, "eas" | "reviews" | "reviewSchema">,
  modelId: bigint,
  fromBlock: number | string = 0,
): Promise<ModelReviews> {
  const logs = await c.reviews.queryFilter(c.reviews.filters.Reviewed(modelId), fromBlock);
  const reviews: Review[] = [];
  for (const log of logs) {
    const a = await c.eas.getAttestation(log.args.uid);
    if (a.schema !== c.reviewSchema) continue;
    reviews.push({
      ...decodeReview(a.data),
      uid: a.uid,
      attester: a.attester,
      time: a.time,
      revoked: a.revocationTime !== 0n,
      revocationTime: a.revocationTime,
    });
  }
  const standing = reviews.filter((r) => !r.revoked);
  const average = standing.length === 0 ? null : standing.reduce((sum, r) => sum + r.rating, 0) / standing.length;
  return { modelId, reviews, count: standing.length, average };
}

/** A provenance or evaluation attestation as listed. */
export interface Provenance extends ProvenanceData {
  uid: string;
  attester: string;
  time: bigint;
  revoked: boolean;
}

/** Every provenance and evaluation attestation of `modelId`, oldest first (from the resolver's events and EAS). */
export async function provenanceOf(
  c: Pick<AttestationContracts, "eas" | "provenance" | "provenanceSchema">,
  modelId: bigint,
  fromBlock: number | string = 0,
): Promise<Provenance[]> {
  const logs = await c.provenance.queryFilter(c.provenance.filters.ProvenanceAttested(modelId), fromBlock);
  const out: Provenance[] = [];
  for (const log of logs) {
    const a = await c.eas.getAttestation(log.args.uid);
    if (a.schema !== c.provenanceSchema) continue;
    out.push({
      ...decodeProvenance(a.data),
      uid: a.uid,
      attester: a.attester,
      time: a.time,
      revoked: a.revocationTime !== 0n,
    });
  }
  return out;
}
