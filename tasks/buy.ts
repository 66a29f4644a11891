/**
 * `ws buy --model-id N --offer-id O --max-price AMOUNT [--recipient ADDRESS]`: buys a licence at the offer's price,
 * in ETH or in the ERC-20 the offer is priced in. `--max-price` is in that token's units (`0.1` ETH, `12.5` USDC)
 * and protects against a price vote landing first; an ERC-20 is approved for exactly the price when needed. A
 * derivative licence's terms (the parent's share of a derivative's revenue, the derivative's price floor) are shown
 * with the licence: what registering a model with it (`ws derive`) will mean.
 */
import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output, TaskInputError } from "./lib/cli.js";
import { context, model, offerId as checkedOfferId, type CommonArgs } from "./lib/context.js";
import { licenceText, maxPriceArg } from "./lib/licence-payment.js";
import { derivativeTerms, derivativeTermsText } from "./lib/lineage.js";
import { approvalText, pay } from "./lib/payment.js";
import { money } from "./lib/tokens.js";
import { tokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  offerId: string;
  maxPrice: string;
  recipient: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const offerId = await checkedOfferId(ctx, m.modelId, args.offerId);
  const [termsId, cap, sold, onSale] = await ctx.licenses.offer(m.modelId, offerId);
  if (!onSale) throw new TaskInputError(`--offer-id: offer ${offerId} is not on sale`);
  if (cap !== 0n && sold >= cap) throw new TaskInputError(`--offer-id: offer ${offerId} is sold out (${cap})`);
  const t = await ctx.licenses.terms(termsId);
  const token = await tokenInfo(ctx, t.paymentToken);
  const maxPrice = maxPriceArg(args.maxPrice, t.price, token, "the offer");
  const recipient = args.recipient === "" ? (ctx.safe ?? ctx.signer.address) : address("recipient", args.recipient);
  const { receipt, approved } = await pay(ctx, token, t.price, {
    contract: ctx.licenses,
    method: "purchase",
    args: [m.modelId, offerId, recipient, maxPrice],
    argument: "offer-id",
    funds: "signer",
  });
  const bought = receipt?.logs
    .filter((log) => log.address === getAddress(ctx.deployment.licenses))
    .map((log) => ctx.licenses.interface.parseLog(log))
    .find((e) => e?.name === "LicencePurchased");
  if (bought == null) throw new TaskInputError("--offer-id: the purchase was mined but recorded no licence");
  const licenceId = bought.args.licenceId as bigint;
  const l = await ctx.licenses.licence(licenceId);
  const paid = money(bought.args.price as bigint, token);
  const derivatives = derivativeTerms(t, token);
  output(
    args.json,
    {
      licenceId,
      modelId: m.modelId,
      offerId,
      recipient,
      price: paid.amount,
      paid,
      expiry: l.expiry,
      credits: l.credits,
      metered: l.metered,
      derivatives,
      ...(approved === undefined ? {} : { approved }),
    },
    () =>
      approvalText(approved, "the licence manager", "price") +
      `bought licence #${licenceId} of model #${m.modelId} for ${recipient}, paying ${paid.formatted}: ${licenceText(l)}` +
      (derivatives === null ? "" : `; ${derivativeTermsText(derivatives)}`),
  );
});
