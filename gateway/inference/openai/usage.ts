/**
 * Token usage as upstreams report it (OpenAI's `usage`: `prompt_tokens`, `completion_tokens`, `total_tokens`), read
 * defensively: a count that is not a non-negative integer is dropped, one beyond 2^53 is clamped. Reported usage is
 * passed to metering as the upstream said it, however large: metering charges at most what the call reserved.
 */
import type { CostEstimate, ReportedUsage } from "../../metering/metered-call.ts";

function count(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return undefined;
  if (value > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  return Number.isInteger(value) ? value : undefined;
}

/**
 * The usage in an OpenAI response object or stream chunk, or undefined when it carries none (absent, null, or no
 * readable count).
 */
export function readUsage(response: unknown): ReportedUsage | undefined {
  if (typeof response !== "object" || response === null) return undefined;
  const usage = (response as { usage?: unknown }).usage;
  if (typeof usage !== "object" || usage === null) return undefined;
  const u = usage as Record<string, unknown>;
  const reported: ReportedUsage = {
    promptTokens: count(u.prompt_tokens),
    completionTokens: count(u.completion_tokens),
    totalTokens: count(u.total_tokens),
  };
  for (const key of Object.keys(reported) as (keyof ReportedUsage)[]) {
    if (reported[key] === undefined) delete reported[key];
  }
  return Object.keys(reported).length === 0 ? undefined : reported;
}

/** Bytes per token assumed when a prompt's tokens must be estimated (the usual figure for BPE tokenizers). */
export const BYTES_PER_TOKEN_ESTIMATE = 4;

/**
 * Usage of a stream the client abandoned before the upstream's usage chunk arrived: the upstream's last report if it
 * sent running totals, else prompt tokens estimated from the prompt's size and one completion token per chunk of
 * generated text forwarded (servers stream one token per chunk). Never above what `estimate` reserved.
 */
export function partialUsage(
  estimate: CostEstimate,
  forwardedTextChunks: number,
  lastReported: ReportedUsage | undefined,
): ReportedUsage {
  const promptBytes = estimate.kind === "tokens" ? estimate.promptBytes : 0;
  const maxOut = estimate.kind === "tokens" ? estimate.maxOutputTokens : undefined;
  const promptTokens = lastReported?.promptTokens ?? Math.ceil(promptBytes / BYTES_PER_TOKEN_ESTIMATE);
  let completionTokens = Math.max(lastReported?.completionTokens ?? 0, forwardedTextChunks);
  if (maxOut !== undefined) completionTokens = Math.min(completionTokens, maxOut);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}
