/**
 * The licensee's side of metering over HTTP, all behind sign-in:
 * - `POST /usage/receipts` takes a receipt on its own (capped mode: sign a running total ahead, then call with any
 *   client, OpenAI's and Hugging Face's included);
 * - `GET /usage/quote?model=<id>` says what the caller's licence may still spend and the model's rate (what an exact
 *   client needs to sign the next running total);
 * - `GET /usage` lists every call charged to the caller with the gateway's signature over each (see signed-usage.ts).
 */
import type { FastifyInstance } from "fastify";

import type { LicenceState, UsageRecord } from "../ledger/ledger.ts";
import { authenticate } from "../server/auth/bearer.ts";
import { requireJson } from "../server/content-type.ts";
import type { GatewayContext } from "../server/context.ts";
import { HttpProblem } from "../server/problem.ts";
import type { Meter } from "./meter.ts";
import { authorisedLeft, creditsLeft } from "./problems.ts";
import { USAGE_RECORD_FORMAT } from "./signed-usage.ts";

/** The JSON of a licence's metering state. */
export function licenceJson(state: LicenceState): Record<string, unknown> {
  return {
    licenceId: state.licenceId.toString(),
    modelId: state.modelId.toString(),
    metered: state.metered,
    authorised: state.cap.toString(),
    authorisedUntil: state.capDeadline,
    used: state.served.toString(),
    inFlight: state.reserved.toString(),
    settled: state.settled.toString(),
    creditsLeft: state.metered ? creditsLeft(state).toString() : null,
    authorisedLeft: authorisedLeft(state).toString(),
  };
}

/** The JSON of a usage record. */
export function recordJson(record: UsageRecord): Record<string, unknown> {
  return {
    callId: record.callId,
    licenceId: record.licenceId.toString(),
    account: record.account,
    route: record.route,
    model: record.model,
    status: record.status,
    cost: record.cost.toString(),
    total: record.total.toString(),
    promptTokens: record.promptTokens,
    completionTokens: record.completionTokens,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    signature: record.gatewaySignature,
  };
}

function badQuery(field: string, detail: string): HttpProblem {
  return new HttpProblem({ status: 400, title: "Bad query", kind: "bad-query", detail: `${field}: ${detail}` });
}

/** A model named as `7` or `weightshare/7`. */
export function modelIdParam(value: unknown): bigint {
  const text = typeof value === "string" ? value.replace(/^weightshare\//, "") : "";
  if (!/^(0|[1-9]\d{0,76})$/.test(text)) throw badQuery("model", `expected a model id such as 1 or weightshare/1`);
  return BigInt(text);
}

function optionalInteger(value: unknown, field: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d{1,15}$/.test(value) || Number(value) > max)
    throw badQuery(field, `expected a whole number up to ${max}`);
  return Number(value);
}

/** Registers the usage routes. */
export function usageRoutes(app: FastifyInstance, ctx: GatewayContext, meter: Meter): void {
  app.post("/usage/receipts", { bodyLimit: 8 * 1024, onRequest: requireJson("(a usage receipt)") }, async (request) => {
    const state = await meter.authorise(request, request.body);
    return { licence: licenceJson(state) };
  });

  app.get<{ Querystring: { model?: string } }>("/usage/quote", async (request) => {
    const modelId = modelIdParam(request.query.model);
    const { state, rate, now } = await meter.quote(request, modelId);
    return {
      model: `weightshare/${modelId}`,
      rate:
        "perCall" in rate
          ? { creditsPerCall: rate.perCall.toString() }
          : { creditsPer1kTokens: rate.per1kTokens.toString() },
      chainTime: now,
      operator: await meter.operator(),
      licence: licenceJson(state),
    };
  });

  app.get<{ Querystring: { licence?: string; limit?: string; before?: string } }>("/usage", async (request) => {
    const { address } = await authenticate(request, ctx.tokenScope);
    const { licence, limit, before } = request.query;
    if (licence !== undefined && !/^(0|[1-9]\d{0,76})$/.test(licence))
      throw badQuery("licence", "expected a licence id");
    const calls = await meter.ledger.usage(address.toLowerCase(), {
      licenceId: licence === undefined ? undefined : BigInt(licence),
      limit: optionalInteger(limit, "limit", 1000) ?? 100,
      before: optionalInteger(before, "before", Number.MAX_SAFE_INTEGER),
    });
    return {
      format: USAGE_RECORD_FORMAT,
      chainId: ctx.chainId.toString(),
      gateway: ctx.domain,
      operator: await meter.operator(),
      calls: await Promise.all(
        calls.map(async (call) =>
          recordJson({ ...call, gatewaySignature: call.gatewaySignature ?? (await meter.signRecord(call)) }),
        ),
      ),
    };
  });
}
