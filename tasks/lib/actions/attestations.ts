/**
 * `ws propose` actions on a model's attestations on the Ethereum Attestation Service:
 * - attest-provenance --manifest-hash 0x… --kind training-data|evaluation|model-card --uri URI: the treasury
 *   attests, as itself, to what the model version's manifest hash stands for (revocable, by vote).
 * - revoke-provenance --uid 0x…: the treasury revokes a provenance attestation it made.
 * - set-evaluator --to ADDRESS [--remove]: names an evaluator of the model, who then attests provenance and
 *   evaluations without a vote (`ws attest --manifest-hash ...`), or drops one (what it attested stays).
 * Every argument is checked as the resolver and EAS will check it, so a proposal that could not run is not filed.
 */
import { ZeroAddress } from "ethers";

import { decodeProvenance } from "../../../client/attestations.js";
import { attestProvenance, revokeProvenance, setEvaluator } from "../../../governance/index.js";
import { address, confirm, TaskInputError } from "../cli.js";
import { attestationsOf, liveAttestation, provenanceArgs, uidArg } from "../attestations.js";
import type { Build } from "./common.js";

export const ATTESTATION_ACTIONS: Record<string, Build> = {
  "attest-provenance": async (ctx, m, args) => {
    const c = await attestationsOf(ctx);
    const attestation = provenanceArgs(m.modelId, args);
    return attestProvenance({
      eas: c.eas,
      provenanceSchema: c.provenanceSchema,
      attestation,
      description: args.description,
    });
  },

  "revoke-provenance": async (ctx, m, args) => {
    const uid = uidArg(args.uid);
    const c = await attestationsOf(ctx);
    const a = await liveAttestation(c, uid, c.provenanceSchema, "provenance attestation");
    const treasury = await m.timelock.getAddress();
    if (a.attester !== treasury) {
      throw new TaskInputError(
        `--uid: provenance attestation ${uid} was made by ${a.attester}, not by the treasury of model #${m.modelId} (${treasury}); only its attester revokes it`,
      );
    }
    const about = decodeProvenance(a.data).modelId;
    if (about !== m.modelId) confirm(args, "uid", `attestation ${uid} is about model #${about}, not #${m.modelId}`);
    return revokeProvenance({ eas: c.eas, provenanceSchema: c.provenanceSchema, uid, description: args.description });
  },

  "set-evaluator": async (ctx, m, args) => {
    if (args.to === "") throw new TaskInputError("--to: expected the evaluator to name (or to drop, with --remove)");
    const evaluator = address("to", args.to);
    if (evaluator === ZeroAddress) throw new TaskInputError("--to: the zero address cannot be an evaluator");
    const c = await attestationsOf(ctx);
    const allowed = args.remove !== true;
    const named = await c.provenance.isEvaluator(m.modelId, evaluator);
    if (named === allowed) {
      confirm(
        args,
        "to",
        `${evaluator} is ${named ? "already" : "not"} an evaluator of model #${m.modelId}; this changes nothing`,
      );
    }
    return setEvaluator({
      provenance: c.provenance,
      modelId: m.modelId,
      evaluator,
      allowed,
      description: args.description,
    });
  },
};
