/**
 * What the Open Inference Protocol route tests share: a fastify server on 127.0.0.1 configured as the gateway's
 * (64 KiB global body limit, problem+json errors) with the OIP routes over a real ONNX runner and an in-memory model
 * source, and `recordingMetering`, a stand-in for the metering service (built elsewhere) that records every begin,
 * commit and release, and can refuse a call or fail a commit. Importing this file starts nothing.
 */
import { expect } from "chai";
import Fastify, { type FastifyInstance } from "fastify";

import { OnnxRunner, type OnnxModelSource } from "../../../../gateway/inference/onnx/runner.js";
import { oipRoutes } from "../../../../gateway/inference/oip/routes.js";
import type { UsageRecord } from "../../../../gateway/ledger/ledger.js";
import type { CallRequest, MeteredCall, Metering, ReportedUsage } from "../../../../gateway/metering/metered-call.js";
import { HttpProblem, installProblems, sendProblem, toProblem } from "../../../../gateway/server/problem.js";
import { linearModelBytes, mixedModelBytes, addModelBytes } from "../../../helpers/onnx-model.js";
import { expectOipShape, type OipComponent } from "../../../helpers/oip-schema.js";

/** A metering stand-in that records what the routes asked of it. */
export interface RecordingMetering extends Metering {
  begins: CallRequest[];
  commits: { callId: string; usage: ReportedUsage }[];
  releases: string[];
  /** When set, `begin` throws it (a 402 or 403 from the real service). */
  refuse?: HttpProblem;
  /** When set, `commit` throws (the ledger failed). */
  failCommit?: boolean;
}

/** A `Metering` stand-in that grants every call, recording begin/commit/release; see `RecordingMetering`. */
export function recordingMetering(): RecordingMetering {
  const metering: RecordingMetering = {
    begins: [],
    commits: [],
    releases: [],
    async begin(_request, call): Promise<MeteredCall> {
      if (metering.refuse !== undefined) throw metering.refuse;
      metering.begins.push(call);
      const callId = `call-${metering.begins.length}`;
      const record = (status: UsageRecord["status"]): UsageRecord => ({
        callId,
        licenceId: 7n,
        account: "0x0000000000000000000000000000000000000007",
        route: call.route,
        model: call.model,
        status,
        reservedCost: 1n,
        cost: status === "served" ? 1n : 0n,
        total: 0n,
        startedAt: 0,
      });
      return {
        callId,
        licenceId: 7n,
        account: record("reserved").account,
        maxCost: 1n,
        headers: { "x-weightshare-call": callId },
        costOf: () => 1n,
        async commit(usage) {
          if (metering.failCommit) throw new Error("the ledger is down");
          metering.commits.push({ callId, usage });
          return record("served");
        },
        async release() {
          metering.releases.push(callId);
        },
      };
    },
  };
  return metering;
}

/** An inference response body as the tests read it (its shape is checked against the schema separately). */
export interface InferBody {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: { name: string; shape: number[]; datatype: string; data: unknown[] }[];
}

/** A model the source serves. */
export interface ServedModel {
  bytes: Uint8Array;
  version: string;
  name: string;
}

/** A running OIP server for one test suite. */
export interface OipServer {
  url: string;
  app: FastifyInstance;
  metering: RecordingMetering;
  runner: OnnxRunner;
  /** The source's models by id; tests may change them. */
  models: Map<bigint, ServedModel | Error>;
  stop(): Promise<void>;
}

/**
 * Starts the OIP routes on 127.0.0.1 (a free port) with models 1 (linear), 2 (mixed types), 3 (add) and 9 (bytes
 * that are no model); `runner` replaces the real runner (a stand-in that fails on purpose).
 */
export async function startOipServer(options: { runner?: OnnxRunner } = {}): Promise<OipServer> {
  const models = new Map<bigint, ServedModel | Error>([
    [1n, { bytes: linearModelBytes(), version: "v1", name: "Linear" }],
    [2n, { bytes: mixedModelBytes(), version: "v1", name: "Mixed" }],
    [3n, { bytes: addModelBytes(), version: "v1", name: "Add" }],
    [9n, { bytes: Uint8Array.from([8, 1, 2]), version: "v1", name: "Broken" }],
  ]);
  const source: OnnxModelSource = async (id) => {
    const found = models.get(id);
    if (found instanceof Error) throw found;
    return found && { ...found, bytes: async () => found.bytes };
  };
  const metering = recordingMetering();
  const runner = options.runner ?? new OnnxRunner({ refreshMs: 0 });
  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    bodyLimit: 64 * 1024, // the gateway's global limit (gateway/server/app.ts)
    frameworkErrors: (error, _request, reply) => {
      sendProblem(reply, toProblem(error));
    },
  });
  installProblems(app);
  oipRoutes(app, { metering, runner, source, server: { name: "weightshare-gateway", version: "test" } });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    metering,
    runner,
    models,
    async stop() {
      await app.close();
      await runner.close();
    },
  };
}

/** POSTs `body` as JSON (or as given when it is a string) to `path`. */
export function post(server: OipServer, path: string, body: unknown, contentType = "application/json") {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * Asserts that `response` is a problem+json answer of `status` whose body holds for both RFC 9457 and the protocol's
 * error schema (`error` equal to the detail); returns the body.
 */
export async function expectOipProblem(
  response: Response,
  status: number,
  component: OipComponent = "inference_error_response",
): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(body)).to.equal(status);
  expect(response.headers.get("content-type")).to.equal("application/problem+json");
  expect(body.status).to.equal(status);
  expect(body.type).to.match(/^tag:weightshare\.org,2026:problem\//);
  expect(body.error).to.be.a("string").and.equal(body.detail);
  expectOipShape(component, body);
  return body;
}
