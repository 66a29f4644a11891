/**
 * `ws renew --licence-id L --max-price AMOUNT`: renews a licence at its offer's current price, in the offer's token
 * (`--max-price` in its units, `0.1` ETH or `12.5` USDC; an ERC-20 is approved for exactly the price when needed),
 * to what the offer gives now (more time, more credits). Anyone may pay for any licence: renewing one the signer
 * does not hold pays for someone else's, so the task warns and needs `--force`. An offer off sale, or a renewal
 * that would give nothing, is the contract's refusal in plain words, with nothing sent.
 */
import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, confirm, output } from "./lib/cli.js";
import { context, licenceId, type CommonArgs } from "./lib/context.js";
import { licenceText, maxPriceArg } from "./lib/licence-payment.js";
import { approvalText, pay } from "./lib/payment.js";
import { money } from "./lib/tokens.js";
import { parseAmount, tokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  licenceId: string;
  maxPrice: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const id = await licenceId(ctx, args.licenceId);
  const l = await ctx.licenses.licence(id);
  const [termsId, , , onSale] = await ctx.licenses.offer(l.modelId, l.offerId);
  const t = await ctx.licenses.terms(termsId);
  const token = await tokenInfo(ctx, t.paymentToken);
  // Off sale: the price does not matter, the contract's refusal says why (sent nothing).
  const maxPrice = onSale
    ? maxPriceArg(args.maxPrice, t.price, token, `renewing licence #${id}`)
    : parseAmount("max-price", args.maxPrice === "" ? "0" : args.maxPrice, token);
  const payer = ctx.safe ?? ctx.signer.address;
  const owner = await ctx.licenses.ownerOf(id);
  if (owner !== payer) {
    confirm(
      args,
      "licence-id",
      `${payer} does not hold licence #${id} (${owner} does): renewing pays for their licence`,
    );
  }
  const { receipt, approved } = await pay(ctx, token, t.price, {
    contract: ctx.licenses,
    method: "renew",
    args: [id, maxPrice],
    argument: "licence-id",
    funds: "signer",
  });
  const after = await ctx.licenses.licence(id);
  const renewed = receipt?.logs
    .filter((log) => log.address === getAddress(ctx.deployment.licenses))
    .map((log) => ctx.licenses.interface.parseLog(log))
    .find((e) => e?.name === "LicenceRenewed");
  const paid = money((renewed?.args.price as bigint | undefined) ?? t.price, token);
  output(
    args.json,
    {
      licenceId: id,
      owner,
      payer,
      paid,
      expiry: after.expiry,
      credits: after.credits,
      metered: after.metered,
      ...(approved === undefined ? {} : { approved }),
    },
    () =>
      approvalText(approved, "the licence manager", "price") +
      `renewed licence #${id} of ${owner}, paying ${paid.formatted}: ${licenceText(after)}`,
  );
});
