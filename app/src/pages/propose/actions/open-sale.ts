/**
 * Opening a sale of treasury fractions (tasks/lib/actions/sales.ts `open-sale`): its terms checked as the task checks
 * them, with the same sentences naming the form's fields, then built by governance/funding.ts (the approval, then
 * `open`).
 */
import { openSale } from "../../../../../governance/funding.ts";
import type { IFractionSales, ModelShares } from "../../../../../types/ethers-contracts/index.ts";
import { fractionSalesAbi, modelSharesAbi } from "../../../generated.ts";
import type { ActionSpec } from "../action.ts";
import { handle, read } from "../chain.ts";
import { bad, timeText, uint } from "../fields.ts";
import { clock, closes, contract, GROUP, OPENS, reader, TOKEN, U64, units } from "./open-terms.ts";

/** `open-sale`. */
export const OPEN_SALE: ActionSpec = {
  id: "open-sale",
  label: "Open a sale of treasury fractions",
  group: GROUP,
  available: (d) => d.sales !== undefined,
  fields: [
    { name: "amount", label: "Fractions to sell", help: "How many of the treasury's fractions the sale offers." },
    { name: "price", label: "Price per fraction", help: "In the payment token's units, such as 0.01." },
    {
      name: "endPrice",
      label: "End price",
      optional: true,
      help: "For a falling price: the price when the sale ends. Empty: a fixed price.",
    },
    TOKEN,
    OPENS,
    closes("sale"),
  ],
  async build(ctx, values, description, warn) {
    const r = reader(ctx, this.fields, values);
    const sales = contract(ctx, r.f("amount"), "sales", "FractionSales");
    const token = await r.token();
    if (r.raw("amount") === "") bad(r.f("amount"), "expected how many treasury fractions to sell");
    const n = uint(r.f("amount"), r.raw("amount"), U64);
    if (n === 0n) bad(r.f("amount"), "expected at least 1 fraction, got 0");
    const startPrice = r.positive("price", token, "the price of one fraction");
    const endPrice =
      r.raw("endPrice") === ""
        ? startPrice
        : r.positive("endPrice", token, "the price of one fraction when the sale ends");
    if (endPrice > startPrice) {
      bad(
        r.f("endPrice"),
        `a sale's price never rises; expected at most the price (${units(startPrice, token)}), got ${units(endPrice, token)}`,
      );
    }
    const { now, executable } = await clock(ctx);
    const startsAt = r.at("opens", now, "now");
    if (r.raw("closes") === "") bad(r.f("closes"), "expected when the sale ends, e.g. +14d or 2027-01-31");
    const endsAt = r.at("closes", now);
    if (endsAt <= startsAt) {
      bad(r.f("closes"), `expected after the opening (${timeText(startsAt)}), got ${timeText(endsAt)}`);
    }
    if (endsAt <= executable) {
      bad(
        r.f("closes"),
        `the sale would end at ${timeText(endsAt)}, before this proposal can be executed (${timeText(executable)} at the earliest); expected a later time`,
      );
    }
    const held = await read<bigint>(ctx, ctx.deployment.shares, modelSharesAbi, "balanceOf", [
      ctx.model.timelock,
      ctx.modelId,
    ]);
    if (held < n) {
      warn(
        `the treasury holds ${held} fractions of model #${ctx.modelId} and the sale offers ${n}: purchases beyond what it holds when they are made will be refused (issue fractions to the treasury first)`,
      );
    }
    return openSale({
      shares: handle<ModelShares>(modelSharesAbi, ctx.deployment.shares),
      sales: handle<IFractionSales>(fractionSalesAbi, sales),
      terms: { modelId: ctx.modelId, token: token.address, startPrice, endPrice, amount: n, startsAt, endsAt },
      description,
    });
  },
};
