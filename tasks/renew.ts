/** `ws renew --licence-id L --max-price AMOUNT`: renews a licence at its offer's current price. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, licenceId, type CommonArgs } from "./lib/context.js";
import { approvePayment, price } from "./lib/money.js";

interface Args extends CommonArgs {
  licenceId: string;
  maxPrice: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const id = await licenceId(ctx, args.licenceId);
  const l = await ctx.licenses.licence(id);
  const [termsId, , , onSale] = await ctx.licenses.offer(l.modelId, l.offerId);
  if (!onSale) throw new TaskInputError(`--licence-id: its offer ${l.offerId} is no longer on sale`);
  const t = await ctx.licenses.terms(termsId);
  const maxPrice = await price(ctx, "max-price", args.maxPrice, t.paymentToken);
  if (t.price > maxPrice)
    throw new TaskInputError(`--max-price: renewal costs ${t.price}, above your maximum ${maxPrice}`);
  const value = await approvePayment(ctx, t.paymentToken, t.price);
  await (await ctx.licenses.renew(id, maxPrice, { value })).wait();
  const after = await ctx.licenses.licence(id);
  output(
    args.json,
    { licenceId: id, expiry: after.expiry, credits: after.credits },
    () => `renewed licence #${id}: expires ${after.expiry}, ${after.credits} credits`,
  );
});
