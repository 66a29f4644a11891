/**
 * `ws access --model-id N --account ADDRESS [--licence-id L]`: what a gateway checks before serving a request: access,
 * the fractions held, the licence's liveness, expiry (ISO date and timestamp) and credits, what the UsageMeter has
 * settled and authorised of it and until when, and the model's operator.
 */
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output } from "./lib/cli.js";
import { context, licenceId, model, type CommonArgs } from "./lib/context.js";
import { fractionInfo } from "./lib/model-info.js";
import { formatAmount, timeText } from "./lib/units.js";

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
  const fractions = await ctx.shares.balanceOf(account, m.modelId);
  const data = {
    modelId: m.modelId,
    account,
    hasAccess: access,
    fractions,
    fractionsText: formatAmount(fractions, await fractionInfo(m)),
    operator: await ctx.meter.operatorOf(m.modelId),
    licence:
      licence === null || usage === null
        ? null
        : {
            licenceId: id,
            live: await ctx.licenses.isLive(id),
            expiry: licence.expiry,
            expiryText: licence.expiry === 0n ? "perpetual" : timeText(licence.expiry),
            credits: licence.credits,
            metered: licence.metered,
            settled: usage.settled,
            authorisedCap: usage.cap,
            authorisedUntil: usage.capDeadline,
            authorisedUntilText: usage.capDeadline === 0n ? "" : timeText(usage.capDeadline),
          },
  };
  const l = data.licence;
  output(
    args.json,
    data,
    () =>
      `${account} ${access ? "HAS" : "has NO"} access to model #${m.modelId}` +
      (fractions === 0n ? "" : ` (holds ${data.fractionsText})`) +
      (l === null
        ? ""
        : ` (licence #${id}: ${l.live ? "live" : "not live"}, ${l.expiry === 0n ? "perpetual" : `expires ${l.expiryText}`}, ` +
          `${l.metered ? `${l.credits} credits left` : "unmetered"}, ${l.settled} credits settled, ` +
          `${l.authorisedUntil === 0n ? "no receipt verified yet" : `receipts authorise up to ${l.authorisedCap} credits until ${l.authorisedUntilText}`})`) +
      `; operator ${data.operator === ZeroAddress ? "not named" : data.operator}`,
  );
});
