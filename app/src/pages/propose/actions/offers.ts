/**
 * Licence offers (tasks/lib/actions/offers.ts): add one (ETH or an ERC-20, every term, its terms document hashed),
 * re-price one in its own token's units, withdraw one from sale or put it back.
 */
import { zeroAddress, type Address } from "viem";

import { addOffer, setOfferOnSale, updateOffer, type OfferTerms } from "../../../../../governance/proposals.ts";
import { licenseManagerAbi } from "../../../generated.ts";
import { field, valueOf, type ActionSpec, type FieldSpec } from "../action.ts";
import { accepts, handle, hasCode, tokenUnits, type ProposeContext } from "../chain.ts";
import { documentHash } from "../documents.ts";
import { address, amount, bad, duration, uint, type TokenUnits } from "../fields.ts";
import type { LicenseManager } from "../../../../../types/ethers-contracts/index.ts";

const MAX_PRICE = 2n ** 128n - 1n;
/** A licence lasts at most 100 years (longer is a typo for perpetual, 0). */
const MAX_DURATION = 36_500n * 86_400n;

function licenses(ctx: ProposeContext): LicenseManager {
  return handle<LicenseManager>(licenseManagerAbi, ctx.deployment.licenses);
}

function price(f: FieldSpec, value: string, info: TokenUnits): bigint {
  const n = amount(f, value, info);
  if (n > MAX_PRICE) bad(f, `expected at most ${MAX_PRICE} in ${info.symbol}'s smallest unit, got ${value}`);
  return n;
}

/** An ERC-20 named in `name` (empty: ETH), checked to have code. */
export async function tokenField(
  ctx: ProposeContext,
  fields: FieldSpec[],
  values: Record<string, string>,
  name: string,
  emptyIsEth: boolean,
): Promise<TokenUnits> {
  const f = field(fields, name);
  const raw = (values[name] ?? "").trim();
  if (raw === "") {
    if (emptyIsEth) return tokenUnits(ctx, zeroAddress);
    return bad(f, "expected the ERC-20's address");
  }
  const token = address(f, raw);
  if (token !== zeroAddress && !(await hasCode(ctx, token))) {
    bad(f, `${token} has no code on this chain; expected an ERC-20 token`);
  }
  return tokenUnits(ctx, token);
}

/** The offer the `offerId` field names, checked to exist. */
function offerOf(ctx: ProposeContext, fields: FieldSpec[], values: Record<string, string>) {
  const f = field(fields, "offerId");
  const id = uint(f, valueOf(fields, values, "offerId", "an offer"));
  const offer = ctx.offers.find((o) => o.offerId === id);
  if (offer === undefined) return bad(f, `expected an existing offer of model #${ctx.modelId}, got ${id}`);
  return offer;
}

const OFFER: FieldSpec = { name: "offerId", label: "Offer", kind: "offer" };

const ADD_FIELDS: FieldSpec[] = [
  { name: "price", label: "Price", help: "In the payment token's units, such as 0.05." },
  {
    name: "token",
    label: "Payment token",
    optional: true,
    help: "An ERC-20's address; leave empty for ETH.",
  },
  {
    name: "days",
    label: "Duration",
    optional: true,
    initial: "30d",
    help: "How long a licence lasts: 30d, 12h, or a bare number of days; 0 is perpetual.",
  },
  { name: "credits", label: "Credits", optional: true, initial: "0", help: "Metered calls per licence; 0 for none." },
  { name: "cap", label: "Cap", optional: true, initial: "0", help: "Most licences sold; 0 is unlimited." },
  { name: "transferable", label: "Transferable", kind: "checkbox" },
  {
    name: "commercialUse",
    label: "Commercial use",
    kind: "select",
    options: [
      ["yes", "Allowed"],
      ["no", "Not allowed"],
    ],
    initial: "yes",
  },
  { name: "derivatives", label: "Derivatives allowed", kind: "checkbox" },
  {
    name: "parentShareBps",
    label: "Parent share (bps)",
    optional: true,
    help: "With derivatives only: this model's share of a derivative's revenue, at most 5000.",
  },
  {
    name: "minDerivativePrice",
    label: "Least derivative price",
    optional: true,
    help: "With derivatives only: the least a derivative charges, in this offer's token.",
  },
  { name: "termsUri", label: "Terms URI", help: "Where the licence terms are published." },
  {
    name: "termsHash",
    label: "Terms hash",
    kind: "file-hash",
    optional: true,
    help: "keccak256 of the terms document: read from the URI when possible, or choose the file.",
  },
];

export const OFFER_ACTIONS: ActionSpec[] = [
  {
    id: "set-price",
    label: "Change an offer's price",
    group: "Licence offers",
    fields: [OFFER, { name: "price", label: "New price", help: "In the offer's token, such as 0.05." }],
    async build(ctx, values, description, warn) {
      const fields = this.fields;
      const offer = offerOf(ctx, fields, values);
      const info = await tokenUnits(ctx, offer.terms.paymentToken as Address);
      const newPrice = price(field(fields, "price"), valueOf(fields, values, "price", "a price"), info);
      if (newPrice === offer.terms.price) {
        warn(`offer ${offer.offerId} of model #${ctx.modelId} already costs this much`);
      }
      const terms: OfferTerms = { ...offer.terms, price: newPrice };
      return updateOffer({ licenses: licenses(ctx), modelId: ctx.modelId, offerId: offer.offerId, terms, description });
    },
  },
  {
    id: "add-offer",
    label: "Add a licence offer",
    group: "Licence offers",
    fields: ADD_FIELDS,
    async build(ctx, values, description, warn) {
      const fields = this.fields;
      const f = (name: string) => field(fields, name);
      const info = await tokenField(ctx, fields, values, "token", true);
      const days = duration(f("days"), values.days?.trim() || "0", "d");
      if (days > MAX_DURATION)
        bad(f("days"), `expected at most 36500 days (100 years; 0 is perpetual), got ${values.days}`);
      const derivatives = values.derivatives === "yes";
      let parentShareBps = 0n;
      let minDerivativePrice = 0n;
      if (!derivatives) {
        for (const name of ["parentShareBps", "minDerivativePrice"]) {
          if ((values[name] ?? "").trim() !== "")
            bad(f(name), `expected only with "Derivatives allowed", got ${values[name]}`);
        }
      } else {
        parentShareBps = uint(f("parentShareBps"), values.parentShareBps?.trim() || "0", 5000n);
        const min = values.minDerivativePrice?.trim() ?? "";
        minDerivativePrice = min === "" ? 0n : price(f("minDerivativePrice"), min, info);
      }
      const terms: OfferTerms = {
        price: price(f("price"), valueOf(fields, values, "price", "a price"), info),
        paymentToken: info.address,
        duration: days,
        credits: uint(f("credits"), values.credits?.trim() || "0", 2n ** 64n - 1n),
        cap: uint(f("cap"), values.cap?.trim() || "0", 2n ** 32n - 1n),
        transferable: values.transferable === "yes",
        commercialUse: (values.commercialUse || "yes") === "yes",
        derivativesAllowed: derivatives,
        onSale: true,
        parentShareBps,
        minDerivativePrice,
        termsURI: values.termsUri?.trim() ?? "",
        termsHash: await documentHash(f("termsUri"), values.termsUri ?? "", f("termsHash"), values.termsHash ?? ""),
      };
      if (!(await accepts(ctx, info.address as Address))) {
        warn(
          `model #${ctx.modelId} does not accept ${info.symbol} as revenue, so buying this offer would revert until a vote allows it ("Accept a payment token")`,
        );
      }
      return addOffer({ licenses: licenses(ctx), modelId: ctx.modelId, terms, description });
    },
  },
  {
    id: "withdraw-offer",
    label: "Withdraw an offer from sale",
    group: "Licence offers",
    fields: [OFFER],
    async build(ctx, values, description, warn) {
      const offer = offerOf(ctx, this.fields, values);
      if (!offer.terms.onSale) warn(`offer ${offer.offerId} of model #${ctx.modelId} is not on sale already`);
      return setOfferOnSale({
        licenses: licenses(ctx),
        modelId: ctx.modelId,
        offerId: offer.offerId,
        onSale: false,
        description,
      });
    },
  },
  {
    id: "put-on-sale",
    label: "Put an offer back on sale",
    group: "Licence offers",
    fields: [OFFER],
    async build(ctx, values, description, warn) {
      const offer = offerOf(ctx, this.fields, values);
      if (offer.terms.onSale) warn(`offer ${offer.offerId} of model #${ctx.modelId} is on sale already`);
      return setOfferOnSale({
        licenses: licenses(ctx),
        modelId: ctx.modelId,
        offerId: offer.offerId,
        onSale: true,
        description,
      });
    },
  },
];
