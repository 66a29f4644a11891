/**
 * `ws model --model-id N`: a model's addresses and operator, supply, holders with their votes and the revenue they
 * can claim in every token the model lists (`claimable`; `claimableEth` kept for scripts), licence offers (prices
 * in the offer's currency), contributors and their shares, governance settings, treasury balances, and revenue:
 * deposited, and the holders' cut still unlocking over the model's window. Then, when the deployment has the
 * contracts (tasks/lib/model-funding.ts): its raises, its treasury's sales of fractions, its reviews (count and
 * average rating) and its provenance attestations, with whether each attester may still attest; and, when it has
 * a lineage registry (tasks/lib/model-lineage.ts), its parents with their shares and licences, its derivatives and
 * its price floor.
 */
import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { splitText } from "../governance/index.js";
import { short, table } from "../sdk/index.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { holdersOf } from "./lib/holders.js";
import { listedTokens, money } from "./lib/tokens.js";
import { contributorsOf, fractionInfo, governanceOf, offersOf, treasuryOf } from "./lib/model-info.js";
import { fundingLines, fundingOf } from "./lib/model-funding.js";
import { lineageFor, lineageLines } from "./lib/model-lineage.js";
import { formatAmount, formatDuration, timeText, tokenInfo } from "./lib/units.js";
import { unlocking } from "./lib/unlocking.js";

interface Args extends CommonArgs {
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.modelId === "") throw new TaskInputError("--model-id: expected a model id");
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const record = await ctx.registry.model(m.modelId);
  const fractions = await fractionInfo(m);
  const eth = await tokenInfo(ctx, ZeroAddress);
  const listed = await listedTokens(ctx, m.modelId);
  const holders = await Promise.all(
    (await holdersOf(ctx, m.modelId)).map(async ({ account, balance }) => {
      // Unlocked so far, in every token the model lists (the rest still unlocking is below).
      const claimable = await Promise.all(
        listed.map(async (t) => money(await ctx.vault.claimable(m.modelId, t.address, account), t)),
      );
      const claimableEth = await ctx.vault.claimable(m.modelId, ZeroAddress, account);
      return {
        account,
        balance,
        balanceText: formatAmount(balance, fractions),
        votes: await m.votes.getVotes(account),
        delegate: await m.votes.delegates(account),
        claimableEth,
        claimableEthText: formatAmount(claimableEth, eth),
        claimable,
      };
    }),
  );
  const offers = await offersOf(ctx, m.modelId);
  const [contributorsBps, holdersBps, treasuryBps] = await ctx.vault.splitOf(m.modelId);
  const [tokens] = await ctx.vault.paymentTokensOf(m.modelId);
  const revenue = await Promise.all(
    tokens.map(async (token) => {
      const info = await tokenInfo(ctx, token);
      const deposited = await ctx.vault.totalDeposited(m.modelId, token);
      const u = await unlocking(ctx, m.modelId, token);
      return {
        token,
        symbol: info.symbol,
        deposited,
        depositedText: formatAmount(deposited, info),
        ...u,
        lockedText: formatAmount(u.locked, info),
        unlockEndText: u.unlockEnd === 0n ? "" : timeText(u.unlockEnd),
        windowText: formatDuration(u.window),
      };
    }),
  );
  const supply = await ctx.shares["totalSupply(uint256)"](m.modelId);
  const votableSupply = await m.votes.votableSupply();
  const data = {
    modelId: m.modelId,
    name: record.name,
    symbol: fractions.symbol,
    creator: record.creator,
    contentHash: record.contentHash,
    createdAt: record.createdAt,
    createdAtText: timeText(record.createdAt),
    metadataURI: await ctx.shares.uri(m.modelId),
    votes: record.votes,
    governor: record.governor,
    timelock: record.timelock,
    operator: await ctx.meter.operatorOf(m.modelId),
    supply,
    supplyText: formatAmount(supply, fractions),
    votableSupply,
    holders,
    offers,
    split: { contributorsBps, holdersBps, treasuryBps },
    contributors: await contributorsOf(ctx, m.modelId),
    governance: await governanceOf(m, fractions),
    treasury: await treasuryOf(ctx, m, fractions),
    revenue,
    // parents, derivatives and price floor, only when the deployment has a lineage registry.
    ...(await lineageFor(ctx, m.modelId)),
    // raises, sales, reviews, provenance: each only when the deployment has its contracts.
    ...(await fundingOf(ctx, m.modelId, await ctx.shares.treasuryOf(m.modelId))),
  };
  const g = data.governance;
  output(args.json, data, () =>
    [
      `model #${data.modelId} "${data.name}" (${data.symbol}; ${data.metadataURI || "no metadata"}), registered ${data.createdAtText}`,
      `governor ${data.governor}, timelock/treasury ${data.timelock}, votes ${data.votes}`,
      `operator (settles usage) ${data.operator === ZeroAddress ? "not named" : data.operator}`,
      `supply ${data.supplyText}, of which votable ${formatAmount(votableSupply, fractions)} (the treasury's carry no votes)`,
      table(
        ["holder", "fractions", "votes", "delegate", "claimable"],
        holders.map((h) => [
          short(h.account),
          h.balance,
          h.votes,
          short(h.delegate),
          h.claimable.length === 0 ? h.claimableEthText : h.claimable.map((c) => c.formatted).join(", "),
        ]),
      ),
      offers.length === 0
        ? "no licence offers"
        : table(
            ["offer", "price", "credits", "duration", "sold", "on sale", "transferable"],
            offers.map((o) => [
              o.offerId,
              o.priceText,
              o.credits === 0n ? "unmetered" : o.credits,
              o.durationText,
              o.cap === 0n ? o.sold : `${o.sold}/${o.cap}`,
              o.onSale ? "yes" : "no",
              o.transferable ? "yes" : "no",
            ]),
          ),
      ...lineageLines(data),
      `governance: voting delay ${g.votingDelayText}, voting period ${g.votingPeriodText}, proposal threshold ` +
        `${g.proposalThresholdText}, quorum ${g.quorumNumerator}/${g.quorumDenominator} of the votable supply ` +
        `(${g.quorumText} now), late quorum extension ${g.lateQuorumExtensionText}, timelock delay ` +
        `${g.timelockDelayText}, guardian ${g.guardian === ZeroAddress ? "none" : g.guardian}`,
      `treasury ${data.treasury.address}: ` +
        [
          ...data.treasury.balances.map(
            (b) => `${b.heldText}${b.releasable === 0n ? "" : ` (+ ${b.releasableText} releasable from the vault)`}`,
          ),
          data.treasury.fractionsText,
        ].join(", "),
      `revenue split: ${splitText(contributorsBps, holdersBps, treasuryBps)}`,
      data.contributors.length === 0
        ? "no contributors"
        : `contributors: ${data.contributors.map((c) => `${short(c.account)} ${c.shares} share${c.shares === 1n ? "" : "s"} (${c.percent})`).join(", ")}`,
      ...revenue.map(
        (r) =>
          `deposited in ${r.symbol}: ${r.depositedText}; ` +
          (r.locked === 0n
            ? "no holder revenue unlocking"
            : `holder revenue still unlocking: ${r.lockedText} until ${r.unlockEndText}`) +
          `; window ${r.windowText}`,
      ),
      ...fundingLines(data),
    ].join("\n"),
  );
});
