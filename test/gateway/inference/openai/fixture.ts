/**
 * The OpenAI proxy tests' world: the /v1 routes on a plain fastify app (problem+json installed as the gateway does,
 * listening on 127.0.0.1) in front of one loopback stand-in upstream (test/helpers/openai-standin.ts) that plays a
 * different behaviour for each model, and `recordingMetering`, a stand-in for the metering service (built elsewhere)
 * that admits known tokens, charges 1 credit per call and records every begin, commit and release.
 */
import type { Readable } from "node:stream";

import Fastify, { type FastifyInstance } from "fastify";
import OpenAI from "openai";

import type { UsageRecord } from "../../../../gateway/ledger/ledger.js";
import type { CallRequest, MeteredCall, Metering, ReportedUsage } from "../../../../gateway/metering/metered-call.js";
import { openaiRoutes } from "../../../../gateway/inference/openai/routes.js";
import { staticUpstreams, upstreamName, type Upstream } from "../../../../gateway/inference/openai/upstreams.js";
import { bearerToken } from "../../../../gateway/server/auth/bearer.js";
import { HttpProblem, installProblems } from "../../../../gateway/server/problem.js";
import { startOpenAIStandIn, type OpenAIStandIn, type StandInBehaviour } from "../../../helpers/openai-standin.js";

/** A token `recordingMetering` admits. */
export const GOOD_TOKEN = "licensee-token";
/** A token whose licensee has no credits left: `begin` throws 402. */
export const BROKE_TOKEN = "broke-token";
/** The detail of that 402. */
export const NO_CREDITS = "no credits left on licence #9: 0 credits remain and this call costs up to 1; renew it";
/** The upstream's own key (never the client's token). */
export const UPSTREAM_KEY = "upstream-secret";
/** The gateway's upstream timeout in these tests (ms). */
export const TIMEOUT_MS = 2_000;

/** Which behaviour serves which model id; model 1 also renames the model upstream and sends an API key. */
export const MODELS: Record<string, [modelId: bigint, behaviour: StandInBehaviour, delayMs?: number]> = {
  honest: [1n, "honest"],
  slow: [2n, "slow", 60_000],
  drop: [3n, "drop-mid-stream"],
  lying: [4n, "lying-usage"],
  failing: [5n, "error-500"],
  noUsage: [6n, "no-usage"],
  refusing: [7n, "bad-request"],
  trickle: [8n, "slow", 50],
  plain: [9n, "honest"],
};

/** Public model name of a MODELS key. */
export function model(key: keyof typeof MODELS): string {
  return upstreamName(MODELS[key][0]);
}

/** What `recordingMetering` saw of one call. */
export interface RecordedCall {
  callId: string;
  request: CallRequest;
  token: string;
  committed?: ReportedUsage;
  released: boolean;
}

/** The stand-in metering with its records. */
export interface RecordingMetering extends Metering {
  calls: RecordedCall[];
}

/** Stands in for the metering service only: 1 credit per call, records commits and releases (see the module). */
export function recordingMetering(): RecordingMetering {
  const calls: RecordedCall[] = [];
  let total = 0n;
  return {
    calls,
    async begin(request, call) {
      const token = bearerToken(request);
      if (token === BROKE_TOKEN) {
        throw new HttpProblem({
          status: 402,
          title: "Credits exhausted",
          kind: "credits-exhausted",
          detail: NO_CREDITS,
          extensions: { creditsLeft: "0", cost: "1" },
        });
      }
      if (token !== GOOD_TOKEN) {
        throw new HttpProblem({ status: 401, title: "Sign-in required", kind: "token-invalid", detail: "bad token" });
      }
      const recorded: RecordedCall = { callId: `call-${calls.length + 1}`, request: call, token, released: false };
      calls.push(recorded);
      const record = (cost: bigint): UsageRecord => ({
        callId: recorded.callId,
        licenceId: 9n,
        account: "0xabc",
        route: call.route,
        model: call.model,
        status: "served",
        reservedCost: 1n,
        cost,
        total,
        startedAt: 0,
      });
      const metered: MeteredCall = {
        callId: recorded.callId,
        licenceId: 9n,
        account: "0xabc",
        maxCost: 1n,
        headers: { "X-Weightshare-Call": recorded.callId, "X-Weightshare-Reserved": "1" },
        costOf: () => 1n,
        async commit(usage) {
          if (recorded.committed !== undefined || recorded.released) throw new Error("settled twice");
          recorded.committed = usage;
          total += 1n;
          return record(1n);
        },
        async release() {
          if (recorded.committed !== undefined || recorded.released) throw new Error("settled twice");
          recorded.released = true;
        },
      };
      return metered;
    },
  };
}

/** The running world. */
export interface OpenAIWorld {
  app: FastifyInstance;
  standIn: OpenAIStandIn;
  metering: RecordingMetering;
  /** Streamed answers in flight, as the gateway's StreamTracker would see them. */
  streams: Set<Readable>;
  /** The gateway's base URL, e.g. http://127.0.0.1:PORT (the API is under /v1). */
  url: string;
  /** The real `openai` client on the gateway (no retries, so each failure is seen once). */
  client(token?: string): OpenAI;
  close(): Promise<void>;
}

/** What a test may change in its world. */
export interface OpenAIWorldOptions {
  /** The routes' cap on one call's life (ms; default theirs, `MAX_CALL_MS`). */
  maxCallMs?: number;
  /** Sees each streamed body as the routes register it, before it is sent. */
  onStream?: (stream: Readable) => void;
}

/** Starts the stand-in and the routes. */
export async function openaiWorld(options: OpenAIWorldOptions = {}): Promise<OpenAIWorld> {
  const standIn = await startOpenAIStandIn();
  const upstreams: Upstream[] = Object.values(MODELS).map(([modelId, behaviour, delayMs]) => ({
    modelId,
    name: upstreamName(modelId),
    url: standIn.url(behaviour, delayMs),
    ...(modelId === 1n ? { apiKey: UPSTREAM_KEY, upstreamModel: "standin-llm" } : {}),
  }));
  const metering = recordingMetering();
  // Closing cuts every connection: undici's pool may hold one open that never sent a request.
  const app = Fastify({ forceCloseConnections: true });
  installProblems(app);
  const streams = new Set<Readable>();
  const track = (stream: Readable) => {
    streams.add(stream);
    stream.once("close", () => streams.delete(stream));
    options.onStream?.(stream);
    return stream;
  };
  openaiRoutes(app, {
    metering,
    upstreams: staticUpstreams(upstreams),
    timeoutMs: TIMEOUT_MS,
    maxCallMs: options.maxCallMs,
    streams: { track },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    app,
    streams,
    standIn,
    metering,
    url,
    client: (token = GOOD_TOKEN) => new OpenAI({ baseURL: `${url}/v1`, apiKey: token, maxRetries: 0 }),
    close: async () => {
      await app.close();
      await standIn.close();
    },
  };
}

/** Waits (bounded) until `condition` holds; for effects that land after a response, such as a release. */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** The last call metering saw. */
export function lastCall(world: OpenAIWorld): RecordedCall {
  const call = world.metering.calls.at(-1);
  if (call === undefined) throw new Error("metering saw no call");
  return call;
}
