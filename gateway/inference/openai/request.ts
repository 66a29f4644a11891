/**
 * What a POST to an OpenAI route asks for, checked before any metering: a JSON object body naming a model the gateway
 * serves, the members that bound the call's cost (`max_tokens`, `max_completion_tokens`, `n`, `best_of`) well formed,
 * and the body to send upstream (the upstream's own model name; for streams `stream_options.include_usage` forced on,
 * so that the upstream reports usage at the end).
 */

import type { CostEstimate } from "../../metering/metered-call.ts";
import { requireJson as requireJsonBody } from "../../server/content-type.ts";
import { badRequest, modelNotFound } from "./errors.ts";
import type { Upstream, UpstreamDirectory } from "./upstreams.ts";

/** Largest request body the OpenAI routes accept (4 MiB: long chat histories and batched embedding inputs). */
export const OPENAI_BODY_LIMIT = 4 * 1024 * 1024;

/** The OpenAI endpoints the gateway proxies, by their path under /v1. */
export type OpenAIEndpoint = "chat/completions" | "completions" | "embeddings";

/** The metering route label of each endpoint. */
export const ROUTE_LABELS: Record<OpenAIEndpoint, string> = {
  "chat/completions": "openai:chat.completions",
  completions: "openai:completions",
  embeddings: "openai:embeddings",
};

/** A checked request, ready to meter and forward. */
export interface ProxyRequest {
  endpoint: OpenAIEndpoint;
  /** The model name as the client sent it. */
  model: string;
  upstream: Upstream;
  /** The client asked for server-sent events. */
  stream: boolean;
  /** The client asked for the final usage chunk itself (`stream_options.include_usage`). */
  clientWantsUsage: boolean;
  estimate: CostEstimate;
  /** The JSON body to send upstream. */
  upstreamBody: string;
}

/** Refuses (415) a POST whose Content-Type is not JSON, before its body is read: the routes' onRequest hook. */
export const requireJson = requireJsonBody("(the OpenAI endpoints take JSON)");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A member that must be absent/null or an integer in [min, max]. */
function optionalInteger(body: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(name, `"${name}" must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Upper bound of the output tokens the request may generate, when it bounds them at all. */
function maxOutputTokens(body: Record<string, unknown>, endpoint: OpenAIEndpoint): number | undefined {
  if (endpoint === "embeddings") return 0;
  const limit = Number.MAX_SAFE_INTEGER;
  const maxTokens = optionalInteger(body, "max_tokens", 0, limit);
  const maxCompletion = optionalInteger(body, "max_completion_tokens", 0, limit);
  // Servers differ in which one wins when both are set: bound by the larger.
  const perChoice =
    maxTokens === undefined
      ? maxCompletion
      : maxCompletion === undefined
        ? maxTokens
        : Math.max(maxTokens, maxCompletion);
  // n choices (and best_of candidates, which the server generates and counts) multiply what is generated.
  const n = optionalInteger(body, "n", 1, 128) ?? 1;
  const bestOf = endpoint === "completions" ? (optionalInteger(body, "best_of", 1, 128) ?? 1) : 1;
  return perChoice === undefined ? undefined : Math.min(perChoice * Math.max(n, bestOf), limit);
}

/** Checks `body` for `endpoint`; throws the 400/404 problem to answer. */
export function parseProxyRequest(endpoint: OpenAIEndpoint, body: unknown, upstreams: UpstreamDirectory): ProxyRequest {
  if (!isObject(body)) throw badRequest(null, "the request body must be a JSON object");
  const model = body.model;
  if (model === undefined || model === null) {
    throw badRequest("model", '"model" is missing; name a model the gateway serves (GET /v1/models)');
  }
  if (typeof model !== "string" || model.length === 0) {
    throw badRequest("model", `"model" must be a non-empty string; got ${JSON.stringify(model).slice(0, 100)}`);
  }
  const upstream = upstreams.resolve(model);
  if (upstream === undefined)
    throw modelNotFound(
      model,
      upstreams.list().map((u) => u.name),
    );

  const stream = body.stream ?? false;
  if (typeof stream !== "boolean") throw badRequest("stream", `"stream" must be true or false`);
  if (stream && endpoint === "embeddings") throw badRequest("stream", 'embeddings do not stream; omit "stream"');
  const options = body.stream_options ?? undefined;
  if (options !== undefined && !isObject(options)) {
    throw badRequest("stream_options", '"stream_options" must be an object such as {"include_usage": true}');
  }
  const clientWantsUsage = options?.include_usage === true;
  const estimateOut = maxOutputTokens(body, endpoint);

  const forward: Record<string, unknown> = { ...body, model: upstream.upstreamModel ?? model };
  if (stream) forward.stream_options = { ...options, include_usage: true };
  const upstreamBody = JSON.stringify(forward);
  const promptBytes =
    endpoint === "embeddings"
      ? Buffer.byteLength(JSON.stringify(body.input ?? ""))
      : // Everything in the body may become prompt tokens (messages, tools, the chat template's markers are
        // covered by the JSON punctuation around each message): its size bounds them.
        Buffer.byteLength(upstreamBody);
  return {
    endpoint,
    model,
    upstream,
    stream,
    clientWantsUsage,
    estimate: { kind: "tokens", promptBytes, maxOutputTokens: estimateOut },
    upstreamBody,
  };
}

/**
 * The request with an output bound metering chose (`MeteredCall.maxOutputTokens`: the client set none and the rate is
 * per token), sent upstream as `max_tokens` per choice, so the call's reservation is a real worst case.
 */
export function withOutputBound(proxy: ProxyRequest, maxOutputTokens: number | undefined): ProxyRequest {
  if (maxOutputTokens === undefined || proxy.endpoint === "embeddings") return proxy;
  const body = JSON.parse(proxy.upstreamBody) as Record<string, unknown>;
  const choices = Math.max(1, Number(body.n ?? 1), Number(body.best_of ?? 1));
  body.max_tokens = Math.max(1, Math.floor(maxOutputTokens / choices));
  return { ...proxy, upstreamBody: JSON.stringify(body) };
}
