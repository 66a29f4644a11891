/**
 * What `ws model` and `ws models` show of a model besides its holders: its licence offers, contributors, governance
 * settings and treasury balances, each amount raw (smallest units, for scripts) and as text in its token's units.
 */
import { ZeroAddress } from "ethers";

import type { Model } from "../../sdk/index.js";
import type { Context } from "./context.js";
import { balanceOf } from "./tokens.js";
import { formatAmount, formatDuration, tokenInfo, type TokenInfo } from "./units.js";

/** A model's fractions as a token: whole units, with the symbol it was registered with ("100 wsVIS"). */
export async function fractionInfo(m: Model): Promise<TokenInfo> {
  return { address: await m.votes.getAddress(), symbol: await m.votes.symbol(), decimals: 0 };
}

export interface OfferInfo {
  offerId: bigint;
  termsId: bigint;
  price: bigint;
  priceText: string;
  paymentToken: string;
  symbol: string;
  duration: bigint;
  durationText: string;
  credits: bigint;
  cap: bigint;
  sold: bigint;
  onSale: boolean;
  transferable: boolean;
  termsURI: string;
}

/** The model's licence offers with their current terms; a duration of 0 is perpetual, 0 credits unmetered. */
export async function offersOf(ctx: Context, modelId: bigint): Promise<OfferInfo[]> {
  const offers: OfferInfo[] = [];
  const count = await ctx.licenses.offerCount(modelId);
  for (let offerId = 1n; offerId <= count; ++offerId) {
    const [termsId, cap, sold, onSale] = await ctx.licenses.offer(modelId, offerId);
    const t = await ctx.licenses.terms(termsId);
    const token = await tokenInfo(ctx, t.paymentToken);
    offers.push({
      offerId,
      termsId,
      price: t.price,
      priceText: formatAmount(t.price, token),
      paymentToken: t.paymentToken,
      symbol: token.symbol,
      duration: t.duration,
      durationText: t.duration === 0n ? "perpetual" : formatDuration(t.duration),
      credits: t.credits,
      cap,
      sold,
      onSale,
      transferable: t.transferable,
      termsURI: t.termsURI,
    });
  }
  return offers;
}

/** Whether a buyer can buy under the offer now: on sale and not sold out. */
export function buyable(o: OfferInfo): boolean {
  return o.onSale && (o.cap === 0n || o.sold < o.cap);
}

/** The contributors' cut is shared among them by fixed shares; `percent` is of that cut. */
export async function contributorsOf(ctx: Context, modelId: bigint) {
  const [accounts, shares] = await ctx.vault.contributorsOf(modelId);
  const total = shares.reduce((a, b) => a + b, 0n);
  return accounts.map((account, i) => ({
    account,
    shares: shares[i],
    percent: total === 0n ? "0%" : `${Number((shares[i] * 10_000n) / total) / 100}%`,
  }));
}

/** The governor's and timelock's settings now, durations also as text and the threshold in fractions. */
export async function governanceOf(m: Model, fractions: TokenInfo) {
  const g = m.governor;
  const [votingDelay, votingPeriod, lateQuorumExtension, timelockDelay] = [
    await g.votingDelay(),
    await g.votingPeriod(),
    await g.lateQuorumVoteExtension(),
    await m.timelock.getMinDelay(),
  ];
  const proposalThreshold = await g.proposalThreshold();
  const quorumNumerator = await g["quorumNumerator()"]();
  const quorumDenominator = await g.quorumDenominator();
  // What a proposal made now would need: the numerator's share of the votable supply (the treasury's excluded).
  const quorum = ((await m.votes.votableSupply()) * quorumNumerator) / quorumDenominator;
  const guardian = await g.proposalGuardian();
  return {
    votingDelay,
    votingDelayText: formatDuration(votingDelay),
    votingPeriod,
    votingPeriodText: formatDuration(votingPeriod),
    proposalThreshold,
    proposalThresholdText: formatAmount(proposalThreshold, fractions),
    quorumNumerator,
    quorumDenominator,
    quorum,
    quorumText: formatAmount(quorum, fractions),
    lateQuorumExtension,
    lateQuorumExtensionText: formatDuration(lateQuorumExtension),
    timelockDelay,
    timelockDelayText: formatDuration(timelockDelay),
    guardian,
  };
}

/**
 * What the treasury (the model's timelock) holds: ETH, each payment token the model accepts, and the model's own
 * fractions (which carry no votes); `releasable` is the treasury's cut of revenue waiting in the vault.
 */
export async function treasuryOf(ctx: Context, m: Model, fractions: TokenInfo) {
  const address = await m.timelock.getAddress();
  const [tokens, allowed] = await ctx.vault.paymentTokensOf(m.modelId);
  const accepted = [ZeroAddress, ...tokens.filter((t, i) => allowed[i] && t !== ZeroAddress)];
  const balances = [];
  for (const token of accepted) {
    const info = await tokenInfo(ctx, token);
    const held = await balanceOf(ctx, token, address);
    const releasable = await ctx.vault.treasuryReleasable(m.modelId, token);
    balances.push({
      token,
      symbol: info.symbol,
      held,
      heldText: formatAmount(held, info),
      releasable,
      releasableText: formatAmount(releasable, info),
    });
  }
  const held = await ctx.shares.balanceOf(address, m.modelId);
  return { address, balances, fractions: held, fractionsText: formatAmount(held, fractions) };
}
