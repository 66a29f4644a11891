/**
 * `ws propose` actions on licence offers: add one (priced in ETH or an ERC-20, every term settable, its terms
 * document hashed), re-price one in its own token's units, withdraw one from sale.
 */
import { ZeroAddress } from "ethers";

import { addOffer, setOfferOnSale, updateOffer, type OfferTerms } from "../../../governance/index.js";
import { address, confirm, oneOf, TaskInputError, uint } from "../cli.js";
import { offerId as checkedOfferId, offerTerms } from "../context.js";
import { documentHash } from "../documents.js";
import { formatAmount, parseAmount, parseDuration, tokenInfo, type TokenInfo } from "../units.js";
import { accepts, named, tokenArg } from "../tokens.js";
import { type Build } from "./common.js";

const MAX_PRICE = 2n ** 128n - 1n;
/** A licence lasts at most 100 years (the contract takes up to 2^48 s; longer is a typo for perpetual, 0). */
const MAX_DURATION = 36_500n * 86_400n;

function price(value: string, info: TokenInfo, name = "price"): bigint {
  const amount = parseAmount(name, value, info);
  if (amount > MAX_PRICE) {
    throw new TaskInputError(`--${name}: expected at most ${formatAmount(MAX_PRICE, info)}, got ${value}`);
  }
  return amount;
}

/** The parent's share of a derivative's revenue and the derivative's price floor: only with --derivatives. */
function derivativeTerms(
  args: { derivatives: boolean; parentShareBps: string; minDerivativePrice: string },
  info: TokenInfo,
): Pick<OfferTerms, "parentShareBps" | "minDerivativePrice"> {
  if (!args.derivatives) {
    for (const [name, value] of [
      ["parent-share-bps", args.parentShareBps],
      ["min-derivative-price", args.minDerivativePrice],
    ]) {
      if (value !== "") throw new TaskInputError(`--${name}: expected only with --derivatives, got ${value}`);
    }
    return { parentShareBps: 0n, minDerivativePrice: 0n };
  }
  return {
    parentShareBps: uint("parent-share-bps", args.parentShareBps === "" ? "0" : args.parentShareBps, 5000n),
    minDerivativePrice:
      args.minDerivativePrice === "" ? 0n : price(args.minDerivativePrice, info, "min-derivative-price"),
  };
}

export const OFFER_ACTIONS: Record<string, Build> = {
  "add-offer": async (ctx, m, args) => {
    const info = await tokenArg(ctx, args.token === "" ? ZeroAddress : address("token", args.token));
    const duration = parseDuration("days", args.days === "" ? "0" : args.days, "d");
    if (duration > MAX_DURATION) {
      throw new TaskInputError(`--days: expected at most 36500 days (100 years; 0 is perpetual), got ${args.days}`);
    }
    const terms: OfferTerms = {
      price: price(args.price, info),
      paymentToken: info.address,
      duration,
      credits: uint("credits", args.credits === "" ? "0" : args.credits, 2n ** 64n - 1n),
      cap: uint("cap", args.cap === "" ? "0" : args.cap, 2n ** 32n - 1n),
      transferable: args.transferable,
      commercialUse:
        oneOf("commercial-use", args.commercialUse === "" ? "yes" : args.commercialUse, ["yes", "no"]) === "yes",
      derivativesAllowed: args.derivatives,
      onSale: true,
      ...derivativeTerms(args, info),
      termsURI: args.termsUri,
      termsHash: (
        await documentHash({
          uriOption: "terms-uri",
          uri: args.termsUri,
          fileOption: "terms-file",
          file: args.termsFile,
          hashOption: "terms-hash",
          hash: args.termsHash,
        })
      ).hash,
    };
    if (!(await accepts(ctx, m.modelId, info.address))) {
      const allow = info.address === ZeroAddress ? "allow-eth" : `allow-token --token ${info.address}`;
      confirm(
        args,
        "token",
        `model #${m.modelId} does not accept ${named(info)} as revenue, so buying this offer would revert until a vote allows it (ws propose --action ${allow})`,
      );
    }
    return addOffer({ licenses: ctx.licenses, modelId: m.modelId, terms, description: args.description });
  },

  "set-price": async (ctx, m, args) => {
    const offerId = await checkedOfferId(ctx, m.modelId, args.offerId);
    const t = await offerTerms(ctx, m.modelId, offerId);
    const info = await tokenInfo(ctx, t.paymentToken);
    const newPrice = price(args.price, info);
    if (newPrice === t.price) {
      confirm(args, "price", `offer ${offerId} of model #${m.modelId} already costs ${formatAmount(t.price, info)}`);
    }
    const terms: OfferTerms = { ...t, price: newPrice };
    return updateOffer({ licenses: ctx.licenses, modelId: m.modelId, offerId, terms, description: args.description });
  },

  "withdraw-offer": async (ctx, m, args) => {
    const offerId = await checkedOfferId(ctx, m.modelId, args.offerId);
    const [, , , onSale] = await ctx.licenses.offer(m.modelId, offerId);
    if (!onSale) confirm(args, "offer-id", `offer ${offerId} of model #${m.modelId} is not on sale already`);
    return setOfferOnSale({
      licenses: ctx.licenses,
      modelId: m.modelId,
      offerId,
      onSale: false,
      description: args.description,
    });
  },

  /** The inverse of withdraw-offer: the offer is sold again, on the terms it had. */
  "put-on-sale": async (ctx, m, args) => {
    const offerId = await checkedOfferId(ctx, m.modelId, args.offerId);
    const [, , , onSale] = await ctx.licenses.offer(m.modelId, offerId);
    if (onSale) confirm(args, "offer-id", `offer ${offerId} of model #${m.modelId} is on sale already`);
    return setOfferOnSale({
      licenses: ctx.licenses,
      modelId: m.modelId,
      offerId,
      onSale: true,
      description: args.description,
    });
  },
};
