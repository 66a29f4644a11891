/**
 * `ws buy-fractions --sale-id N --amount A --max-price P [--to ADDRESS]`: buys A treasury fractions from a sale at
 * its current price, refused by the contract above P a fraction (in the sale's token: `0.01` ETH, `12.5` USDC), so
 * a vote or a price change landing first cannot make you pay more. ETH goes with the call (the cost at the price
 * now; a falling price only lowers it and the contract returns the rest); an ERC-20 is approved for exactly the
 * cost when the allowance is short. The fractions go to `--to` (default: you) and vote from then on.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { saleIdArg } from "./lib/actions/sales.js";
import { action, address, output, TaskInputError, uint } from "./lib/cli.js";
import { actor, context, type CommonArgs } from "./lib/context.js";
import { approvalText, pay } from "./lib/payment.js";
import { salesOf } from "./lib/raises.js";
import { saleView } from "./lib/sales.js";
import { money } from "./lib/tokens.js";
import { formatAmount, parseAmount, timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  saleId: string;
  amount: string;
  maxPrice: string;
  to: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.amount === "") throw new TaskInputError("--amount: expected how many fractions to buy");
  const amount = uint("amount", args.amount, 2n ** 64n - 1n);
  if (amount === 0n) throw new TaskInputError("--amount: expected at least 1 fraction, got 0");
  const given = args.to === "" ? undefined : address("to", args.to);
  const ctx = await context(hre, args);
  const sales = await salesOf(ctx);
  const saleId = await saleIdArg(sales, args.saleId);
  const v = await saleView(ctx, sales, saleId);
  const f = (value: bigint) => formatAmount(value, v.tokenInfo);
  if (args.maxPrice === "") {
    throw new TaskInputError(
      `--max-price: expected the most you will pay for one fraction, in ${v.tokenInfo.symbol} (${f(v.price)} now)`,
    );
  }
  const maxPrice = parseAmount("max-price", args.maxPrice, v.tokenInfo);
  if (v.status !== "Active") {
    const why = {
      Upcoming: `it opens at ${timeText(v.terms.startsAt)}`,
      Ended: `it ended at ${timeText(v.terms.endsAt)}`,
      Stopped: "it was stopped by vote",
      SoldOut: `all ${v.terms.amount} fractions were sold`,
      Active: "",
    }[v.status];
    throw new TaskInputError(`--sale-id: sale #${saleId} is ${v.status}: ${why}`);
  }
  if (amount > v.left) {
    throw new TaskInputError(`--amount: sale #${saleId} has ${v.left} fractions left, asked for ${amount}`);
  }
  if (v.price > maxPrice) {
    throw new TaskInputError(
      `--max-price: a fraction of sale #${saleId} costs ${f(v.price)} now, above your maximum ${f(maxPrice)}`,
    );
  }
  const { account: buyer, option } = actor(ctx);
  const to = given ?? buyer;
  const { receipt, approved } = await pay(ctx, v.tokenInfo, amount * v.price, {
    contract: sales,
    method: "buy",
    args: [saleId, amount, maxPrice, to],
    argument: "amount",
    funds: option,
  });
  const salesAddress = await sales.getAddress();
  const bought = receipt?.logs
    .filter((log) => log.address === salesAddress)
    .map((log) => sales.interface.parseLog(log))
    .find((e) => e?.name === "FractionsBought");
  if (bought == null) throw new TaskInputError("--sale-id: the purchase was mined but recorded nothing");
  const price = money(bought.args.price as bigint, v.tokenInfo);
  const paid = money(bought.args.paid as bigint, v.tokenInfo);
  output(
    args.json,
    {
      saleId,
      modelId: v.terms.modelId,
      buyer,
      to,
      amount: bought.args.amount as bigint,
      price,
      paid,
      ...(approved === undefined ? {} : { approved }),
    },
    () =>
      approvalText(approved, "the fraction sales contract", "amount") +
      `bought ${bought.args.amount} fractions of model #${v.terms.modelId} from sale #${saleId} at ${price.formatted} each, ` +
      `paying ${paid.formatted} to its treasury, for ${to}`,
  );
});
