/**
 * From a version's published rate to credits: per call, or per 1,000 tokens rounded up per call. Before a call the
 * gateway reserves its worst case (`maxCost`); after it, it charges what the model reported (`costOf`), never more
 * than it reserved.
 */
import type { InferenceTerms } from "../publish/inference-terms.ts";
import type { CostEstimate, ReportedUsage } from "./metered-call.ts";

/** A rate in credits. */
export type Rate = { perCall: bigint } | { per1kTokens: bigint };

/**
 * Output tokens assumed for a call that sets no `max_tokens`: the route sends this bound upstream, so the reservation
 * is a real worst case.
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
/** Tokens a chat template may add around the prompt's own bytes (roles, separators). */
export const PROMPT_OVERHEAD_TOKENS = 256;

/** The rate in a version's inference terms. */
export function rateOf(terms: InferenceTerms): Rate {
  if (terms.creditsPerCall !== undefined) return { perCall: BigInt(terms.creditsPerCall) };
  return { per1kTokens: BigInt(terms.creditsPer1kTokens ?? "0") };
}

/** Human text of a rate ("2 credits per call", "5 credits per 1,000 tokens"). */
export function rateText(rate: Rate): string {
  return "perCall" in rate ? `${rate.perCall} credits per call` : `${rate.per1kTokens} credits per 1,000 tokens`;
}

function tokensCost(tokens: number, per1k: bigint): bigint {
  return (BigInt(Math.max(0, Math.ceil(tokens))) * per1k + 999n) / 1000n;
}

/**
 * The worst-case cost of a call, and the output-token bound the route must send upstream when the request set none
 * (undefined when it set one, or the rate is per call).
 */
export function maxCostOf(rate: Rate, estimate: CostEstimate): { maxCost: bigint; maxOutputTokens?: number } {
  if ("perCall" in rate) return { maxCost: rate.perCall };
  if (estimate.kind === "call") throw new Error("a per-token rate needs a token estimate");
  const output = estimate.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const tokens = estimate.promptBytes + PROMPT_OVERHEAD_TOKENS + output;
  return {
    maxCost: tokensCost(tokens, rate.per1kTokens),
    ...(estimate.maxOutputTokens === undefined ? { maxOutputTokens: output } : {}),
  };
}

/** The cost of what the model reported (before capping at the reservation). */
export function costOf(rate: Rate, usage: ReportedUsage): bigint {
  if ("perCall" in rate) return rate.perCall;
  const total = usage.totalTokens ?? (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
  return tokensCost(Number.isFinite(total) ? total : 0, rate.per1kTokens);
}
