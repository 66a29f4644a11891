/**
 * Offers, terms and licences from LicenseManager (and usage credits from UsageMeter): every published terms
 * version, each offer as it stands, each licence's owner, expiry, credits and what was paid for it.
 */
import { ponder } from "ponder:registry";
import { licence, offer, primaryLicence, terms, usageSettlement } from "ponder:schema";

import { addr } from "./shared.ts";

ponder.on("LicenseManager:OfferPublished", async ({ event, context }) => {
  const { modelId, offerId, termsId, terms: t } = event.args;
  await context.db.insert(terms).values({
    id: termsId,
    modelId,
    offerId,
    price: t.price,
    paymentToken: addr(t.paymentToken),
    duration: BigInt(t.duration),
    credits: t.credits,
    cap: BigInt(t.cap),
    transferable: t.transferable,
    commercialUse: t.commercialUse,
    derivativesAllowed: t.derivativesAllowed,
    termsURI: t.termsURI,
    termsHash: t.termsHash,
    parentShareBps: BigInt(t.parentShareBps),
    minDerivativePrice: t.minDerivativePrice,
    publishedAt: event.block.timestamp,
  });
  const current = {
    termsId,
    price: t.price,
    paymentToken: addr(t.paymentToken),
    duration: BigInt(t.duration),
    credits: t.credits,
    cap: BigInt(t.cap),
    onSale: t.onSale,
  };
  await context.db
    .insert(offer)
    .values({ modelId, offerId, ...current, sold: 0n })
    .onConflictDoUpdate(current);
});

ponder.on("LicenseManager:OfferSaleSet", async ({ event, context }) => {
  const { modelId, offerId, onSale } = event.args;
  await context.db.update(offer, { modelId, offerId }).set({ onSale });
});

ponder.on("LicenseManager:LicencePurchased", async ({ event, context }) => {
  const { licenceId, modelId, offerId, termsId, buyer, price, expiry, credits } = event.args;
  // The licence NFT's mint (`Transfer` from zero) follows in the same transaction and names the owner.
  await context.db.insert(licence).values({
    id: licenceId,
    modelId,
    offerId,
    termsId,
    owner: addr(buyer),
    buyer: addr(buyer),
    expiry,
    credits,
    paid: price,
    renewals: 0,
    purchasedAt: event.block.timestamp,
  });
  await context.db.update(offer, { modelId, offerId }).set((o) => ({ sold: o.sold + 1n }));
});

ponder.on("LicenseManager:LicenceRenewed", async ({ event, context }) => {
  const { licenceId, price, expiry, credits } = event.args;
  await context.db
    .update(licence, { id: licenceId })
    .set((l) => ({ expiry, credits, paid: l.paid + price, renewals: l.renewals + 1 }));
});

ponder.on("LicenseManager:Transfer", async ({ event, context }) => {
  await context.db.update(licence, { id: event.args.tokenId }).set({ owner: addr(event.args.to) });
});

ponder.on("LicenseManager:PrimaryLicenceSet", async ({ event, context }) => {
  const { modelId, account, licenceId } = event.args;
  await context.db
    .insert(primaryLicence)
    .values({ modelId, account: addr(account), licenceId })
    .onConflictDoUpdate({ licenceId });
});

ponder.on("UsageMeter:UsageSettled", async ({ event, context }) => {
  const { licenceId, signer, cap, settled, charged, creditsLeft } = event.args;
  await context.db.update(licence, { id: licenceId }).set({ credits: creditsLeft });
  await context.db.insert(usageSettlement).values({
    id: event.id,
    licenceId,
    signer: addr(signer),
    cap,
    settled,
    charged,
    creditsLeft,
    blockNumber: event.block.number,
  });
});
