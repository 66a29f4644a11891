/**
 * The proposal decoder's words for raises and sales of treasury fractions (governance/funding.ts): each call the
 * builders make comes back as the `ws propose --action` that makes it, a sentence, and its arguments. Pure.
 */
import { getAddress, type Result } from "ethers";

import type { RaiseTerms } from "../client/raises.js";
import type { SaleTerms } from "../client/sales.js";
import { amount, bpsText, type Tokens } from "./decode-text.js";

export interface FundingCall {
  action: string;
  summary: string;
  args: Record<string, unknown>;
}

/** The addresses the funding calls are told apart by (each absent on a deployment without it). */
export interface FundingAddresses {
  raises?: string;
  sales?: string;
}

/** A chain time as an ISO date: "2026-12-09T10:00:00Z". */
export function dateText(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

export function raiseTermsOfResult(t: Result): RaiseTerms {
  return {
    modelId: t[0],
    token: t[1],
    price: t[2],
    goal: t[3],
    cap: t[4],
    accountCap: t[5],
    opensAt: t[6],
    closesAt: t[7],
    allowlistRoot: t[8],
    termsHash: t[9],
    termsURI: t[10],
    tranches: [...(t[11] as bigint[])],
    seatPrice: t[12],
    seats: t[13],
    accessDeadline: t[14],
  };
}

export function saleTermsOfResult(t: Result): SaleTerms {
  return {
    modelId: t[0],
    token: t[1],
    startPrice: t[2],
    endPrice: t[3],
    amount: t[4],
    startsAt: t[5],
    endsAt: t[6],
  };
}

const ZERO_HASH = `0x${"0".repeat(64)}`;

/**
 * A raise's terms in one line: "1000 fractions of model #1 at 0.01 ETH each, goal 100 (1 ETH), cap 1000 (10 ETH),
 * no limit per account, from ... to ..., anyone may back, terms ipfs://... (keccak256 0x...), one tranche".
 */
export function raiseText(t: RaiseTerms, tokens: Tokens): string {
  const money = (value: bigint) => amount(value, t.token, tokens);
  const parts = [
    `up to ${t.cap} fractions of model #${t.modelId} at ${money(t.price)} each`,
    `goal ${t.goal} (${money(t.goal * t.price)}), cap ${t.cap} (${money(t.cap * t.price)})`,
    t.accountCap === 0n ? "no limit per account" : `at most ${t.accountCap} per account`,
    `open from ${dateText(t.opensAt)} to ${dateText(t.closesAt)}`,
    t.allowlistRoot === ZERO_HASH ? "anyone may back" : `allow-list root ${t.allowlistRoot}`,
    `terms ${t.termsURI} (keccak256 ${t.termsHash})`,
    t.tranches.length === 0
      ? "money released in one tranche"
      : `money released in tranches of ${t.tranches.map((bps) => bpsText(bps)).join(", ")}`,
  ];
  if (t.seatPrice !== 0n) {
    parts.push(
      `access presale: ${t.seats} licence seats at ${money(t.seatPrice)} each, offer named by ${dateText(t.accessDeadline)}`,
    );
  }
  return parts.join(", ");
}

/** A sale's terms in one line: "100 treasury fractions of model #1 at 0.01 ETH each, from ... to ...". */
export function saleText(t: SaleTerms, tokens: Tokens): string {
  const price =
    t.startPrice === t.endPrice
      ? `at ${amount(t.startPrice, t.token, tokens)} each`
      : `at a price falling from ${amount(t.startPrice, t.token, tokens)} to ${amount(t.endPrice, t.token, tokens)} each`;
  return `${t.amount} treasury fractions of model #${t.modelId} ${price}, from ${dateText(t.startsAt)} to ${dateText(t.endsAt)}`;
}

const same = (a: unknown, b: string | undefined) => b !== undefined && getAddress(String(a)) === getAddress(b);

/**
 * The call `${contract}.${fn}` with arguments `a` in words, or null when no funding builder makes it (the decoder
 * then tries its other builders, or shows the call as it is).
 */
export function describeFunding(
  key: string,
  a: Result,
  addresses: FundingAddresses,
  tokens: Tokens,
): FundingCall | null {
  const call = (action: string, summary: string, args: Record<string, unknown>) => ({ action, summary, args });
  switch (key) {
    case "shares.grantMinting":
      if (!same(a[1], addresses.raises)) return null;
      return call(
        "open-raise",
        `let the Raises contract mint up to ${a[2]} more fractions of model #${a[0]} (what a raise may sell; a grant cannot be taken back)`,
        { modelId: a[0], minter: a[1], amount: a[2] },
      );
    case "shares.setApprovalForAll":
      if (!same(a[0], addresses.sales) || a[1] !== true) return null;
      return call(
        "open-sale",
        "let the FractionSales contract move the treasury's fractions (only what a sale it opens offers)",
        { operator: a[0], approved: a[1] },
      );
    case "raises.open": {
      const terms = raiseTermsOfResult(a[0]);
      return call("open-raise", `open a raise: ${raiseText(terms, tokens)}`, {
        modelId: terms.modelId,
        token: terms.token,
        terms,
      });
    }
    case "raises.cancel":
      return call("cancel-raise", `cancel raise #${a[0]}: everything committed becomes refundable`, {
        raiseId: a[0],
      });
    case "raises.releaseTranche":
      return call("release-tranche", `release the next tranche of raise #${a[0]} to the treasury`, {
        raiseId: a[0],
      });
    case "raises.failMilestone":
      return call(
        "fail-milestone",
        `declare the current milestone of raise #${a[0]} failed: what is not released becomes refundable to its backers`,
        { raiseId: a[0] },
      );
    case "raises.setAccessOffer":
      return call("set-access-offer", `deliver the licence seats of raise #${a[0]} from offer ${a[1]}`, {
        raiseId: a[0],
        offerId: a[1],
      });
    case "sales.open": {
      const terms = saleTermsOfResult(a[0]);
      return call("open-sale", `sell ${saleText(terms, tokens)}`, {
        modelId: terms.modelId,
        token: terms.token,
        terms,
      });
    }
    case "sales.stop":
      return call("stop-sale", `stop sale #${a[0]}: its unsold fractions stay in the treasury`, { saleId: a[0] });
  }
  return null;
}
