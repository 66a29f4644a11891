/** `ws buy --model-id N --offer-id O --max-price AMOUNT [--recipient ADDRESS]`: buys a licence (ETH or ERC-20). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output, TaskInputError } from "./lib/cli.js";
import { context, model, offerId as checkedOfferId, type CommonArgs } from "./lib/context.js";
import { approvePayment, price } from "./lib/money.js";

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
  const maxPrice = await price(ctx, "max-price", args.maxPrice, t.paymentToken);
  if (t.price > maxPrice)
    throw new TaskInputError(`--max-price: the offer costs ${t.price}, above your maximum ${maxPrice}`);
  const recipient = args.recipient === "" ? ctx.signer.address : address("recipient", args.recipient);
  const value = await approvePayment(ctx, t.paymentToken, t.price);
  const licenceId = await ctx.licenses.purchase.staticCall(m.modelId, offerId, recipient, maxPrice, { value });
  await (await ctx.licenses.purchase(m.modelId, offerId, recipient, maxPrice, { value })).wait();
  const l = await ctx.licenses.licence(licenceId);
  const data = {
    licenceId,
    modelId: m.modelId,
    offerId,
    recipient,
    price: t.price,
    expiry: l.expiry,
    credits: l.credits,
  };
  output(
    args.json,
    data,
    () =>
      `bought licence #${licenceId} of model #${m.modelId} for ${recipient}: ${l.metered ? `${l.credits} credits` : "unmetered"}, ${l.expiry === 0n ? "perpetual" : `expires ${l.expiry}`}`,
  );
});
