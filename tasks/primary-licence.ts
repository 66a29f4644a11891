/**
 * `ws primary-licence --licence-id L [--model-id N]`: makes licence L the signer's primary licence for its model, the
 * one access is checked against (LicenseManager.usePrimaryLicence). An account holding several licences of a model
 * chooses which one gateways look at.
 *
 * Refused before sending: a licence of another model than `--model-id`, or one the signer does not hold. A licence
 * that has lapsed (expired, or out of credits) would take the account's access away, and one that is already the
 * primary changes nothing: both only with `--force`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, confirm, output, TaskInputError } from "./lib/cli.js";
import { actor, chainNow, context, licenceId, model, requireHolder, type CommonArgs } from "./lib/context.js";
import { lapsed, licenceInfo } from "./lib/licences.js";
import { send } from "./lib/send.js";

interface Args extends CommonArgs {
  modelId: string;
  licenceId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.licenceId === "") throw new TaskInputError("--licence-id: expected the licence to use as primary");
  const ctx = await context(hre, args);
  const id = await licenceId(ctx, args.licenceId);
  const { account } = actor(ctx);
  const l = await licenceInfo(ctx, id, await chainNow(ctx));
  if (args.modelId !== "") {
    const m = await model(ctx, args.modelId);
    if (m.modelId !== l.modelId) {
      throw new TaskInputError(
        `--licence-id: licence #${id} is a licence of model #${l.modelId}, not model #${m.modelId}`,
      );
    }
  }
  requireHolder(ctx, id, l.holder);
  if (l.primary) {
    confirm(args, "licence-id", `licence #${id} is already the primary licence of ${account} for model #${l.modelId}`);
  }
  if (!l.live) {
    confirm(
      args,
      "licence-id",
      `${lapsed(l)}: as primary it gives ${account} no access to model #${l.modelId} (renew it first: ws renew --licence-id ${id})`,
    );
  }
  const receipt = await send(ctx, ctx.licenses, "usePrimaryLicence", [id], { argument: "licence-id" });
  const data = {
    modelId: l.modelId,
    account,
    licenceId: id,
    hasAccess: await ctx.licenses.hasAccess(l.modelId, account),
    access: l.access,
    expiry: l.expiry,
    expiryText: l.expiryText,
    transactionHash: receipt?.hash,
  };
  output(
    args.json,
    data,
    () =>
      `licence #${id} is now the primary licence of ${account} for model #${l.modelId} (${l.access}, ${l.creditsText}, ` +
      `${l.expiry === 0n ? "perpetual" : `expires ${l.expiryText}`}); ${account} ${data.hasAccess ? "has" : "has NO"} access`,
  );
});
