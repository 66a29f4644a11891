/**
 * Licensed inference from a client: what `ws infer`, the demo and scripts use.
 * - Exact mode (`meteredFetch`, `inferTensors`): before each call, read the licence's running total
 *   (`GET /usage/quote`) and sign a receipt for that total plus this call's worst case; the gateway charges at most
 *   that, so the licensee never pays for a call it did not sign.
 * - Capped mode (`authoriseCap`): sign a running total ahead (e.g. +50 credits) once; then any client (OpenAI's,
 *   Hugging Face's, curl) calls with just the bearer token until it is used up.
 * Receipts are EIP-712 `UsageReceipt`s under the UsageMeter's domain (`receiptDomain(meter)` in client/receipts.ts).
 */
import type { Signer, TypedDataDomain } from "ethers";

import { USAGE_RECEIPT_TYPES } from "../../client/receipts.ts";
import { maxCostOf, type Rate } from "../metering/pricing.ts";
import type { CostEstimate } from "../metering/metered-call.ts";
import { type Fetch, checkResponse, gatewayBase, gatewayPath, requestJson, send } from "./http.ts";

/** What a licence may still spend on a gateway (`GET /usage/quote`). */
export interface UsageQuote {
  model: string;
  rate: { creditsPerCall?: string; creditsPer1kTokens?: string };
  chainTime: number;
  operator: string;
  licence: {
    licenceId: string;
    modelId: string;
    metered: boolean;
    authorised: string;
    used: string;
    inFlight: string;
    settled: string;
    creditsLeft: string | null;
    authorisedLeft: string;
  };
}

/** A signed-in caller that signs receipts. */
export interface MeteredSession {
  /** The gateway's base URL. */
  gateway: string | URL;
  /** Bearer token from `signIn`. */
  token: string;
  /** The licensee (the signed-in account). */
  signer: Signer;
  /** The UsageMeter's EIP-712 domain. */
  domain: TypedDataDomain;
  /** Seconds a receipt runs (default 3600; the meter accepts at most one day). */
  receiptTtl?: number;
  fetch?: Fetch;
}

/** The receipt as the gateway takes it (JSON). */
export interface ReceiptJson {
  licenceId: string;
  cap: string;
  deadline: number;
  signature: string;
}

/** `GET /usage/quote` for `modelId`. */
export function quoteUsage(session: MeteredSession, modelId: bigint): Promise<UsageQuote> {
  const url = gatewayPath(gatewayBase(session.gateway), `usage/quote?model=${modelId}`);
  return requestJson<UsageQuote>(session.fetch ?? fetch, url, { token: session.token });
}

/** Signs a receipt authorising `licenceId` up to a running total of `cap`. */
export async function signReceiptJson(
  session: MeteredSession,
  licenceId: bigint,
  cap: bigint,
  chainTime: number,
): Promise<ReceiptJson> {
  const deadline = chainTime + (session.receiptTtl ?? 3600);
  const signature = await session.signer.signTypedData(session.domain, USAGE_RECEIPT_TYPES, {
    licenceId,
    cap,
    deadline,
  });
  return { licenceId: licenceId.toString(), cap: cap.toString(), deadline, signature };
}

function rateOfQuote(quote: UsageQuote): Rate {
  return quote.rate.creditsPerCall !== undefined
    ? { perCall: BigInt(quote.rate.creditsPerCall) }
    : { per1kTokens: BigInt(quote.rate.creditsPer1kTokens ?? "0") };
}

/** The receipt for one more call of worst case `estimate` (exact mode); undefined for an unmetered licence. */
export async function receiptForCall(
  session: MeteredSession,
  modelId: bigint,
  estimate: CostEstimate,
): Promise<ReceiptJson | undefined> {
  const quote = await quoteUsage(session, modelId);
  if (!quote.licence.metered) return undefined;
  const { maxCost } = maxCostOf(rateOfQuote(quote), estimate);
  const total = BigInt(quote.licence.used) + BigInt(quote.licence.inFlight) + maxCost;
  return signReceiptJson(session, BigInt(quote.licence.licenceId), total, quote.chainTime);
}

/**
 * Capped mode: signs a running total `credits` above what the licence used (and has in flight) and posts it.
 * Returns the licence's state after.
 */
export async function authoriseCap(
  session: MeteredSession,
  modelId: bigint,
  credits: bigint,
): Promise<UsageQuote["licence"]> {
  const quote = await quoteUsage(session, modelId);
  const base = BigInt(quote.licence.used) + BigInt(quote.licence.inFlight);
  const current = BigInt(quote.licence.authorised);
  const cap = (base > current ? base : current) + credits;
  const receipt = await signReceiptJson(session, BigInt(quote.licence.licenceId), cap, quote.chainTime);
  const url = gatewayPath(gatewayBase(session.gateway), "usage/receipts");
  const answer = await requestJson<{ licence: UsageQuote["licence"] }>(session.fetch ?? fetch, url, {
    method: "POST",
    token: session.token,
    body: receipt,
  });
  return answer.licence;
}

/** What a metered call answered, with what it was charged. */
export interface MeteredAnswer<T> {
  body: T;
  /** Credits charged (from X-Weightshare-Credits-Charged), when the answer says. */
  charged?: bigint;
  /** The licence's running total after the call (X-Weightshare-Total), when the answer says. */
  total?: bigint;
  callId?: string;
}

/**
 * An Open Inference Protocol call in exact mode: signs the receipt for this call, POSTs
 * `/v2/models/<modelId>/infer` with it, and returns the answer (errors as `GatewayError`).
 */
export async function inferTensors<T = unknown>(
  session: MeteredSession,
  modelId: bigint,
  request: { inputs: unknown[]; outputs?: unknown[]; id?: string; parameters?: unknown },
): Promise<MeteredAnswer<T>> {
  const receipt = await receiptForCall(session, modelId, { kind: "call" });
  return postMetered<T>(session, `v2/models/${modelId}/infer`, request, receipt);
}

/**
 * An OpenAI-compatible call in exact mode (non-streaming): `endpoint` is "chat/completions", "completions" or
 * "embeddings"; the body's `model` is `weightshare/<modelId>`.
 */
export async function openaiCall<T = unknown>(
  session: MeteredSession,
  modelId: bigint,
  endpoint: "chat/completions" | "completions" | "embeddings",
  body: Record<string, unknown>,
): Promise<MeteredAnswer<T>> {
  const promptBytes = Buffer.byteLength(JSON.stringify(body.messages ?? body.prompt ?? body.input ?? ""));
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const estimate: CostEstimate = {
    kind: "tokens",
    promptBytes,
    ...(endpoint === "embeddings" ? { maxOutputTokens: 0 } : {}),
    ...(typeof maxTokens === "number" ? { maxOutputTokens: maxTokens * Number(body.n ?? 1) } : {}),
  };
  const receipt = await receiptForCall(session, modelId, estimate);
  return postMetered<T>(session, `v1/${endpoint}`, { ...body, model: `weightshare/${modelId}` }, receipt);
}

async function postMetered<T>(
  session: MeteredSession,
  path: string,
  body: unknown,
  receipt: ReceiptJson | undefined,
): Promise<MeteredAnswer<T>> {
  const url = gatewayPath(gatewayBase(session.gateway), path);
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": "application/json",
    authorization: `Bearer ${session.token}`,
  };
  if (receipt !== undefined) headers["x-weightshare-receipt"] = JSON.stringify(receipt);
  const response = await send(session.fetch ?? fetch, url, { method: "POST", headers, body: JSON.stringify(body) });
  await checkResponse(response, url);
  const header = (name: string) => response.headers.get(name) ?? undefined;
  const charged = header("x-weightshare-credits-charged");
  const total = header("x-weightshare-total");
  return {
    body: (await response.json()) as T,
    ...(charged !== undefined ? { charged: BigInt(charged) } : {}),
    ...(total !== undefined ? { total: BigInt(total) } : {}),
    ...(header("x-weightshare-call") !== undefined ? { callId: header("x-weightshare-call") } : {}),
  };
}
