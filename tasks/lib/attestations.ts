/**
 * What the attestation tasks share (`ws attest`, `ws reviews`, `ws revoke-review`, and the attest-provenance,
 * revoke-provenance and set-evaluator actions of `ws propose`): the deployment's EAS and resolvers, checked to be
 * there and built for this deployment (a deployment from before issue #15 has none: one line naming --deployment),
 * and the checked `--uid`, `--manifest-hash`, `--kind` and `--uri` of a provenance attestation.
 */
import { getAddress, ZeroHash } from "ethers";

import {
  connectAttestations,
  provenanceProblem,
  type AttestationContracts,
  type ProvenanceData,
} from "../../client/attestations.js";
import { SchemaRegistry__factory } from "../../types/ethers-contracts/factories/@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry__factory.js";
import { TaskInputError } from "./cli.js";
import type { Context } from "./context.js";

/** EAS's record of one attestation, as `getAttestation` returns it. */
export type EasAttestation = Awaited<ReturnType<AttestationContracts["eas"]["getAttestation"]>>;

/**
 * The deployment's EAS and resolvers: each with code on this chain, the resolvers built for this deployment's
 * LicenseManager and ModelShares, and their schemas registered, with them, in the registry of this EAS (which is
 * where each resolver registered its own when deployed). A schema UID the record gives must be that one.
 */
export async function attestationsOf(ctx: Context): Promise<AttestationContracts> {
  const { eas, reviewResolver, provenanceResolver } = ctx.deployment;
  if (eas === undefined || reviewResolver === undefined || provenanceResolver === undefined) {
    throw new TaskInputError(
      '--deployment: expected "eas", "reviewResolver" and "provenanceResolver" addresses (EAS and the resolvers, deployed with the protocol since attestations were added); this deployment lacks them',
    );
  }
  const provider = ctx.connection.ethers.provider;
  for (const [name, address] of [
    ["EAS", eas],
    ["LicenseeReviewResolver", reviewResolver],
    ["ProvenanceResolver", provenanceResolver],
  ]) {
    if ((await provider.getCode(address)) === "0x") {
      throw new TaskInputError(`--deployment: no ${name} contract at ${address} on chain ${ctx.chainId}`);
    }
  }
  const c = connectAttestations({ eas, reviewResolver, provenanceResolver }, ctx.signer);
  const licences = getAddress(await c.reviews.licences());
  if (licences !== getAddress(ctx.deployment.licenses)) {
    throw new TaskInputError(
      `--deployment: the review resolver at ${reviewResolver} checks the licences of ${licences}, not of this deployment's LicenseManager ${ctx.deployment.licenses}`,
    );
  }
  const shares = getAddress(await c.provenance.shares());
  if (shares !== getAddress(ctx.deployment.shares)) {
    throw new TaskInputError(
      `--deployment: the provenance resolver at ${provenanceResolver} reads the treasuries of ${shares}, not of this deployment's ModelShares ${ctx.deployment.shares}`,
    );
  }
  const registry = SchemaRegistry__factory.connect(await c.eas.getSchemaRegistry(), provider);
  for (const [key, uid, resolver, recorded] of [
    ["reviewSchema", c.reviewSchema, reviewResolver, ctx.deployment.reviewSchema],
    ["provenanceSchema", c.provenanceSchema, provenanceResolver, ctx.deployment.provenanceSchema],
  ] as const) {
    if (recorded !== undefined && recorded.toLowerCase() !== uid) {
      throw new TaskInputError(
        `--deployment: "${key}" ${recorded} is not the UID of the schema its resolver ${resolver} registered (${uid})`,
      );
    }
    const record = await registry.getSchema(uid);
    if (record.uid !== uid || getAddress(record.resolver) !== getAddress(resolver)) {
      throw new TaskInputError(
        `--deployment: EAS at ${eas} has no schema ${uid} with resolver ${resolver}; the resolver was deployed for another EAS`,
      );
    }
  }
  return c;
}

/** `--uid`: an attestation UID (32 bytes, 0x…). */
export function uidArg(value: string): string {
  if (value === "") throw new TaskInputError("--uid: expected the attestation's UID (32 bytes, 0x…)");
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new TaskInputError(
      `--uid: expected an attestation UID (32 bytes, 0x followed by 64 hex digits), got "${value}"`,
    );
  }
  return value.toLowerCase();
}

/** EAS's record of `--uid`, refused unless it exists, is of `schema` (a `noun`) and is not revoked. */
export async function liveAttestation(
  c: AttestationContracts,
  uid: string,
  schema: string,
  noun: "review" | "provenance attestation",
): Promise<EasAttestation> {
  const a = await c.eas.getAttestation(uid);
  if (a.uid === ZeroHash) throw new TaskInputError(`--uid: EAS has no attestation ${uid}`);
  if (a.schema !== schema) {
    const is =
      a.schema === c.reviewSchema
        ? "a review"
        : a.schema === c.provenanceSchema
          ? "a provenance attestation"
          : `of schema ${a.schema}`;
    throw new TaskInputError(`--uid: attestation ${uid} is not a ${noun}, it is ${is}`);
  }
  if (a.revocationTime !== 0n) throw new TaskInputError(`--uid: ${noun} ${uid} is revoked already`);
  return a;
}

/** A provenance attestation's fields from `--manifest-hash`, `--kind` and `--uri`, checked as the resolver checks. */
export function provenanceArgs(
  modelId: bigint,
  args: { manifestHash: string; kind: string; uri: string },
): ProvenanceData {
  if (args.manifestHash === "") {
    throw new TaskInputError("--manifest-hash: expected the model version's manifest hash (32 bytes, 0x…)");
  }
  if (args.kind === "") throw new TaskInputError("--kind: expected training-data, evaluation or model-card");
  if (args.uri === "") {
    throw new TaskInputError(
      "--uri: expected where the evidence is (training data sources, evaluation results, model card)",
    );
  }
  const p = { modelId, manifestHash: args.manifestHash, kind: args.kind, uri: args.uri };
  const problem = provenanceProblem(p);
  if (problem !== null) throw new TaskInputError(`--${problem[0]}: expected ${problem[1]}`);
  return { ...p, manifestHash: p.manifestHash.toLowerCase() };
}
