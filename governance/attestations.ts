/**
 * Typed proposal builders for a model's attestations on the Ethereum Attestation Service (issue #15): what a model's
 * treasury does by vote. It attests, as itself, to a model version's provenance or evaluation (EAS records the
 * treasury as the attester, which is what the provenance resolver accepts), revokes such an attestation, and names
 * or drops the evaluators who may attest for the model without a vote. The tasks (`ws propose --action
 * attest-provenance ...`), tests and the demo share these, so a proposal built in a test is the bytes a task sends.
 */
import {
  attestationRequest,
  encodeProvenance,
  revocationRequest,
  type ProvenanceData,
} from "../client/attestations.js";
import type { EAS, ProvenanceResolver } from "../types/ethers-contracts/index.js";
import type { Proposal } from "./proposals.js";

function single(description: string, target: string, data: string): Proposal {
  return { targets: [target], values: [0n], calldatas: [data], description };
}

/**
 * Attest, as the model's treasury, to `attestation` (a model version's manifest hash, its kind and a URI) under the
 * provenance schema `provenanceSchema` on `eas`. The attestation is revocable, by the treasury only (by vote).
 */
export async function attestProvenance(args: {
  eas: EAS;
  provenanceSchema: string;
  attestation: ProvenanceData;
  description: string;
}): Promise<Proposal> {
  const request = attestationRequest(args.provenanceSchema, encodeProvenance(args.attestation));
  return single(
    args.description,
    await args.eas.getAddress(),
    args.eas.interface.encodeFunctionData("attest", [request]),
  );
}

/** Revoke the provenance attestation `uid` the treasury made (only its attester may: EAS's rule). */
export async function revokeProvenance(args: {
  eas: EAS;
  provenanceSchema: string;
  uid: string;
  description: string;
}): Promise<Proposal> {
  return single(
    args.description,
    await args.eas.getAddress(),
    args.eas.interface.encodeFunctionData("revoke", [revocationRequest(args.provenanceSchema, args.uid)]),
  );
}

/**
 * Name (`allowed`) or drop `evaluator` of `modelId`: a named evaluator attests provenance and evaluations of the
 * model's versions without a vote; dropping one stops that, and leaves what it attested (only it may revoke that).
 */
export async function setEvaluator(args: {
  provenance: ProvenanceResolver;
  modelId: bigint;
  evaluator: string;
  allowed: boolean;
  description: string;
}): Promise<Proposal> {
  return single(
    args.description,
    await args.provenance.getAddress(),
    args.provenance.interface.encodeFunctionData("setEvaluator", [args.modelId, args.evaluator, args.allowed]),
  );
}
