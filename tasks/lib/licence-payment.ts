/**
 * What `ws buy` and `ws renew` share: the licence price in the offer token's units (`--max-price 12.5` of a
 * 6-decimal token), checked against the price now, and a licence's terms as one line of text.
 */
import { TaskInputError } from "./cli.js";
import { formatAmount, parseAmount, timeText, type TokenInfo } from "./units.js";

/** `--max-price` in `token`'s units; refused when the offer costs more now. */
export function maxPriceArg(value: string, price: bigint, token: TokenInfo, what: string): bigint {
  if (value === "") {
    throw new TaskInputError(
      `--max-price: expected the most you will pay, in ${token.symbol} (${what} costs ${formatAmount(price, token)} now)`,
    );
  }
  const maxPrice = parseAmount("max-price", value, token);
  if (price > maxPrice) {
    throw new TaskInputError(
      `--max-price: ${what} costs ${formatAmount(price, token)}, above your maximum ${formatAmount(maxPrice, token)}`,
    );
  }
  return maxPrice;
}

/** "1000 credits, expires 2026-…Z (1796…)", "unmetered, perpetual". */
export function licenceText(l: { metered: boolean; credits: bigint; expiry: bigint }): string {
  return `${l.metered ? `${l.credits} credits` : "unmetered"}, ${l.expiry === 0n ? "perpetual" : `expires ${timeText(l.expiry)}`}`;
}
