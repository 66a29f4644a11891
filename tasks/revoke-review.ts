/**
 * `ws revoke-review --uid 0x…`: its author revokes a review on the Ethereum Attestation Service (EAS lets only the
 * attester revoke). The review stays on EAS, marked revoked, and no longer counts in `ws reviews`' average; the
 * licence it was written with may be used for a new review. Refused before sending: an unknown UID, an attestation
 * that is not a review, one revoked already, and one the signer did not write.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { decodeReview, revocationRequest } from "../client/attestations.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { actor, context, type CommonArgs } from "./lib/context.js";
import { attestationsOf, liveAttestation, uidArg } from "./lib/attestations.js";
import { send } from "./lib/send.js";

interface Args extends CommonArgs {
  uid: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const uid = uidArg(args.uid);
  const ctx = await context(hre, args);
  const c = await attestationsOf(ctx);
  const a = await liveAttestation(c, uid, c.reviewSchema, "review");
  const { account, option } = actor(ctx);
  if (a.attester !== account) {
    throw new TaskInputError(
      `--${option}: ${account} did not write review ${uid} (${a.attester} did); only its author revokes it`,
    );
  }
  const review = decodeReview(a.data);
  const receipt = await send(ctx, c.eas, "revoke", [revocationRequest(c.reviewSchema, uid)], { argument: "uid" });
  const data = {
    uid,
    modelId: review.modelId,
    licenceId: review.licenceId,
    rating: review.rating,
    author: account,
    licenceFree: (await c.reviews.reviewOf(review.licenceId)) !== uid,
    transactionHash: receipt!.hash,
  };
  output(
    args.json,
    data,
    () =>
      `revoked review ${uid} of model #${data.modelId} (${data.rating}/5, licence #${data.licenceId}); ` +
      `licence #${data.licenceId} may be used for a new review`,
  );
});
