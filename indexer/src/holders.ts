/**
 * Holders and balances from ModelShares' ERC-1155 `TransferSingle` and `TransferBatch`: a balance row per model and
 * account while it is above zero, the model's supply and holder count, and every movement.
 */
import { ponder, type Context } from "ponder:registry";
import { balance, mintingGrant, model, shareApproval, transfer } from "ponder:schema";

import { addr, ZERO_ADDRESS } from "./shared.ts";

async function move(context: Context, modelId: bigint, account: string, delta: bigint) {
  const key = { modelId, account: addr(account) };
  const row = await context.db.find(balance, key);
  const after = (row?.amount ?? 0n) + delta;
  if (after < 0n) throw new Error(`indexer: balance of ${account} in model ${modelId} would go below zero`);
  let holders = 0;
  if (row === null) {
    if (after === 0n) return;
    await context.db.insert(balance).values({ ...key, amount: after });
    holders = 1;
  } else if (after === 0n) {
    await context.db.delete(balance, key);
    holders = -1;
  } else {
    await context.db.update(balance, key).set({ amount: after });
  }
  if (holders !== 0) {
    await context.db.update(model, { id: modelId }).set((m) => ({ holderCount: m.holderCount + holders }));
  }
}

async function record(
  context: Context,
  event: { id: string; block: { number: bigint; timestamp: bigint }; transaction: { hash: `0x${string}` } },
  part: number,
  args: { operator: string; from: string; to: string; id: bigint; value: bigint },
) {
  const { operator, from, to, id: modelId, value } = args;
  if (from === to) return; // a self-transfer moves nothing
  if (from === ZERO_ADDRESS) {
    await context.db.update(model, { id: modelId }).set((m) => ({ totalSupply: m.totalSupply + value }));
    // A grantee's mint (`mintGranted`) uses its grant; the treasury's own mints have none.
    const grant = await context.db.find(mintingGrant, { modelId, minter: addr(operator) });
    if (grant !== null) {
      await context.db
        .update(mintingGrant, { modelId, minter: addr(operator) })
        .set({ granted: grant.granted - value });
    }
  } else {
    await move(context, modelId, from, -value);
  }
  if (to === ZERO_ADDRESS) {
    await context.db.update(model, { id: modelId }).set((m) => ({ totalSupply: m.totalSupply - value }));
  } else {
    await move(context, modelId, to, value);
  }
  await context.db.insert(transfer).values({
    id: `${event.id}-${part}`,
    modelId,
    operator: addr(operator),
    from: addr(from),
    to: addr(to),
    amount: value,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
}

ponder.on("ModelShares:TransferSingle", async ({ event, context }) => {
  await record(context, event, 0, event.args);
});

ponder.on("ModelShares:TransferBatch", async ({ event, context }) => {
  const { operator, from, to, ids, values } = event.args;
  for (let i = 0; i < ids.length; i++) {
    await record(context, event, i, { operator, from, to, id: ids[i]!, value: values[i]! });
  }
});

ponder.on("ModelShares:ApprovalForAll", async ({ event, context }) => {
  const key = { account: addr(event.args.account), operator: addr(event.args.operator) };
  if (event.args.approved) await context.db.insert(shareApproval).values(key).onConflictDoNothing();
  else await context.db.delete(shareApproval, key);
});
