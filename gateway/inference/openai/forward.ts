/**
 * Sending a checked request to its upstream and reading the answer, with a deadline on every wait: the response's
 * headers and each read of its body must come within `timeoutMs` of the previous bytes (a generation may take minutes
 * overall, but a server that goes silent is given up on). The client's token never goes upstream: only the
 * upstream's own `apiKey`, when configured.
 *
 * What an upstream failure becomes (the call is released, costing nothing, in every case):
 * - no connection, a timeout, a cut body, a 5xx, a redirect (never
 *   followed) or any other unexpected status: 502 `upstream-failed`;
 * - 429: 503 `upstream-busy`, with the upstream's Retry-After;
 * - 400, 413, 422: the same status, `upstream-rejected`, with the upstream's error message: these are the client's
 *   input as the model server judged it (context length exceeded, a parameter out of range), and the client can fix
 *   them only if it is told what they are. Only the message string is taken (cut to 500 characters, control
 *   characters dropped), never the upstream's headers or other members.
 */
import type { ClientRequest, IncomingMessage } from "node:http";

import { HttpProblem } from "../../server/problem.ts";
import { ClientGoneError } from "./errors.ts";
import type { ProxyRequest } from "./request.ts";
import { readWhole, type UpstreamAgents } from "./upstream-client.ts";

/** Default longest wait for an upstream's next bytes (its headers, or more of its body), in ms. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 120_000;
/**
 * Longest life of one call, from its reservation to its end (ms): when it passes, the upstream request is aborted and
 * the call settled (see relay.ts for streams). It must stay below the settler's `staleCallMs` (15 minutes), which
 * releases reservations it takes for a dead replica's: a call still running then would be committed against a
 * released reservation (free, and beyond the licensee's cap).
 */
export const MAX_CALL_MS = 10 * 60_000;
/** Largest non-streamed upstream answer the gateway relays (embeddings of a large batch stay far below it). */
export const MAX_UPSTREAM_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Largest upstream error body read for its message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Why an upstream request was aborted: idle beyond the timeout, the client left, or the call outlived its cap. */
export type AbortReason = "timeout" | "client-gone" | "too-long";

/** The idle deadline of one upstream request, and what destroys the request when it passes or the client leaves. */
export class UpstreamDeadline {
  /** The longest wait for the upstream's next bytes (ms). */
  readonly timeoutMs: number;
  /** The longest life of the call (ms), named when it is cut for that reason (the route runs its timer). */
  readonly maxCallMs: number;
  private request?: ClientRequest;
  /** Why the request was aborted, or undefined while it was not. */
  reason: AbortReason | undefined;

  /**
   * @param timeoutMs the longest wait for the upstream's next bytes.
   * @param maxCallMs the longest life of the call.
   */
  constructor(timeoutMs: number, maxCallMs: number = MAX_CALL_MS) {
    this.timeoutMs = timeoutMs;
    this.maxCallMs = maxCallMs;
  }

  /** The upstream request this deadline guards (destroyed at once when it was aborted already). */
  attach(request: ClientRequest): void {
    this.request = request;
    if (this.reason !== undefined) request.destroy(this.error());
  }

  /** Waits for `step`, aborting the upstream request if it takes longer than the timeout. */
  async watch<T>(step: Promise<T>): Promise<T> {
    const timer = setTimeout(() => this.abort("timeout"), this.timeoutMs);
    try {
      return await step;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Aborts the upstream request, closing its connection (no effect once aborted). */
  abort(reason: AbortReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.request?.destroy(this.error());
  }

  private error(): Error {
    return this.reason === "client-gone"
      ? new ClientGoneError()
      : new Error(`upstream request aborted: ${this.reason}`);
  }
}

/** The 502 for an upstream that failed `how` ("did not answer within 2 s", "answered 500"...). */
export function upstreamFailed(request: ProxyRequest, how: string): HttpProblem {
  return new HttpProblem({
    status: 502,
    title: "Upstream failed",
    kind: "upstream-failed",
    detail: `the inference server for ${request.model} ${how}; this call was not charged, retry later`,
  });
}

/**
 * The 504 for a call cut at `maxCallMs`; `charged` says whether the text served before was charged (a stream) or
 * the call was released.
 */
export function callTooLong(request: ProxyRequest, maxCallMs: number, charged: boolean): HttpProblem {
  return new HttpProblem({
    status: 504,
    title: "Call too long",
    kind: "call-too-long",
    detail:
      `the call to ${request.model} exceeded its time: the gateway ends a call after ${maxCallMs / 1000} s; ` +
      (charged ? "the text sent so far was charged" : "this call was not charged") +
      ", ask for a shorter answer (max_tokens) or read the stream faster",
  });
}

/** What a failed request or read means: the client left, the deadline passed, or the upstream broke. */
export function failureOf(request: ProxyRequest, deadline: UpstreamDeadline): Error {
  if (deadline.reason === "client-gone") return new ClientGoneError();
  if (deadline.reason === "too-long") return callTooLong(request, deadline.maxCallMs, false);
  if (deadline.reason === "timeout") {
    return upstreamFailed(request, `sent nothing for ${deadline.timeoutMs / 1000} s (the gateway's upstream timeout)`);
  }
  return upstreamFailed(request, "could not be reached or closed the connection");
}

/**
 * Sends `request` upstream on `agents` and returns its 2xx response (headers read, body unread: read it, or destroy
 * it), or throws the problem to answer.
 */
export async function sendUpstream(
  agents: UpstreamAgents,
  request: ProxyRequest,
  deadline: UpstreamDeadline,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: request.stream ? "text/event-stream" : "application/json",
  };
  if (request.upstream.apiKey !== undefined) headers.authorization = `Bearer ${request.upstream.apiKey}`;
  let response: IncomingMessage;
  try {
    response = await deadline.watch(
      agents.post(request.upstream, request.endpoint, headers, request.upstreamBody, (r) => deadline.attach(r)),
    );
  } catch {
    throw failureOf(request, deadline);
  }
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return response;
  const text = await readBody(response, request, deadline, MAX_ERROR_BODY_BYTES).then(
    (body) => body.toString("utf8"),
    () => "",
  );
  throw upstreamStatusProblem(request, response, text);
}

function upstreamMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const candidates = [typeof body.error === "object" ? body.error?.message : body.error, body.message, body.detail];
    const message = candidates.find((c): c is string => typeof c === "string" && c.trim() !== "");
    // Control characters would let an upstream forge log lines or break a client's display.
    // eslint-disable-next-line no-control-regex
    return message?.replace(/[\u0000-\u001f\u007f]+/g, " ").slice(0, 500);
  } catch {
    return undefined;
  }
}

function upstreamStatusProblem(request: ProxyRequest, response: IncomingMessage, text: string): HttpProblem {
  const status = response.statusCode ?? 0;
  if (status === 400 || status === 413 || status === 422) {
    const message = upstreamMessage(text) ?? `it answered ${status} without a message`;
    return new HttpProblem({
      status,
      title: "Refused by the model server",
      kind: "upstream-rejected",
      detail: `the inference server for ${request.model} refused the request: ${message}`,
    });
  }
  if (status === 429) {
    const retry = response.headers["retry-after"];
    return new HttpProblem({
      status: 503,
      title: "Model server busy",
      kind: "upstream-busy",
      detail: `the inference server for ${request.model} is busy; this call was not charged, retry later`,
      headers: { "Retry-After": retry !== undefined && /^\d{1,6}$/.test(retry) ? retry : "1" },
    });
  }
  return upstreamFailed(request, `answered HTTP ${status}`);
}

/** Reads a whole body, each chunk within the deadline, at most `limit` bytes (a 502 beyond). */
export async function readBody(
  response: IncomingMessage,
  request: ProxyRequest,
  deadline: UpstreamDeadline,
  limit: number = MAX_UPSTREAM_RESPONSE_BYTES,
): Promise<Buffer> {
  let read: Awaited<ReturnType<typeof readWhole>>;
  try {
    read = await readWhole(response, limit, deadline.timeoutMs, () => deadline.abort("timeout"));
  } catch {
    throw failureOf(request, deadline);
  }
  if ("tooLarge" in read) throw upstreamFailed(request, `answered more than ${limit} bytes`);
  return read.body;
}
