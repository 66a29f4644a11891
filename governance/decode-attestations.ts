/**
 * The proposal decoder's words for a treasury's attestations (governance/attestations.ts): `attest-provenance`,
 * `revoke-provenance` and `set-evaluator`. A call to EAS is recognised only under this deployment's provenance
 * schema (the UID its resolver registered); any other attestation is shown as the call it is. Pure.
 */
import { ZeroAddress, ZeroHash, type Result } from "ethers";

import { decodeProvenance, PROVENANCE_SCHEMA, schemaUID } from "../client/attestations.js";

export interface AttestationCall {
  action: string;
  summary: string;
  args: Record<string, unknown>;
}

/** The addresses the attestation calls are told apart by (absent on a deployment from before issue #15). */
export interface AttestationAddresses {
  eas?: string;
  provenance?: string;
}

/** What each provenance kind attests, in words. */
const KIND_TEXT: Record<string, string> = {
  "training-data": "the training data sources",
  evaluation: "the evaluation results",
  "model-card": "the signed model card",
};

/**
 * The call `${contract}.${fn}` with arguments `a` in words, or null when no attestation builder makes it (the
 * decoder then shows the call as it is).
 */
export function describeAttestation(key: string, a: Result, addresses: AttestationAddresses): AttestationCall | null {
  const call = (action: string, summary: string, args: Record<string, unknown>) => ({ action, summary, args });
  const provenanceSchema =
    addresses.provenance === undefined ? undefined : schemaUID(PROVENANCE_SCHEMA, addresses.provenance);
  switch (key) {
    case "eas.attest": {
      const [schema, request] = [a[0][0] as string, a[0][1] as Result];
      if (schema !== provenanceSchema) return null;
      const [recipient, expirationTime, revocable, refUID, data, value] = request;
      if (value !== 0n) return null;
      let p;
      try {
        p = decodeProvenance(data);
      } catch {
        return null;
      }
      const kind = KIND_TEXT[p.kind] ?? `"${p.kind}" (a kind the resolver refuses)`;
      const terms = [
        revocable ? "revocable by vote" : "irrevocable",
        ...(expirationTime === 0n ? [] : [`expiring at ${expirationTime}`]),
        ...(recipient === ZeroAddress ? [] : [`recipient ${recipient}`]),
        ...(refUID === ZeroHash ? [] : [`referring to ${refUID}`]),
      ];
      return call(
        "attest-provenance",
        `attest on EAS, as the treasury, to ${kind} of model #${p.modelId}'s version ${p.manifestHash} at ${p.uri || "(no URI)"} (${terms.join(", ")})`,
        { modelId: p.modelId, manifestHash: p.manifestHash, kind: p.kind, uri: p.uri, revocable },
      );
    }
    case "eas.revoke": {
      const [schema, request] = [a[0][0] as string, a[0][1] as Result];
      if (schema !== provenanceSchema || request[1] !== 0n) return null;
      return call("revoke-provenance", `revoke the treasury's provenance attestation ${request[0]} on EAS`, {
        uid: request[0],
      });
    }
    case "provenance.setEvaluator":
      return call(
        "set-evaluator",
        a[2]
          ? `name ${a[1]} an evaluator of model #${a[0]}: it may attest provenance and evaluations of the model's versions without a vote`
          : `drop ${a[1]} as an evaluator of model #${a[0]} (what it attested stays until it revokes it)`,
        { modelId: a[0], evaluator: a[1], allowed: a[2] },
      );
  }
  return null;
}
