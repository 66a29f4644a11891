/**
 * The treasury's attestations on EAS (tasks/lib/actions/attestations.ts): attest to a model version's provenance,
 * revoke such an attestation, name or drop an evaluator. Offered when the deployment names EAS and the provenance
 * resolver; checked as the resolver and EAS will check, with the tasks' sentences naming the form's fields.
 */
import { zeroAddress, zeroHash, type Address } from "viem";

import {
  decodeProvenance,
  PROVENANCE_KINDS,
  provenanceProblem,
  PROVENANCE_SCHEMA,
  schemaUID,
} from "../../../../../client/attestations.ts";
import { attestProvenance, revokeProvenance, setEvaluator } from "../../../../../governance/attestations.ts";
import type { EAS, ProvenanceResolver } from "../../../../../types/ethers-contracts/index.ts";
import type { AppDeployment } from "../../../config.ts";
import { easAbi, provenanceResolverAbi } from "../../../generated.ts";
import { field, valueOf, type ActionSpec, type FieldSpec } from "../action.ts";
import { handle, read, type ProposeContext } from "../chain.ts";
import { address, bad } from "../fields.ts";

const GROUP = "Attestations";
const available = (d: AppDeployment) => d.eas !== undefined && d.provenanceResolver !== undefined;

/** EAS, the provenance resolver, and the provenance schema's UID (the one the resolver registered). */
function contracts(ctx: ProposeContext, f: FieldSpec) {
  const { eas, provenanceResolver } = ctx.deployment;
  if (eas === undefined || provenanceResolver === undefined) {
    return bad(f, "this deployment names no EAS and provenance resolver (the app's config.json lacks them)");
  }
  return {
    eas: handle<EAS>(easAbi, eas),
    provenance: handle<ProvenanceResolver>(provenanceResolverAbi, provenanceResolver),
    schema: schemaUID(PROVENANCE_SCHEMA, provenanceResolver),
    easAddress: eas,
    resolverAddress: provenanceResolver,
  };
}

interface EasAttestation {
  uid: string;
  schema: string;
  revocationTime: bigint;
  attester: Address;
  data: `0x${string}`;
}

const FIELD_OF: Record<string, string> = { "manifest-hash": "manifestHash", kind: "kind", uri: "uri" };

export const ATTESTATION_ACTIONS: ActionSpec[] = [
  {
    id: "attest-provenance",
    label: "Attest to a version's provenance",
    group: GROUP,
    available,
    fields: [
      { name: "manifestHash", label: "Manifest hash", help: "The model version's manifest hash (32 bytes, 0x…)." },
      {
        name: "kind",
        label: "Kind",
        kind: "select",
        options: PROVENANCE_KINDS.map((k) => [k, k] as const),
        initial: PROVENANCE_KINDS[0],
      },
      {
        name: "uri",
        label: "Evidence URI",
        help: "Where the evidence is: training data sources, evaluation results, the model card.",
      },
    ],
    async build(ctx, values, description) {
      const fields = this.fields;
      const c = contracts(ctx, field(fields, "manifestHash"));
      const manifestHash = valueOf(fields, values, "manifestHash", "the model version's manifest hash (32 bytes, 0x…)");
      const kind = (values.kind ?? PROVENANCE_KINDS[0]).trim();
      const uri = valueOf(
        fields,
        values,
        "uri",
        "where the evidence is (training data sources, evaluation results, model card)",
      );
      const problem = provenanceProblem({ manifestHash, kind, uri });
      if (problem !== null) bad(field(fields, FIELD_OF[problem[0]] ?? "uri"), `expected ${problem[1]}`);
      return attestProvenance({
        eas: c.eas,
        provenanceSchema: c.schema,
        attestation: { modelId: ctx.modelId, manifestHash: manifestHash.toLowerCase(), kind, uri },
        description,
      });
    },
  },
  {
    id: "revoke-provenance",
    label: "Revoke a provenance attestation",
    group: GROUP,
    available,
    fields: [{ name: "uid", label: "Attestation UID", help: "The attestation's UID on EAS (32 bytes, 0x…)." }],
    async build(ctx, values, description, warn) {
      const f = field(this.fields, "uid");
      const c = contracts(ctx, f);
      const raw = valueOf(this.fields, values, "uid", "the attestation's UID (32 bytes, 0x…)");
      if (!/^0x[0-9a-fA-F]{64}$/.test(raw)) {
        bad(f, `expected an attestation UID (32 bytes, 0x followed by 64 hex digits), got "${raw}"`);
      }
      const uid = raw.toLowerCase() as `0x${string}`;
      const a = await read<EasAttestation>(ctx, c.easAddress, easAbi, "getAttestation", [uid]);
      if (a.uid === zeroHash) bad(f, `EAS has no attestation ${uid}`);
      if (a.schema.toLowerCase() !== c.schema.toLowerCase()) {
        bad(f, `attestation ${uid} is not a provenance attestation, it is of schema ${a.schema}`);
      }
      if (a.revocationTime !== 0n) bad(f, `provenance attestation ${uid} is revoked already`);
      if (a.attester.toLowerCase() !== ctx.model.timelock.toLowerCase()) {
        bad(
          f,
          `provenance attestation ${uid} was made by ${a.attester}, not by the treasury of model #${ctx.modelId} (${ctx.model.timelock}); only its attester revokes it`,
        );
      }
      const about = decodeProvenance(a.data).modelId;
      if (about !== ctx.modelId) warn(`attestation ${uid} is about model #${about}, not #${ctx.modelId}`);
      return revokeProvenance({ eas: c.eas, provenanceSchema: c.schema, uid, description });
    },
  },
  {
    id: "set-evaluator",
    label: "Name or drop an evaluator",
    group: GROUP,
    available,
    fields: [
      { name: "to", label: "Evaluator", help: "Who attests provenance and evaluations of this model without a vote." },
      { name: "remove", label: "Drop this evaluator", kind: "checkbox", optional: true },
    ],
    async build(ctx, values, description, warn) {
      const f = field(this.fields, "to");
      const c = contracts(ctx, f);
      const evaluator = address(f, valueOf(this.fields, values, "to", "the evaluator to name (or to drop)"));
      if (evaluator === zeroAddress) bad(f, "the zero address cannot be an evaluator");
      const allowed = values.remove !== "yes";
      const named = await read<boolean>(ctx, c.resolverAddress, provenanceResolverAbi, "isEvaluator", [
        ctx.modelId,
        evaluator,
      ]);
      if (named === allowed) {
        warn(
          `${evaluator} is ${named ? "already" : "not"} an evaluator of model #${ctx.modelId}; this changes nothing`,
        );
      }
      return setEvaluator({ provenance: c.provenance, modelId: ctx.modelId, evaluator, allowed, description });
    },
  },
];
