/**
 * `ws attest`: an attestation about a model on the Ethereum Attestation Service, one of:
 * - a review, by a licensee: `--model-id N --licence-id L --rating 1-5 (--text T | --review-uri URI | both)`. The
 *   signer must own licence L of model N (a licence that expired still counts); one review per licence until its
 *   author revokes it (`ws revoke-review`). The rating is a whole number from 1 to 5; the text is at most 2,000
 *   bytes (a longer review belongs in a document, named by --review-uri, at most 512 bytes).
 * - provenance or an evaluation, by an evaluator the model's treasury named: `--model-id N --manifest-hash 0x…
 *   --kind training-data|evaluation|model-card --uri URI`. The manifest hash names the model version; the URI says
 *   where the evidence is. The treasury itself attests by vote: `ws propose --action attest-provenance`.
 * Every argument is checked as the resolver checks it, then the attestation is simulated before it is sent: a bad
 * one is one line naming the argument, and nothing is sent.
 */
import { ZeroHash } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  attestationRequest,
  attestedUID,
  encodeProvenance,
  encodeReview,
  MAX_RATING,
  MIN_RATING,
  reviewProblem,
  type AttestationContracts,
  type ReviewData,
} from "../client/attestations.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { actor, context, licenceId, model, requireHolder, type CommonArgs, type Context } from "./lib/context.js";
import { attestationsOf, provenanceArgs } from "./lib/attestations.js";
import { send } from "./lib/send.js";

interface Args extends CommonArgs {
  modelId: string;
  licenceId: string;
  rating: string;
  text: string;
  reviewUri: string;
  manifestHash: string;
  kind: string;
  uri: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const review = [args.licenceId, args.rating, args.text, args.reviewUri].some((v) => v !== "");
  const provenance = [args.manifestHash, args.kind, args.uri].some((v) => v !== "");
  if (review && provenance) {
    throw new TaskInputError(
      "--manifest-hash: a review (--licence-id, --rating, --text, --review-uri) and a provenance attestation (--manifest-hash, --kind, --uri) are separate attestations; give the options of one",
    );
  }
  if (!review && !provenance) {
    throw new TaskInputError(
      "--licence-id: expected a review (--licence-id L --rating 1-5 --text T) or a provenance attestation (--manifest-hash 0x… --kind K --uri U)",
    );
  }
  if (args.modelId === "") throw new TaskInputError("--model-id: expected the model the attestation is about");
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const c = await attestationsOf(ctx);
  const data = review ? await attestReview(ctx, c, m.modelId, args) : await attestProvenance(ctx, c, m.modelId, args);
  output(args.json, data, () =>
    "rating" in data
      ? `reviewed model #${data.modelId} with licence #${data.licenceId}: ${data.rating}/5 by ${data.attester}\n` +
        `  attestation ${data.uid} (revoke it with ws revoke-review --uid ${data.uid})`
      : `attested ${data.kind} of model #${data.modelId}'s version ${data.manifestHash} at ${data.uri} as evaluator ${data.attester}\n` +
        `  attestation ${data.uid}`,
  );
});

/** `--rating`: a whole number from 1 to 5. */
function rating(value: string): number {
  if (value === "") throw new TaskInputError(`--rating: expected a whole number from ${MIN_RATING} to ${MAX_RATING}`);
  if (!/^\d+$/.test(value) || Number(value) < MIN_RATING || Number(value) > MAX_RATING) {
    throw new TaskInputError(`--rating: expected a whole number from ${MIN_RATING} to ${MAX_RATING}, got "${value}"`);
  }
  return Number(value);
}

async function attestReview(ctx: Context, c: AttestationContracts, modelId: bigint, args: Args) {
  if (args.licenceId === "") {
    throw new TaskInputError(`--licence-id: expected the licence of model #${modelId} the review is written with`);
  }
  const id = await licenceId(ctx, args.licenceId);
  const licenceModel = (await ctx.licenses.licence(id)).modelId;
  if (licenceModel !== modelId) {
    throw new TaskInputError(`--licence-id: licence #${id} is a licence of model #${licenceModel}, not of #${modelId}`);
  }
  const r: ReviewData = {
    modelId,
    licenceId: id,
    rating: rating(args.rating),
    text: args.text,
    reviewURI: args.reviewUri,
  };
  const problem = reviewProblem(r);
  if (problem !== null) throw new TaskInputError(`--${problem[0]}: expected ${problem[1]}`);
  requireHolder(ctx, id, await ctx.licenses.ownerOf(id));
  const existing = await c.reviews.reviewOf(id);
  if (existing !== ZeroHash) {
    const author = (await c.eas.getAttestation(existing)).attester;
    const mine = author === actor(ctx).account;
    throw new TaskInputError(
      `--licence-id: licence #${id} has a review already (${existing}, by ${author}); one review per licence` +
        (mine ? `: revoke it first with ws revoke-review --uid ${existing}` : ", until its author revokes it"),
    );
  }
  const receipt = await send(ctx, c.eas, "attest", [attestationRequest(c.reviewSchema, encodeReview(r))], {
    argument: "licence-id",
  });
  return {
    uid: attestedUID(c.eas, receipt!),
    modelId,
    licenceId: id,
    rating: r.rating,
    text: r.text,
    reviewURI: r.reviewURI,
    attester: actor(ctx).account,
    schema: c.reviewSchema,
    transactionHash: receipt!.hash,
  };
}

async function attestProvenance(ctx: Context, c: AttestationContracts, modelId: bigint, args: Args) {
  const p = provenanceArgs(modelId, args);
  const { account, option } = actor(ctx);
  if (!(await c.provenance.isEvaluator(modelId, account))) {
    const treasury = await ctx.shares.treasuryOf(modelId);
    throw new TaskInputError(
      account === treasury
        ? `--${option}: ${account} is the treasury of model #${modelId}; it attests by vote: ws propose --action attest-provenance`
        : `--${option}: ${account} is not an evaluator of model #${modelId}; its treasury names evaluators by vote (ws propose --action set-evaluator) and attests itself by vote (ws propose --action attest-provenance)`,
    );
  }
  const receipt = await send(ctx, c.eas, "attest", [attestationRequest(c.provenanceSchema, encodeProvenance(p))], {
    argument: "manifest-hash",
  });
  return {
    uid: attestedUID(c.eas, receipt!),
    ...p,
    attester: account,
    schema: c.provenanceSchema,
    transactionHash: receipt!.hash,
  };
}
