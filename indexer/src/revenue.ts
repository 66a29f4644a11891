/**
 * Revenue from RevenueVault: per model and token what was deposited and how it was split, claimed by holders,
 * released to contributors and to the treasury, and paid to parents; per account the same; every deposit; the
 * split, the contributors and the payment tokens the DAO set.
 */
import { eq } from "ponder";
import { ponder, type Context } from "ponder:registry";
import { contributor, deposit, lineageParent, model, paymentToken, revenue, revenueAccount } from "ponder:schema";

import { addr } from "./shared.ts";

type Totals = Partial<
  Record<
    | "deposited"
    | "toContributors"
    | "toHolders"
    | "toTreasury"
    | "holderClaimed"
    | "contributorReleased"
    | "treasuryReleased"
    | "paidToParents"
    | "fromDerivatives"
    | "derivativeCollected"
    | "royaltiesCollected"
    | "unlockedToTreasury",
    bigint
  >
>;
type AccountTotals = Partial<
  Record<"deposited" | "holderClaimed" | "contributorReleased" | "treasuryReleased", bigint>
>;

const NO_REVENUE = {
  deposited: 0n,
  toContributors: 0n,
  toHolders: 0n,
  toTreasury: 0n,
  holderClaimed: 0n,
  contributorReleased: 0n,
  treasuryReleased: 0n,
  paidToParents: 0n,
  fromDerivatives: 0n,
  derivativeCollected: 0n,
  royaltiesCollected: 0n,
  unlockedToTreasury: 0n,
  locked: 0n,
  unlockEnd: 0n,
  lockedAt: 0n,
  lockedBlock: 0n,
  deposits: 0,
};

async function addRevenue(context: Context, modelId: bigint, token: string, add: Totals, deposits = 0) {
  const key = { modelId, token: addr(token) };
  const row = (await context.db.find(revenue, key)) ?? { ...key, ...NO_REVENUE };
  const next = { ...row, deposits: row.deposits + deposits };
  for (const [k, v] of Object.entries(add) as [keyof Totals, bigint][]) next[k] = row[k] + v;
  await context.db.insert(revenue).values(next).onConflictDoUpdate(next);
}

async function addAccount(context: Context, modelId: bigint, token: string, account: string, add: AccountTotals) {
  const key = { modelId, token: addr(token), account: addr(account) };
  const row = (await context.db.find(revenueAccount, key)) ?? {
    ...key,
    deposited: 0n,
    holderClaimed: 0n,
    contributorReleased: 0n,
    treasuryReleased: 0n,
  };
  const next = { ...row };
  for (const [k, v] of Object.entries(add) as [keyof AccountTotals, bigint][]) next[k] = row[k] + v;
  await context.db.insert(revenueAccount).values(next).onConflictDoUpdate(next);
}

ponder.on("RevenueVault:Deposited", async ({ event, context }) => {
  const { modelId, token, from, amount, toContributors, toHolders, toTreasury } = event.args;
  // What derivatives set aside for this model enters its split as a deposit from the vault itself.
  const collected = addr(from) === addr(event.log.address) ? amount : 0n;
  await addRevenue(
    context,
    modelId,
    token,
    { deposited: amount, toContributors, toHolders, toTreasury, derivativeCollected: collected },
    1,
  );
  await addAccount(context, modelId, token, from, { deposited: amount });
  await context.db.insert(deposit).values({
    id: event.id,
    modelId,
    token: addr(token),
    from: addr(from),
    amount,
    toContributors,
    toHolders,
    toTreasury,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
});

ponder.on("RevenueVault:HolderClaimed", async ({ event, context }) => {
  const { modelId, token, account, amount } = event.args;
  await addRevenue(context, modelId, token, { holderClaimed: amount });
  await addAccount(context, modelId, token, account, { holderClaimed: amount });
});

ponder.on("RevenueVault:ContributorReleased", async ({ event, context }) => {
  const { modelId, token, account, amount } = event.args;
  await addRevenue(context, modelId, token, { contributorReleased: amount });
  await addAccount(context, modelId, token, account, { contributorReleased: amount });
});

ponder.on("RevenueVault:TreasuryReleased", async ({ event, context }) => {
  const { modelId, token, treasury, amount } = event.args;
  await addRevenue(context, modelId, token, { treasuryReleased: amount });
  await addAccount(context, modelId, token, treasury, { treasuryReleased: amount });
});

const BPS = 10_000n;

/**
 * A payment into derivative `modelId` set `amount` aside for `parentId`. The parent keeps it less what it passes up
 * to its own parents, each `amount * share / 10000` rounded down (their `ParentPaid` follow), as the vault computes
 * it; the parents and shares are the lineage's (`lineage_parent`, from `DerivativeRegistered`).
 */
ponder.on("RevenueVault:ParentPaid", async ({ event, context }) => {
  const { modelId, parentId, token, amount } = event.args;
  await addRevenue(context, modelId, token, { paidToParents: amount });
  const grandparents = await context.db.sql.select().from(lineageParent).where(eq(lineageParent.modelId, parentId));
  let passedUp = 0n;
  for (const g of grandparents) passedUp += (amount * g.shareBps) / BPS;
  await addRevenue(context, parentId, token, { fromDerivatives: amount - passedUp });
});

ponder.on("RevenueVault:SplitSet", async ({ event, context }) => {
  const { modelId, contributorsBps, holdersBps, treasuryBps } = event.args;
  await context.db.update(model, { id: modelId }).set({ contributorsBps, holdersBps, treasuryBps });
});

ponder.on("RevenueVault:ContributorsSet", async ({ event, context }) => {
  const { modelId, epoch, accounts, shares } = event.args;
  await context.db.sql.delete(contributor).where(eq(contributor.modelId, modelId));
  for (let i = 0; i < accounts.length; i++) {
    await context.db.insert(contributor).values({ modelId, account: addr(accounts[i]!), shares: shares[i]!, epoch });
  }
});

ponder.on("RevenueVault:PaymentTokenSet", async ({ event, context }) => {
  const { modelId, token, allowed } = event.args;
  await context.db
    .insert(paymentToken)
    .values({ modelId, token: addr(token), allowed })
    .onConflictDoUpdate({ allowed });
});

ponder.on("RevenueVault:RoyaltiesCollected", async ({ event, context }) => {
  const { modelId, token, amount } = event.args;
  await addRevenue(context, modelId, token, { royaltiesCollected: amount });
});

ponder.on("RevenueVault:UnlockedToTreasury", async ({ event, context }) => {
  const { modelId, token, amount } = event.args;
  await addRevenue(context, modelId, token, { unlockedToTreasury: amount });
});

ponder.on("RevenueVault:HolderRevenueUnlocking", async ({ event, context }) => {
  const { modelId, token, locked, unlockEnd } = event.args;
  const key = { modelId, token: addr(token) };
  const row = (await context.db.find(revenue, key)) ?? { ...key, ...NO_REVENUE };
  const next = { ...row, locked, unlockEnd, lockedAt: event.block.timestamp, lockedBlock: event.block.number };
  await context.db.insert(revenue).values(next).onConflictDoUpdate(next);
});
