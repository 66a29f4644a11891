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
 *   that disconnects right after the last token and before the usage chunk, which comes last;
 * - the call outlives `MAX_CALL_MS` (a long generation, a client reading slowly): settled at once as for a client that
 *   left, upstream aborted, and the client's stream ends with an SSE `error` event (`call_too_long`);
 * - a commit that fails is followed by a release, so the reservation does not wait for the settler.
 * Since the upstream reports usage only when asked, `stream_options.include_usage` is always sent; a client that did
 * not ask for it does not get the usage-only chunk (OpenAI's semantics).
 */
import type { IncomingMessage } from "node:http";

import type { FastifyBaseLogger } from "fastify";

import type { UsageRecord } from "../../ledger/ledger.ts";
import type { MeteredCall, ReportedUsage } from "../../metering/metered-call.ts";
import type { HttpProblem } from "../../server/problem.ts";
import { ClientGoneError, sseErrorEvent } from "./errors.ts";
import { callTooLong, failureOf, upstreamFailed, type UpstreamDeadline } from "./forward.ts";
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

/** A streamed call's relay: the events to send the client, and what its route calls from outside them. */
export interface StreamRelay {
  /** The event stream to send the client (see the module comment). Never throws. */
  events: AsyncGenerator<string>;
  /**
   * The call reached its time limit (`MAX_CALL_MS`): aborts the upstream and settles the call now, as for a client
   * that left (the events may be waiting on a slow client); the client's stream then ends with an SSE error event.
   * Idempotent.
   */
  expire(): Promise<void>;
  /**
   * The client's stream closed. When it closed before its first read (fastify destroys the body of a client gone
   * already, and a generator never started skips its `finally`), destroys the upstream answer and releases the call.
   */
  closed(): Promise<void>;
}

/** Starts relaying `ctx.response` (see the module comment); nothing is read before `events` is. */
export function startRelay(ctx: RelayContext): StreamRelay {
  const { request, deadline, call, log } = ctx;
  let started = false;
  let settled = false;
  let charged = false;
  let expiring: Promise<void> | undefined;
  let generated = 0;
  let lastUsage: ReportedUsage | undefined;

  async function release(): Promise<void> {
    try {
      await call.release();
    } catch (error) {
      log.error({ err: error, callId: call.callId }, "metering failed to release a streamed call");
    }
  }

  /** Settles the call once: commits `usage` (released if that fails), or releases it when `usage` is undefined. */
  async function settle(usage: ReportedUsage | undefined): Promise<UsageRecord | undefined> {
    if (settled) return undefined;
    settled = true;
    if (usage === undefined) return release().then(() => undefined);
    try {
      const record = await call.commit(usage);
      charged = true;
      return record;
    } catch (error) {
      // Left reserved, the call would hold the licensee's headroom until the settler's stale pass, then be free.
      log.error({ err: error, callId: call.callId }, "metering failed to commit a streamed call; releasing it");
      await release();
      return undefined;
    }
  }

  /** Settles as for a client that left: released when it got no text, else committed with what it was served. */
  function settleEarly(): Promise<UsageRecord | undefined> {
    return settle(generated === 0 ? undefined : partialUsage(request.estimate, generated, lastUsage));
  }

  function expire(): Promise<void> {
    expiring ??= (async () => {
      deadline.abort("too-long");
      await settleEarly();
    })();
    return expiring;
  }

  async function closed(): Promise<void> {
    if (started || settled) return;
    ctx.response.destroy();
    deadline.abort("client-gone");
    await settle(undefined);
  }

  async function* expired(): AsyncGenerator<string> {
    await expire();
    log.warn({ callId: call.callId, charged }, "streamed call exceeded its time; upstream aborted");
    yield sseErrorEvent(callTooLong(request, deadline.maxCallMs, charged));
  }

  async function* events(): AsyncGenerator<string> {
    started = true;
    const parser = new SseParser();
    // Pulled one chunk at a time: while the client does not read, neither does the gateway, and TCP stops the upstream.
    const chunks: AsyncIterator<Buffer> = ctx.response[Symbol.asyncIterator]();
    let finalUsage: ReportedUsage | undefined;

    async function* finish(): AsyncGenerator<string> {
      if (expiring !== undefined) return yield* expired();
      const usage = finalUsage ?? lastUsage;
      if (usage === undefined) log.warn({ callId: call.callId }, "the upstream reported no usage for a streamed call");
      const record = await settle(usage ?? {});
      if (record !== undefined) yield `: weightshare credits-charged=${record.cost} total=${record.total}\n\n`;
      yield "data: [DONE]\n\n";
    }

    async function* fail(problem: HttpProblem): AsyncGenerator<string> {
      if (expiring !== undefined) return yield* expired();
      log.warn({ callId: call.callId, detail: problem.detail }, "streamed call failed upstream; released");
      await settle(undefined);
      yield sseErrorEvent(problem);
    }

    try {
      for (;;) {
        if (expiring !== undefined) return yield* expired();
        let next: IteratorResult<Buffer>;
        try {
          next = await deadline.watch(chunks.next());
        } catch {
          if (deadline.reason === "too-long") return yield* expired();
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
          // Expired while this chunk's earlier events waited on the client: the call is settled already.
          if (expiring !== undefined) return yield* expired();
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
        await settleEarly();
      }
    }
  }

  return { events: events(), expire, closed };
}
