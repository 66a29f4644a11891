/**
 * The words of the proposal decoder (`decode.ts`): amounts in their token's units ("12.5 USDC", or the smallest
 * unit of a token whose decimals are not known), durations in days and hours, and a licence offer's terms.
 */
import { formatUnits, ZeroAddress, type Result } from "ethers";

import { formatDuration } from "../sdk/format.js";
import type { OfferTerms } from "./proposals.js";

export interface TokenUnits {
  symbol: string;
  decimals: number;
}

/** Symbol and decimals by token address (any case). */
export type Tokens = ReadonlyMap<string, TokenUnits> | undefined;

export function offerTerms(t: Result): OfferTerms {
  return {
    price: t[0],
    paymentToken: t[1],
    duration: t[2],
    credits: t[3],
    cap: t[4],
    transferable: t[5],
    commercialUse: t[6],
    derivativesAllowed: t[7],
    onSale: t[8],
    termsURI: t[9],
    termsHash: t[10],
    parentShareBps: t[11],
    minDerivativePrice: t[12],
  };
}

export function termsText(t: OfferTerms, tokens: Tokens): string {
  return [
    amount(t.price, t.paymentToken, tokens),
    t.duration === 0n ? "perpetual" : formatDuration(t.duration, true),
    t.credits === 0n ? "unmetered" : `${t.credits} credits`,
    t.cap === 0n ? "no cap" : `cap ${t.cap}`,
    t.transferable ? "transferable" : "not transferable",
    t.commercialUse ? "commercial use" : "no commercial use",
    derivativeText(t, tokens),
    t.onSale ? "on sale" : "not on sale",
    `terms ${t.termsURI} (keccak256 ${t.termsHash})`,
  ].join(", ");
}

/** Whether derivatives are allowed and, if so, what a derivative owes its parent. */
function derivativeText(t: OfferTerms, tokens: Tokens): string {
  if (!t.derivativesAllowed) return "no derivatives";
  const share = `derivatives allowed (parent takes ${Number(t.parentShareBps) / 100}% of a derivative's revenue`;
  const floor =
    t.minDerivativePrice === 0n
      ? ""
      : `; a derivative's licences cost at least ${amount(t.minDerivativePrice, t.paymentToken, tokens)}`;
  return `${share}${floor})`;
}

function units(token: string, tokens: Tokens): TokenUnits | undefined {
  if (token === ZeroAddress) return { symbol: "ETH", decimals: 18 };
  for (const [address, info] of tokens ?? []) {
    if (address.toLowerCase() === token.toLowerCase()) return info;
  }
  return undefined;
}

/** Basis points as a percentage first: "20% (2000 bps)", "12.5% (1250 bps)". */
export function bpsText(bps: bigint): string {
  return `${Number(bps) / 100}% (${bps} bps)`;
}

/** A revenue split: "contributors 20% (2000 bps), holders 50% (5000 bps), treasury 30% (3000 bps)". */
export function splitText(contributorsBps: bigint, holdersBps: bigint, treasuryBps: bigint): string {
  return `contributors ${bpsText(contributorsBps)}, holders ${bpsText(holdersBps)}, treasury ${bpsText(treasuryBps)}`;
}

export function tokenName(token: string, tokens: Tokens): string {
  return units(token, tokens)?.symbol ?? "the token";
}

/** "1.5 ETH", "12.5 USDC", or "1000 smallest units of 0x…" for a token whose decimals are not known. */
export function amount(value: bigint, token: string, tokens: Tokens): string {
  const info = units(token, tokens);
  if (info === undefined) return `${value} smallest units of ${token}`;
  return `${formatUnits(value, info.decimals).replace(/\.0$/, "")} ${info.symbol}`;
}
