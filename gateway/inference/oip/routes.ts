/**
 * The Open Inference Protocol's REST endpoints (KServe v2 / Triton) over the built-in ONNX runner:
 * - `GET /v2`: server metadata; `GET /v2/health/live`, `GET /v2/health/ready`;
 * - `GET /v2/models/{name}[/versions/{version}]`: model metadata; `.../ready`: model readiness;
 * - `POST /v2/models/{name}[/versions/{version}]/infer`: inference, metered per call.
 * A model's name is its id in decimal ("1"); its version is the one the source serves now. Metadata and health need
 * no licence. An inference request is checked against the model first (a bad one reserves nothing), then metering
 * reserves the call, the model runs, and the call is committed, or released when anything failed. Every error is a
 * problem+json body that also carries the protocol's `error` member.
 */
import { createRequire } from "node:module";

import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from "fastify";

import {
  CREDITS_CHARGED_HEADER,
  TOTAL_CHARGED_HEADER,
  type MeteredCall,
  type Metering,
} from "../../metering/metered-call.ts";
import { requireJson as requireJsonBody } from "../../server/content-type.ts";
import { HttpProblem } from "../../server/problem.ts";
import { OnnxBusyError, OnnxLoadError, OnnxRunError, type OnnxModel, type OnnxModelSource } from "../onnx/runner.ts";
import type { OnnxRunner } from "../onnx/runner.ts";
import { invalidField, oipErrorHandler, oipProblem } from "./problems.ts";
import { decodeInferRequest } from "./request.ts";
import { encodeInferResponse } from "./response.ts";

/** Largest inference request body accepted, in bytes (the gateway's global limit is 64 KiB). */
export const OIP_BODY_LIMIT = 8 * 1024 * 1024;

/** The ONNX platform name of model metadata (Triton's name for onnxruntime models). */
export const ONNX_PLATFORM = "onnxruntime_onnx";

/** What the OIP routes are built from. */
export interface OipDeps {
  metering: Metering;
  runner: OnnxRunner;
  source: OnnxModelSource;
  /** Name and version in server metadata (default "weightshare-gateway" and the package's version). */
  server?: { name: string; version: string };
}

type Params = { name: string; version?: string };

const DECIMAL_ID = /^(0|[1-9][0-9]{0,77})$/;

function notFound(detail: string): HttpProblem {
  return oipProblem({ status: 404, title: "Model not found", kind: "model-not-found", detail });
}

/** The model a request names, loaded; 404 when it is unknown or not at the version asked for. */
async function modelFor(deps: OipDeps, params: Params): Promise<OnnxModel> {
  const shown = JSON.stringify(params.name.slice(0, 80));
  if (!DECIMAL_ID.test(params.name)) {
    throw notFound(`no model named ${shown}: models are named by their id in decimal, e.g. "1"`);
  }
  let model: OnnxModel | undefined;
  try {
    model = await deps.runner.model(BigInt(params.name), deps.source);
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    if (error instanceof OnnxLoadError) {
      throw oipProblem({
        status: 500,
        title: "Model unavailable",
        kind: "model-load-failed",
        detail: `model ${params.name}'s file is not a model onnxruntime can load`,
      });
    }
    throw oipProblem({
      status: 502,
      title: "Model unavailable",
      kind: "model-unavailable",
      detail: `model ${params.name}'s file could not be read; retry later`,
    });
  }
  if (model === undefined) throw notFound(`no ONNX model ${params.name} is served here`);
  if (params.version !== undefined && params.version !== model.version) {
    throw notFound(
      `model ${params.name} is served at version ${JSON.stringify(model.version)}, ` +
        `not ${JSON.stringify(params.version.slice(0, 80))}`,
    );
  }
  return model;
}

/** The problem for a failed run: 503 when busy, 400 when onnxruntime blamed the inputs, else 500. */
function runProblem(error: unknown, request: FastifyRequest): unknown {
  if (error instanceof OnnxBusyError) {
    return oipProblem({
      status: 503,
      title: "Model busy",
      kind: "model-busy",
      detail: "the model has too many calls in flight; retry shortly (nothing was charged)",
      headers: { "Retry-After": "1" },
    });
  }
  if (error instanceof OnnxRunError) {
    request.log.warn({ err: error }, "onnxruntime refused a run");
    if (error.inputFault) {
      return invalidField(
        "inputs",
        "the model could not run on these inputs: their shapes do not fit the model or each other (nothing was charged)",
      );
    }
    return oipProblem({
      status: 500,
      title: "Inference failed",
      kind: "inference-failed",
      detail: "the model failed while running; nothing was charged",
    });
  }
  return error;
}

async function release(call: MeteredCall, request: FastifyRequest): Promise<void> {
  try {
    await call.release();
  } catch (error) {
    request.log.error({ err: error, callId: call.callId }, "releasing a failed call failed");
  }
}

function metadata(params: Params, model: OnnxModel) {
  const tensor = (t: OnnxModel["inputs"][number]) => ({
    name: t.name,
    datatype: t.datatype ?? t.ortType.toUpperCase(),
    shape: [...t.shape],
  });
  return {
    name: params.name,
    versions: [model.version],
    platform: ONNX_PLATFORM,
    inputs: model.inputs.map(tensor),
    outputs: model.outputs.map(tensor),
  };
}

function packageVersion(): string {
  try {
    return String(createRequire(import.meta.url)("../../../package.json").version);
  } catch {
    return "unknown";
  }
}

/** Refuses, before the body is read, an inference request that is not JSON (415). */
const requireJson = requireJsonBody("(the binary tensor data extension is not supported)", oipProblem);

/** The routes' error handler: `oipErrorHandler`, telling the inference body limit when a body exceeds it. */
function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const tooLarge = (error as { code?: unknown } | null)?.code === "FST_ERR_CTP_BODY_TOO_LARGE";
  const problem = oipProblem({
    status: 413,
    title: "Request body too large",
    kind: "payload-too-large",
    detail: `an inference request body may be at most ${OIP_BODY_LIMIT} bytes (${OIP_BODY_LIMIT / 2 ** 20} MiB)`,
  });
  return oipErrorHandler(tooLarge ? problem : error, request, reply);
}

/** Registers the Open Inference Protocol routes on `app`; see the module comment. */
export function oipRoutes(app: FastifyInstance, deps: OipDeps): void {
  const server = deps.server ?? { name: "weightshare-gateway", version: packageVersion() };
  // Health probes are not rate limited (when the gateway registers @fastify/rate-limit, it reads this config).
  const open: RouteShorthandOptions = { config: { rateLimit: false }, errorHandler };
  const limited: RouteShorthandOptions = { errorHandler };

  const serverMetadata = async () => ({ name: server.name, version: server.version, extensions: [] as string[] });
  app.get("/v2", limited, serverMetadata);
  app.get("/v2/", limited, serverMetadata);
  app.get("/v2/health/live", open, async () => ({ live: true }));
  app.get("/v2/health/ready", open, async () => {
    if (!(await deps.runner.available())) {
      throw oipProblem({
        status: 503,
        title: "Not ready",
        kind: "not-ready",
        detail: "onnxruntime cannot be loaded on this gateway",
      });
    }
    return { ready: true };
  });

  const modelMetadata = async (request: FastifyRequest<{ Params: Params }>) =>
    metadata(request.params, await modelFor(deps, request.params));
  app.get<{ Params: Params }>("/v2/models/:name", limited, modelMetadata);
  app.get<{ Params: Params }>("/v2/models/:name/versions/:version", limited, modelMetadata);

  const modelReady = async (request: FastifyRequest<{ Params: Params }>) => {
    await modelFor(deps, request.params);
    return { name: request.params.name, ready: true };
  };
  app.get<{ Params: Params }>("/v2/models/:name/ready", open, modelReady);
  app.get<{ Params: Params }>("/v2/models/:name/versions/:version/ready", open, modelReady);

  const infer = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const model = await modelFor(deps, request.params);
    const decoded = decodeInferRequest(request.body, model);
    const call = await deps.metering.begin(request, {
      modelId: model.modelId,
      route: "oip:infer",
      model: request.params.name,
      estimate: { kind: "call" },
    });
    reply.headers(call.headers);
    let body: string;
    try {
      const outputs = await model.run(decoded.feeds, decoded.outputs);
      body = JSON.stringify(
        encodeInferResponse(request.params.name, model.version, decoded.id, outputs, decoded.outputs),
      );
    } catch (error) {
      await release(call, request);
      throw runProblem(error, request);
    }
    try {
      const record = await call.commit({});
      reply
        .header(CREDITS_CHARGED_HEADER, record.cost.toString())
        .header(TOTAL_CHARGED_HEADER, record.total.toString());
    } catch (error) {
      // The client gets no outputs, so it must not pay for them.
      await release(call, request);
      throw error;
    }
    return reply.type("application/json").send(body);
  };
  const inferOptions: RouteShorthandOptions = { ...limited, bodyLimit: OIP_BODY_LIMIT, onRequest: requireJson };
  app.post<{ Params: Params }>("/v2/models/:name/infer", inferOptions, infer);
  app.post<{ Params: Params }>("/v2/models/:name/versions/:version/infer", inferOptions, infer);
}
