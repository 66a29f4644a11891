/**
 * What an inference route sees of metering: before calling the model it asks for a `MeteredCall` (which checks the
 * caller's sign-in, licence, receipts and credits, and reserves the call's worst-case cost, or throws the 401/402/403
 * problem); after the model answered it commits the call with what the model reported (charging at most what was
 * reserved), or releases it when the model failed (charging nothing).
 */
import type { FastifyRequest } from "fastify";

import type { UsageRecord } from "../ledger/ledger.ts";

/** Header naming the credits a call was charged (non-streamed answers). */
export const CREDITS_CHARGED_HEADER = "X-Weightshare-Credits-Charged";
/** Header naming the licence's running total charged, right after the call. */
export const TOTAL_CHARGED_HEADER = "X-Weightshare-Total";

/** How a route bounds a call's cost before it runs. */
export type CostEstimate =
  /** A call priced per call (tensor inference, or any call under a per-call rate). */
  | { kind: "call" }
  /**
   * A call priced per 1,000 tokens: `maxOutputTokens` from the request (`max_tokens`, `max_completion_tokens`), when
   * it sets one, and the size of its prompt in UTF-8 bytes (an upper bound of its tokens for every tokenizer in use).
   */
  | { kind: "tokens"; promptBytes: number; maxOutputTokens?: number };

/** Token usage the model reported (OpenAI `usage`). */
export interface ReportedUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** One metered call in flight. */
export interface MeteredCall {
  readonly callId: string;
  readonly licenceId: bigint;
  readonly account: string;
  /** Worst-case cost reserved, in credits. */
  readonly maxCost: bigint;
  /**
   * When set, the request named no output bound (`max_tokens`) and the rate is per token: the route must send this
   * bound upstream, so that the reservation is a real worst case.
   */
  readonly maxOutputTokens?: number;
  /** Headers to send before the body (call id, licence, reserved cost). */
  readonly headers: Record<string, string>;
  /** The cost in credits of what the model reported (before capping at `maxCost`). */
  costOf(usage: ReportedUsage): bigint;
  /** Charges the call `min(costOf(usage), maxCost)` and returns the stored, gateway-signed record. */
  commit(usage: ReportedUsage): Promise<UsageRecord>;
  /** Charges nothing (the model failed or the client went away before an answer). */
  release(): Promise<void>;
}

/** What a route asks metering for. */
export interface CallRequest {
  modelId: bigint;
  /** Route label: "openai:chat.completions", "openai:embeddings", "oip:infer", ... */
  route: string;
  /** Model name as the client asked for it. */
  model: string;
  estimate: CostEstimate;
}

/** The metering service routes call. */
export interface Metering {
  /**
   * Authenticates the request (bearer token from sign-in), accepts a receipt it carries (`X-Weightshare-Receipt`,
   * exact mode), checks the caller's licence of `modelId` at the chain's head, and reserves the worst-case cost.
   * Throws the problem to answer: 401 (no or bad token), 403 (no live licence), 402 (credits or authorisation
   * exhausted: with credits left, the call's cost and how to renew), 409 (a stale or replayed receipt), 503 (chain).
   */
  begin(request: FastifyRequest, call: CallRequest): Promise<MeteredCall>;
}
