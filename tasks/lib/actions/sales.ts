/**
 * `ws propose` actions on primary sales of the treasury's fractions:
 * - open-sale --amount N --price P [--end-price P] [--token T] [--opens TIME] --closes TIME: lets the FractionSales
 *   contract move the treasury's fractions and opens a sale of N of them, at a fixed price, or at a price falling
 *   linearly from --price to --end-price. Proceeds go straight to the treasury; unsold fractions never leave it.
 * - stop-sale --sale-id N
 */
import type { SaleTerms } from "../../../client/sales.js";
import { openSale, stopSale } from "../../../governance/index.js";
import type { Model } from "../../../sdk/index.js";
import type { IFractionSales } from "../../../types/ethers-contracts/index.js";
import { confirm, TaskInputError, uint } from "../cli.js";
import { chainNow, type Context } from "../context.js";
import { salesOf } from "../raises.js";
import { tokenArg } from "../tokens.js";
import { formatAmount, timeText } from "../units.js";
import type { Build, ProposeArgs } from "./common.js";
import { earliestExecution, positiveAmount, timeArg } from "./raises.js";

const U64 = 2n ** 64n - 1n;

/** Builds and checks the terms of `ws propose --action open-sale`. */
export async function saleTermsArgs(ctx: Context, m: Model, args: ProposeArgs): Promise<SaleTerms> {
  const token = await tokenArg(ctx, args.token);
  if (args.amount === "") throw new TaskInputError("--amount: expected how many treasury fractions to sell");
  const amount = uint("amount", args.amount, U64);
  if (amount === 0n) throw new TaskInputError("--amount: expected at least 1 fraction, got 0");
  const startPrice = positiveAmount("price", args.price, token, "the price of one fraction");
  const endPrice =
    args.endPrice === ""
      ? startPrice
      : positiveAmount("end-price", args.endPrice, token, "the price of one fraction when the sale ends");
  if (endPrice > startPrice) {
    throw new TaskInputError(
      `--end-price: a sale's price never rises; expected at most --price (${formatAmount(startPrice, token)}), got ${formatAmount(endPrice, token)}`,
    );
  }
  const now = await chainNow(ctx);
  const startsAt = timeArg("opens", args.opens === "" ? "now" : args.opens, now);
  if (args.closes === "") throw new TaskInputError("--closes: expected when the sale ends, e.g. +14d or 2027-01-31");
  const endsAt = timeArg("closes", args.closes, now);
  if (endsAt <= startsAt) {
    throw new TaskInputError(`--closes: expected after the opening (${timeText(startsAt)}), got ${timeText(endsAt)}`);
  }
  const executable = await earliestExecution(ctx, m);
  if (endsAt <= executable) {
    throw new TaskInputError(
      `--closes: the sale would end at ${timeText(endsAt)}, before this proposal can be executed (${timeText(executable)} at the earliest); expected a later time`,
    );
  }
  const held = await ctx.shares.balanceOf(await m.timelock.getAddress(), m.modelId);
  if (held < amount) {
    confirm(
      args,
      "amount",
      `the treasury holds ${held} fractions of model #${m.modelId} and the sale offers ${amount}: purchases beyond what it holds when they are made will be refused (issue fractions to the treasury first: ws propose --action issue-fractions)`,
    );
  }
  return { modelId: m.modelId, token: token.address, startPrice, endPrice, amount, startsAt, endsAt };
}

/** `--sale-id`: an existing sale, 1..saleCount. */
export async function saleIdArg(sales: IFractionSales, value: string, option = "sale-id"): Promise<bigint> {
  if (value === "") throw new TaskInputError(`--${option}: expected a sale id (ws sell-fractions lists them)`);
  const id = uint(option, value);
  const count = await sales.saleCount();
  if (id === 0n || id > count) {
    throw new TaskInputError(
      count === 0n
        ? `--${option}: no sale has been opened yet, got ${value}`
        : `--${option}: expected an existing sale id (1..${count}), got ${value}`,
    );
  }
  return id;
}

export const SALE_ACTIONS: Record<string, Build> = {
  "open-sale": async (ctx, m, args) => {
    const sales = await salesOf(ctx);
    const terms = await saleTermsArgs(ctx, m, args);
    return openSale({ shares: ctx.shares, sales, terms, description: args.description });
  },

  "stop-sale": async (ctx, m, args) => {
    const sales = await salesOf(ctx);
    const saleId = await saleIdArg(sales, args.saleId);
    const [terms, state] = await Promise.all([sales.sale(saleId), sales.saleState(saleId)]);
    if (terms.modelId !== m.modelId) {
      throw new TaskInputError(
        `--sale-id: sale #${saleId} sells fractions of model #${terms.modelId}, not #${m.modelId}`,
      );
    }
    if (state.stopped) throw new TaskInputError(`--sale-id: sale #${saleId} is stopped already`);
    if (state.sold >= terms.amount) confirm(args, "sale-id", `sale #${saleId} is sold out already`);
    else if ((await chainNow(ctx)) >= terms.endsAt) {
      confirm(args, "sale-id", `sale #${saleId} ended at ${timeText(terms.endsAt)}; nothing can be bought from it`);
    }
    return stopSale({ sales, saleId, description: args.description });
  },
};
