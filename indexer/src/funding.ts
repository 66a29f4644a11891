/**
 * Raises and fraction sales from their events alone, folded as client/funding-replay.ts folds them (which a client
 * test checks against the contracts' views): each raise's terms and totals, each backer's position, each sale.
 */
import { ponder, type Context } from "ponder:registry";
import { backing, raise, sale, salePurchase } from "ponder:schema";

import { addr } from "./shared.ts";

type Backing = typeof backing.$inferSelect;

/** Applies `change` to the backer's position (created empty on first sight, counted among the raise's backers). */
async function updateBacking(context: Context, raiseId: bigint, who: string, change: (b: Backing) => Partial<Backing>) {
  const key = { raiseId, backer: addr(who) };
  const row = await context.db.find(backing, key);
  if (row === null) {
    const empty: Backing = {
      ...key,
      fractions: 0n,
      seats: 0n,
      acceptedTerms: false,
      claimed: false,
      claimedFractions: 0n,
      seatsDelivered: false,
      surplus: 0n,
      refunded: 0n,
    };
    await context.db.insert(backing).values({ ...empty, ...change(empty) });
    await context.db.update(raise, { id: raiseId }).set((r) => ({ backerCount: r.backerCount + 1 }));
  } else {
    await context.db.update(backing, key).set(change(row));
  }
}

ponder.on("Raises:RaiseOpened", async ({ event, context }) => {
  const { raiseId, modelId, token, terms: t } = event.args;
  await context.db.insert(raise).values({
    id: raiseId,
    modelId,
    token: addr(token),
    price: t.price,
    goal: t.goal,
    cap: t.cap,
    accountCap: t.accountCap,
    opensAt: BigInt(t.opensAt),
    closesAt: BigInt(t.closesAt),
    allowlistRoot: t.allowlistRoot,
    termsHash: t.termsHash,
    termsURI: t.termsURI,
    tranches: t.tranches.map(BigInt),
    seatPrice: t.seatPrice,
    seats: BigInt(t.seats),
    accessDeadline: BigInt(t.accessDeadline),
    committed: 0n,
    seatsSold: 0n,
    finalized: false,
    cancelled: false,
    succeeded: null,
    tranchesReleased: 0n,
    milestoneFailed: false,
    milestoneRefund: 0n,
    accessOfferId: 0n,
    inflow: 0n,
    refunded: 0n,
    released: 0n,
    paidForSeats: 0n,
    backerCount: 0,
    openedAt: event.block.timestamp,
  });
});

ponder.on("Raises:TermsAccepted", async ({ event, context }) => {
  await updateBacking(context, event.args.raiseId, event.args.backer, () => ({ acceptedTerms: true }));
});

ponder.on("Raises:Committed", async ({ event, context }) => {
  const { raiseId, backer, fractions, seats, paid, surplus } = event.args;
  await updateBacking(context, raiseId, backer, (b) => ({
    fractions: b.fractions + fractions,
    seats: b.seats + seats,
    surplus: b.surplus + surplus,
  }));
  await context.db.update(raise, { id: raiseId }).set((r) => ({
    committed: r.committed + fractions,
    seatsSold: r.seatsSold + seats,
    inflow: r.inflow + paid,
  }));
});

ponder.on("Raises:RaiseCancelled", async ({ event, context }) => {
  await context.db.update(raise, { id: event.args.raiseId }).set({ finalized: true, cancelled: true });
});

ponder.on("Raises:RaiseFinalized", async ({ event, context }) => {
  await context.db.update(raise, { id: event.args.raiseId }).set({ finalized: true, succeeded: event.args.succeeded });
});

ponder.on("Raises:TrancheReleased", async ({ event, context }) => {
  await context.db.update(raise, { id: event.args.raiseId }).set((r) => ({
    tranchesReleased: r.tranchesReleased + 1n,
    released: r.released + event.args.amount,
  }));
});

ponder.on("Raises:MilestoneFailed", async ({ event, context }) => {
  await context.db
    .update(raise, { id: event.args.raiseId })
    .set({ milestoneFailed: true, milestoneRefund: event.args.refundable });
});

ponder.on("Raises:Refunded", async ({ event, context }) => {
  const { raiseId, backer, amount } = event.args;
  await context.db.update(raise, { id: raiseId }).set((r) => ({ refunded: r.refunded + amount }));
  await updateBacking(context, raiseId, backer, (b) => ({ refunded: b.refunded + amount }));
});

ponder.on("Raises:FractionsClaimed", async ({ event, context }) => {
  const { raiseId, backer, fractions } = event.args;
  await updateBacking(context, raiseId, backer, (b) => ({
    claimed: true,
    claimedFractions: b.claimedFractions + fractions,
  }));
});

ponder.on("Raises:AccessOfferSet", async ({ event, context }) => {
  await context.db.update(raise, { id: event.args.raiseId }).set({ accessOfferId: event.args.offerId });
});

ponder.on("Raises:SeatsDelivered", async ({ event, context }) => {
  const { raiseId, backer, paid } = event.args;
  const r = await context.db.find(raise, { id: raiseId });
  if (r === null) throw new Error(`indexer: SeatsDelivered for unknown raise ${raiseId}`);
  await updateBacking(context, raiseId, backer, (b) => ({
    seatsDelivered: true,
    surplus: b.surplus + b.seats * r.seatPrice - paid,
  }));
  await context.db.update(raise, { id: raiseId }).set({ paidForSeats: r.paidForSeats + paid });
});

ponder.on("FractionSales:SaleOpened", async ({ event, context }) => {
  const { saleId, modelId, token, terms: t } = event.args;
  await context.db.insert(sale).values({
    id: saleId,
    modelId,
    token: addr(token),
    startPrice: t.startPrice,
    endPrice: t.endPrice,
    amount: t.amount,
    startsAt: BigInt(t.startsAt),
    endsAt: BigInt(t.endsAt),
    sold: 0n,
    proceeds: 0n,
    stopped: false,
  });
});

ponder.on("FractionSales:FractionsBought", async ({ event, context }) => {
  const { saleId, buyer, to, amount, price, paid } = event.args;
  await context.db.update(sale, { id: saleId }).set((s) => ({ sold: s.sold + amount, proceeds: s.proceeds + paid }));
  await context.db.insert(salePurchase).values({
    id: event.id,
    saleId,
    buyer: addr(buyer),
    to: addr(to),
    amount,
    price,
    paid,
    blockNumber: event.block.number,
  });
});

ponder.on("FractionSales:SaleStopped", async ({ event, context }) => {
  await context.db.update(sale, { id: event.args.saleId }).set({ stopped: true });
});
