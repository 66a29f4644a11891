/**
 * `ws model --model-id N`: a model's addresses and operator, supply, holders and their votes, offers, and revenue:
 * deposited, and the holders' cut still unlocking over the model's window.
 */
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { short, table } from "../sdk/index.js";
import { ETH } from "./lib/money.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { isoTime, unlocking, type Unlocking } from "./lib/unlocking.js";

interface Args extends CommonArgs {
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.modelId === "") throw new TaskInputError("--model-id: expected a model id");
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const record = await ctx.registry.model(m.modelId);
  // Holders: every address that ever received fractions of this id, with its balance now.
  const received = await ctx.shares.queryFilter(ctx.shares.filters.TransferSingle());
  const batches = await ctx.shares.queryFilter(ctx.shares.filters.TransferBatch());
  const accounts = new Set<string>();
  for (const e of received) if (e.args.id === m.modelId) accounts.add(e.args.to);
  for (const e of batches) if (e.args.ids.includes(m.modelId)) accounts.add(e.args.to);
  const holders: { account: string; balance: bigint; votes: bigint; delegate: string; claimableEth: bigint }[] = [];
  for (const account of accounts) {
    const balance = await ctx.shares.balanceOf(account, m.modelId);
    if (balance === 0n) continue;
    holders.push({
      account,
      balance,
      votes: await m.votes.getVotes(account),
      delegate: await m.votes.delegates(account),
      claimableEth: await ctx.vault.claimable(m.modelId, ETH, account), // unlocked so far; the rest below
    });
  }
  const offers: {
    offerId: bigint;
    price: bigint;
    paymentToken: string;
    duration: bigint;
    credits: bigint;
    cap: bigint;
    sold: bigint;
    onSale: boolean;
  }[] = [];
  for (let o = 1n; o <= (await ctx.licenses.offerCount(m.modelId)); ++o) {
    const [termsId, cap, sold, onSale] = await ctx.licenses.offer(m.modelId, o);
    const t = await ctx.licenses.terms(termsId);
    offers.push({
      offerId: o,
      price: t.price,
      paymentToken: t.paymentToken,
      duration: t.duration,
      credits: t.credits,
      cap,
      sold,
      onSale,
    });
  }
  const [contributorsBps, holdersBps, treasuryBps] = await ctx.vault.splitOf(m.modelId);
  const [tokens] = await ctx.vault.paymentTokensOf(m.modelId);
  const revenue: ({ token: string; deposited: bigint } & Unlocking)[] = [];
  for (const token of tokens) {
    revenue.push({
      token,
      deposited: await ctx.vault.totalDeposited(m.modelId, token),
      ...(await unlocking(ctx, m.modelId, token)),
    });
  }
  const data = {
    modelId: m.modelId,
    name: record.name,
    creator: record.creator,
    contentHash: record.contentHash,
    metadataURI: await ctx.shares.uri(m.modelId),
    votes: record.votes,
    governor: record.governor,
    timelock: record.timelock,
    operator: await ctx.meter.operatorOf(m.modelId),
    supply: await ctx.shares["totalSupply(uint256)"](m.modelId),
    votableSupply: await m.votes.votableSupply(),
    holders,
    offers,
    split: { contributorsBps, holdersBps, treasuryBps },
    revenue,
  };
  output(args.json, data, () =>
    [
      `model #${data.modelId} "${data.name}" (${data.metadataURI || "no metadata"})`,
      `governor ${data.governor}, timelock/treasury ${data.timelock}, votes ${data.votes}`,
      `operator (settles usage) ${data.operator === ZeroAddress ? "not named" : data.operator}`,
      `supply ${data.supply}, votable ${data.votableSupply}`,
      table(
        ["holder", "fractions", "votes", "delegate", "claimable (wei)"],
        holders.map((h) => [short(h.account), h.balance, h.votes, short(h.delegate), h.claimableEth]),
      ),
      offers.length === 0
        ? "no licence offers"
        : table(
            ["offer", "price (wei)", "credits", "duration (s)", "sold", "on sale"],
            offers.map((o) => [o.offerId, o.price, o.credits, o.duration, o.sold, o.onSale ? "yes" : "no"]),
          ),
      `revenue split: contributors ${contributorsBps} bps, holders ${holdersBps} bps, treasury ${treasuryBps} bps`,
      ...revenue.map(
        (r) =>
          `deposited in ${r.token === ETH ? "ETH" : r.token}: ${r.deposited}; ` +
          (r.locked === 0n
            ? "no holder revenue unlocking"
            : `holder revenue still unlocking: ${r.locked} until ${isoTime(r.unlockEnd)}`) +
          ` (window ${r.window} s)`,
      ),
    ].join("\n"),
  );
});
