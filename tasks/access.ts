/**
 * `ws access --model-id N --account ADDRESS [--licence-id L]`: what a gateway checks before serving a request: access,
 * the licence's liveness and credits, what the UsageMeter has settled and authorised of it, and the model's operator.
 */
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output } from "./lib/cli.js";
import { context, licenceId, model, type CommonArgs } from "./lib/context.js";

interface Args extends CommonArgs {
  modelId: string;
  account: string;
  licenceId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const account = address("account", args.account);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const access = await ctx.licenses.hasAccess(m.modelId, account);
  const id =
    args.licenceId === ""
      ? await ctx.licenses.primaryLicence(m.modelId, account)
      : await licenceId(ctx, args.licenceId);
  const licence = id === 0n ? null : await ctx.licenses.licence(id);
  const usage = id === 0n ? null : await ctx.meter.usageOf(id);
  const data = {
    modelId: m.modelId,
    account,
    hasAccess: access,
    fractions: await ctx.shares.balanceOf(account, m.modelId),
    operator: await ctx.meter.operatorOf(m.modelId),
    licence:
      licence === null || usage === null
        ? null
        : {
            licenceId: id,
            live: await ctx.licenses.isLive(id),
            expiry: licence.expiry,
            credits: licence.credits,
            metered: licence.metered,
            settled: usage.settled,
            authorisedCap: usage.cap,
            authorisedUntil: usage.capDeadline,
          },
  };
  output(
    args.json,
    data,
    () =>
      `${account} ${access ? "HAS" : "has NO"} access to model #${m.modelId}` +
      (data.licence === null
        ? ""
        : ` (licence #${id}: ${data.licence.live ? "live" : "not live"}, ${data.licence.metered ? `${data.licence.credits} credits` : "unmetered"}, ${data.licence.settled} settled, ${data.licence.authorisedUntil === 0n ? "no receipt verified yet" : `receipts authorise up to ${data.licence.authorisedCap} until ${data.licence.authorisedUntil}`})`) +
      `; operator ${data.operator === ZeroAddress ? "not named" : data.operator}`,
  );
});
