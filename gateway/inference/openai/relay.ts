/**
 * A streamed completion relayed event by event from the upstream to the client, pulled only as fast as the client
 * reads (the generator runs behind `Readable.from`, so TCP backpressure reaches the upstream), metering it as it ends:
 * - the upstream finishes (`[DONE]`, or its final usage-only chunk then the end of its stream): the call is committed
 *   with that usage, then the client gets an SSE comment naming the credits charged, and `[DONE]`;
 * - the upstream fails first (cut, silent beyond the timeout, an error event, no usage and no `[DONE]`): the call is
 *   released, charging nothing, and the client's stream ends with an SSE `error` event in OpenAI's shape;
 * - the client goes away first: the upstream request is aborted (its generation stops) and, if the client received
 *   no generated text, the call is released; otherwise it is committed with what was served (`partialUsage`: the
 *   upstream's own counts when it sent them, else an estimate). Releasing would make every answer free to a client
 *   that disconnects right after the last token and before the usage chunk, which comes last.
 * Since the upstream reports usage only when asked, `stream_options.include_usage` is always sent; a client that did
 * not ask for it does not get the usage-only chunk (OpenAI's semantics).
 */
import type { IncomingMessage } from "node:http";

import type { FastifyBaseLogger } from "fastify";

import type { MeteredCall, ReportedUsage } from "../../metering/metered-call.ts";
import type { HttpProblem } from "../../server/problem.ts";
import { ClientGoneError, sseErrorEvent } from "./errors.ts";
import { failureOf, upstreamFailed, type UpstreamDeadline } from "./forward.ts";
import type { ProxyRequest } from "./request.ts";
import { formatEvent, generatedChoices, SseParser, type SseEvent } from "./sse.ts";
import { partialUsage, readUsage } from "./usage.ts";

/** What a relay works with. */
export interface RelayContext {
  request: ProxyRequest;
  /** The upstream's 2xx event-stream response, body unread. */
  response: IncomingMessage;
  deadline: UpstreamDeadline;
  call: MeteredCall;
  log: FastifyBaseLogger;
}

/** How an upstream event is relayed. */
type Relayed =
  | { kind: "forward"; text: string; generated: number; usage?: ReportedUsage; final: boolean }
  | { kind: "drop"; usage?: ReportedUsage; final: boolean }
  | { kind: "failed"; problem: HttpProblem };

function relayEvent(ctx: RelayContext, event: SseEvent): Relayed {
  const { request } = ctx;
  if (event.event === "error") return { kind: "failed", problem: upstreamFailed(request, "reported an error") };
  if (event.data === undefined) return { kind: "forward", text: formatEvent(event), generated: 0, final: false };
  let chunk: Record<string, unknown>;
  try {
    chunk = JSON.parse(event.data) as Record<string, unknown>;
  } catch {
    return { kind: "failed", problem: upstreamFailed(request, "sent an event that is not JSON") };
  }
  if (typeof chunk !== "object" || chunk === null || chunk.error !== undefined) {
    return { kind: "failed", problem: upstreamFailed(request, "reported an error mid-answer") };
  }
  const usage = readUsage(chunk);
  const usageOnly = !Array.isArray(chunk.choices) || chunk.choices.length === 0;
  const final = usage !== undefined && usageOnly;
  let changed = false;
  // A client that did not ask for usage gets chunks as if it had not been asked for: no usage-only chunk, and no
  // `usage` member (not even the null the others carry).
  if (!request.clientWantsUsage && "usage" in chunk) {
    if (usageOnly && chunk.usage !== null) return { kind: "drop", usage, final };
    delete chunk.usage;
    changed = true;
  }
  if (request.upstream.upstreamModel !== undefined && chunk.model !== undefined) {
    chunk.model = request.model;
    changed = true;
  }
  const text = formatEvent(changed ? { ...event, data: JSON.stringify(chunk) } : event);
  return { kind: "forward", text, generated: generatedChoices(chunk), usage, final };
}

/** The event stream to send the client (see the module comment). Never throws. */
export async function* relayEvents(ctx: RelayContext): AsyncGenerator<string> {
  const { request, deadline, call, log } = ctx;
  const parser = new SseParser();
  // Pulled one chunk at a time: while the client does not read, neither does the gateway, and TCP stops the upstream.
  const chunks: AsyncIterator<Buffer> = ctx.response[Symbol.asyncIterator]();
  let settled = false;
  let generated = 0;
  let lastUsage: ReportedUsage | undefined;
  let finalUsage: ReportedUsage | undefined;

  async function settle(action: () => Promise<unknown>, what: string): Promise<boolean> {
    settled = true;
    try {
      await action();
      return true;
    } catch (error) {
      log.error({ err: error, callId: call.callId }, `metering failed to ${what} a streamed call`);
      return false;
    }
  }

  async function* finish(): AsyncGenerator<string> {
    const usage = finalUsage ?? lastUsage;
    if (usage === undefined) log.warn({ callId: call.callId }, "the upstream reported no usage for a streamed call");
    let charged = "";
    await settle(async () => {
      const record = await call.commit(usage ?? {});
      charged = `: weightshare credits-charged=${record.cost} total=${record.total}\n\n`;
    }, "commit");
    if (charged !== "") yield charged;
    yield "data: [DONE]\n\n";
  }

  async function* fail(problem: HttpProblem): AsyncGenerator<string> {
    log.warn({ callId: call.callId, detail: problem.detail }, "streamed call failed upstream; released");
    await settle(() => call.release(), "release");
    yield sseErrorEvent(problem);
  }

  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await deadline.watch(chunks.next());
      } catch {
        const failure = failureOf(request, deadline);
        if (failure instanceof ClientGoneError) return;
        if (finalUsage !== undefined) yield* finish();
        else yield* fail(failure as HttpProblem);
        return;
      }
      if (next.done) {
        if (finalUsage !== undefined) yield* finish();
        else yield* fail(upstreamFailed(request, "ended its stream before it was complete"));
        return;
      }
      let events: SseEvent[];
      try {
        events = parser.push(next.value);
      } catch {
        yield* fail(upstreamFailed(request, "sent a malformed event stream"));
        return;
      }
      for (const event of events) {
        if (event.data === "[DONE]") {
          yield* finish();
          return;
        }
        const relayed = relayEvent(ctx, event);
        if (relayed.kind === "failed") {
          yield* fail(relayed.problem);
          return;
        }
        if (relayed.usage !== undefined) lastUsage = relayed.usage;
        if (relayed.final) finalUsage = relayed.usage;
        if (relayed.kind === "forward") {
          yield relayed.text;
          generated += relayed.generated;
        }
      }
    }
  } finally {
    // Destroys the response: its connection is closed unless the upstream had ended it (then it is reused).
    await chunks.return?.().catch(() => undefined);
    if (!settled) {
      // The client went away (or stopped reading) before the end: stop the upstream's generation.
      deadline.abort("client-gone");
      if (generated === 0) await settle(() => call.release(), "release");
      else await settle(() => call.commit(partialUsage(request.estimate, generated, lastUsage)), "commit");
    }
  }
}
