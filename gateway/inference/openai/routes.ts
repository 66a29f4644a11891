/**
 * The OpenAI-compatible inference API under /v1, proxied to the consortium's own inference server (vLLM, llama.cpp's
 * server, Ollama, TGI) and metered per call: `GET /v1/models`, `GET /v1/models/{model}`, `POST /v1/chat/completions`,
 * `/v1/completions` and `/v1/embeddings`, streaming included. Unmodified OpenAI clients work with
 * `baseURL: <gateway>/v1` and the gateway's sign-in token as `apiKey`.
 *
 * A POST is checked (JSON content type, body size, a JSON object naming a served model), then metering begins the call
 * (sign-in, licence, credits: 401/402/403 from there), the request goes upstream, and the call is committed with the
 * upstream's reported usage or released when the upstream fails (502, costing nothing). A call lives at most
 * `maxCallMs` (504 `call-too-long` before its answer, an SSE error event in a stream). See forward.ts for what each
 * upstream failure becomes and relay.ts for streams. Listing models is public: it reveals only the public names.
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { MeteredCall, Metering } from "../../metering/metered-call.ts";
import type { StreamTracker } from "../../server/stream.ts";
import { ClientGoneError, installOpenAIProblems, modelNotFound } from "./errors.ts";
import {
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  MAX_CALL_MS,
  readBody,
  sendUpstream,
  upstreamFailed,
  UpstreamDeadline,
} from "./forward.ts";
import { startRelay, type StreamRelay } from "./relay.ts";
import { UpstreamAgents } from "./upstream-client.ts";
import {
  OPENAI_BODY_LIMIT,
  parseProxyRequest,
  withOutputBound,
  requireJson,
  ROUTE_LABELS,
  type OpenAIEndpoint,
  type ProxyRequest,
} from "./request.ts";
import type { Upstream, UpstreamDirectory } from "./upstreams.ts";
import { readUsage } from "./usage.ts";

/** What the OpenAI routes need. */
export interface OpenAIRouteDeps {
  metering: Metering;
  upstreams: UpstreamDirectory;
  /** Longest wait for an upstream's next bytes, in ms (default `DEFAULT_UPSTREAM_TIMEOUT_MS`). */
  timeoutMs?: number;
  /**
   * Longest life of one call from its reservation, in ms (default `MAX_CALL_MS`; keep it below the settler's
   * `staleCallMs`): then the upstream is aborted and the call settled, a stream ending with an SSE error event.
   */
  maxCallMs?: number;
  /**
   * Where streamed answers are registered (the gateway's `StreamTracker`), so that shutdown lets them finish, then
   * cuts them: a cut stream is settled as if its client had left (upstream aborted; released, or committed with what
   * was served).
   */
  streams?: Pick<StreamTracker, "track">;
}

/** Header naming the credits a call was charged (non-streamed answers; streams end with an SSE comment instead). */
export const CREDITS_CHARGED_HEADER = "X-Weightshare-Credits-Charged";
/** Header naming the licence's running total charged after the call. */
export const TOTAL_CHARGED_HEADER = "X-Weightshare-Total";

function modelObject(upstream: Upstream): Record<string, unknown> {
  return { id: upstream.name, object: "model", created: upstream.created ?? 0, owned_by: "weightshare" };
}

/**
 * Registers the /v1 routes on `app` (in their own encapsulated scope, whose errors carry OpenAI's `error` member).
 * Call before `app.ready()` / `listen()`.
 */
export function openaiRoutes(app: FastifyInstance, deps: OpenAIRouteDeps): void {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const limits = { timeoutMs, maxCallMs: deps.maxCallMs ?? MAX_CALL_MS };
  const agents = new UpstreamAgents();
  app.register(
    async (v1) => {
      installOpenAIProblems(v1);
      // After the last request: the pooled upstream connections would hold the process open.
      v1.addHook("onClose", async () => agents.destroy());
      v1.get("/models", async () => ({ object: "list", data: deps.upstreams.list().map(modelObject) }));
      // Model names hold a slash ("weightshare/7"): clients send it raw or as %2F.
      v1.get<{ Params: { "*": string } }>("/models/*", async (request) => {
        const name = request.params["*"];
        const upstream = deps.upstreams.resolve(name);
        if (upstream === undefined)
          throw modelNotFound(
            name,
            deps.upstreams.list().map((u) => u.name),
          );
        return modelObject(upstream);
      });
      for (const endpoint of Object.keys(ROUTE_LABELS) as OpenAIEndpoint[]) {
        v1.post(`/${endpoint}`, { bodyLimit: OPENAI_BODY_LIMIT, onRequest: requireJson }, (request, reply) =>
          proxyCall(deps, agents, limits, endpoint, request, reply),
        );
      }
    },
    { prefix: "/v1" },
  );
}

async function proxyCall(
  deps: OpenAIRouteDeps,
  agents: UpstreamAgents,
  limits: { timeoutMs: number; maxCallMs: number },
  endpoint: OpenAIEndpoint,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const parsed = parseProxyRequest(endpoint, request.body, deps.upstreams);
  const call = await deps.metering.begin(request, {
    modelId: parsed.upstream.modelId,
    route: ROUTE_LABELS[endpoint],
    model: parsed.model,
    estimate: parsed.estimate,
  });
  const proxy = withOutputBound(parsed, call.maxOutputTokens);
  reply.headers(call.headers);
  const { timeoutMs, maxCallMs } = limits;
  const deadline = new UpstreamDeadline(timeoutMs, maxCallMs);
  let relay: StreamRelay | undefined;
  // The call's whole life is capped below the settler's stale-reservation age (see MAX_CALL_MS).
  const lifetime = setTimeout(() => {
    deadline.abort("too-long");
    void relay?.expire();
  }, maxCallMs);
  // The client leaving aborts the upstream request: its generation stops.
  reply.raw.on("close", () => {
    clearTimeout(lifetime);
    if (!reply.raw.writableFinished) deadline.abort("client-gone");
  });
  // A client that left while metering began the call is not served: its 'close' came before the listener.
  if (reply.raw.destroyed || request.raw.socket?.destroyed === true) {
    clearTimeout(lifetime);
    deadline.abort("client-gone");
    await releaseQuietly(request, call);
    throw new ClientGoneError();
  }
  keepClientWhileWaiting(request, reply, timeoutMs);

  let response: IncomingMessage;
  try {
    response = await sendUpstream(agents, proxy, deadline);
  } catch (error) {
    await releaseQuietly(request, call);
    throw error;
  }
  if (proxy.stream) {
    if (!(response.headers["content-type"] ?? "").toLowerCase().startsWith("text/event-stream")) {
      response.destroy();
      await releaseQuietly(request, call);
      throw upstreamFailed(proxy, "answered a streamed request without an event stream");
    }
    reply
      .header("content-type", "text/event-stream; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("x-accel-buffering", "no");
    relay = startRelay({ request: proxy, response, deadline, call, log: request.log });
    if (deadline.reason === "too-long") void relay.expire();
    const body = Readable.from(relay.events);
    // Destroyed before its first read (the client left meanwhile), the body never runs the relay's own cleanup.
    const started = relay;
    body.once("close", () => void started.closed());
    deps.streams?.track(body);
    return reply.send(body);
  }
  return answerJson(proxy, response, deadline, call, request, reply);
}

/** A non-streamed answer: read it whole, commit its usage, relay it with the charge in headers. */
async function answerJson(
  proxy: ProxyRequest,
  response: IncomingMessage,
  deadline: UpstreamDeadline,
  call: MeteredCall,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  let body: Buffer;
  try {
    body = await readBody(response, proxy, deadline);
  } catch (error) {
    await releaseQuietly(request, call);
    throw error;
  }
  const answer = jsonObject(body);
  if (answer === undefined) {
    await releaseQuietly(request, call);
    throw upstreamFailed(proxy, "answered something that is not a JSON object");
  }
  const usage = readUsage(answer);
  if (usage === undefined) request.log.warn({ callId: call.callId }, "the upstream reported no usage for a call");
  let record;
  try {
    record = await call.commit(usage ?? {});
  } catch (error) {
    await releaseQuietly(request, call);
    throw error;
  }
  if (proxy.upstream.upstreamModel !== undefined && answer.model !== undefined) {
    answer.model = proxy.model;
    body = Buffer.from(JSON.stringify(answer));
  }
  return reply
    .header(CREDITS_CHARGED_HEADER, record.cost.toString())
    .header(TOTAL_CHARGED_HEADER, record.total.toString())
    .header("content-type", "application/json")
    .send(body);
}

function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Releases `call`, logging (not throwing) a metering failure so that the problem the client gets stays the real one. */
async function releaseQuietly(request: FastifyRequest, call: MeteredCall): Promise<void> {
  try {
    await call.release();
  } catch (error) {
    request.log.error({ err: error, callId: call.callId }, "metering failed to release a call");
  }
}

/**
 * While the upstream generates a non-streamed answer the client's connection is silent: a server whose idle timeout
 * (fastify's `connectionTimeout`) is shorter than the upstream timeout would cut it. Lengthen this socket's idle
 * timeout for this call, and restore the server's when the reply is done.
 */
function keepClientWhileWaiting(request: FastifyRequest, reply: FastifyReply, timeoutMs: number): void {
  const socket = request.raw.socket;
  const serverTimeout = request.server.server.timeout;
  if (serverTimeout === 0 || serverTimeout >= timeoutMs + 5_000) return;
  socket.setTimeout(timeoutMs + 5_000);
  reply.raw.once("finish", () => socket.setTimeout(serverTimeout));
}
