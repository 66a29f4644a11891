/**
 * What `ws sell-fractions` and `ws buy-fractions` share: a sale of treasury fractions as the tasks show it (terms,
 * progress, the price now, in the token's units) and its lines of text.
 */
import { saleSummary, type SaleSummary } from "../../client/sales.js";
import type { IFractionSales } from "../../types/ethers-contracts/index.js";
import type { Context } from "./context.js";
import { money, type Money } from "./tokens.js";
import { formatAmount, timeText, tokenInfo, type TokenInfo } from "./units.js";

export interface SaleView extends SaleSummary {
  tokenInfo: TokenInfo;
  money: { price: Money; startPrice: Money; endPrice: Money; proceeds: Money };
}

export async function saleView(ctx: Context, sales: IFractionSales, saleId: bigint): Promise<SaleView> {
  const s = await saleSummary(sales, saleId);
  const info = await tokenInfo(ctx, s.terms.token);
  return {
    ...s,
    tokenInfo: info,
    money: {
      price: money(s.price, info),
      startPrice: money(s.terms.startPrice, info),
      endPrice: money(s.terms.endPrice, info),
      proceeds: money(s.proceeds, info),
    },
  };
}

/** A sale for `--json`: the view with its token as `token` (address, symbol, decimals). */
export function saleJson(v: SaleView) {
  const { tokenInfo: token, ...rest } = v;
  return { ...rest, token };
}

/** "0.01 ETH", or "falling from 0.02 ETH to 0.01 ETH". */
function priceText(v: SaleView): string {
  const f = (amount: bigint) => formatAmount(amount, v.tokenInfo);
  return v.terms.startPrice === v.terms.endPrice
    ? `${f(v.terms.startPrice)} a fraction`
    : `falling from ${f(v.terms.startPrice)} to ${f(v.terms.endPrice)} a fraction`;
}

/** The lines `ws sell-fractions --sale-id N` prints. */
export function saleLines(v: SaleView): string[] {
  const f = (amount: bigint) => formatAmount(amount, v.tokenInfo);
  return [
    `sale #${v.saleId} of model #${v.terms.modelId} treasury fractions: ${v.status}`,
    `  ${v.sold} of ${v.terms.amount} sold, ${v.left} left; ${priceText(v)}, ${f(v.price)} now`,
    `  open ${timeText(v.terms.startsAt)} to ${timeText(v.terms.endsAt)}`,
    `  proceeds paid to the treasury: ${f(v.proceeds)}`,
  ];
}

/** One sale's row in `ws sell-fractions`' list. */
export function saleRow(v: SaleView): (string | bigint)[] {
  return [
    v.saleId,
    `#${v.terms.modelId}`,
    v.status,
    formatAmount(v.price, v.tokenInfo),
    `${v.sold} / ${v.terms.amount}`,
    timeText(v.terms.endsAt).split(" ")[0],
  ];
}
