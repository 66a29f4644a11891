/**
 * Hostile requests to the Open Inference Protocol routes: wrong or missing content types (415, refused in onRequest,
 * before the body is parsed), malformed, empty, prototype-poisoning and deeply nested JSON (400), bodies beyond the inference
 * limit (413, with or without Content-Length) while bodies beyond the gateway's global 64 KiB but within it pass,
 * shapes of 3·10^15 elements, data of the wrong length and NaN or strings in numeric data (400, nothing reserved),
 * and a flood against a small run queue (each call answered 200 or 503, each reservation committed or released).
 * A stand-in runner that fails on purpose covers the busy (503) and model-failure (500) answers.
 */
import { request as httpRequest } from "node:http";

import { expect } from "chai";

import { OnnxBusyError, OnnxRunError, OnnxRunner } from "../../../../gateway/inference/onnx/runner.js";
import { OIP_BODY_LIMIT } from "../../../../gateway/inference/oip/routes.js";
import { expectOipShape } from "../../../helpers/oip-schema.js";
import { expectOipProblem, post, startOipServer, type InferBody, type OipServer } from "./fixture.js";

const INFER = "/v2/models/1/infer";
const row = (data: unknown, shape: unknown = [1, 3]) => ({ inputs: [{ name: "x", shape, datatype: "FP32", data }] });

/** POSTs `chunks` with chunked transfer encoding (no Content-Length) and returns the status and parsed body. */
function postChunked(server: OipServer, path: string, chunks: Buffer[]): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString()) }));
    });
    req.on("error", reject);
    const write = (i: number) => {
      if (i === chunks.length || req.destroyed) return req.end();
      if (req.write(chunks[i])) setImmediate(() => write(i + 1));
      else req.once("drain", () => write(i + 1));
    };
    write(0);
  });
}

describe("gateway/inference/oip: hostile requests (with a metering stand-in)", function () {
  this.timeout(120_000);
  let server: OipServer;

  before(async function () {
    server = await startOipServer();
  });
  after(async function () {
    await server?.stop();
  });
  beforeEach(function () {
    const m = server.metering;
    m.begins.length = m.commits.length = m.releases.length = 0;
  });
  afterEach(function () {
    expect(server.metering.commits.length + server.metering.releases.length).to.equal(server.metering.begins.length);
  });

  it("refuses other content types with 415, reserving nothing", async function () {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/octet-stream", "json"]) {
      const body = await expectOipProblem(await post(server, INFER, JSON.stringify(row([1, 2, 3])), type), 415);
      expect(body.detail).to.match(/send application\/json/);
    }
    const none = await fetch(`${server.url}${INFER}`, { method: "POST", body: new Uint8Array([123, 125]) });
    await expectOipProblem(none, 415);
    expect(server.metering.begins).to.deep.equal([]);
  });

  it("refuses malformed, empty, prototype-poisoning and deeply nested JSON with 400", async function () {
    for (const text of ['{"inputs": [', "", "null", '{"__proto__": {"x": 1}, "inputs": []}', "[".repeat(50_000)]) {
      await expectOipProblem(await post(server, INFER, text), 400);
    }
    const deep = `{"id": ${"[".repeat(20_000)}${"]".repeat(20_000)}, "inputs": []}`;
    const body = await expectOipProblem(await post(server, INFER, deep), 400);
    expect(body.field).to.equal("id");
    const deepData = JSON.stringify(row([])).replace("[]", `${"[".repeat(5_000)}${"]".repeat(5_000)}`);
    expect((await expectOipProblem(await post(server, INFER, deepData), 400)).field).to.equal("inputs[0].data[0]");
    expect(server.metering.begins).to.deep.equal([]);
  });

  it("accepts a 1 MiB request (beyond the global 64 KiB) and refuses one beyond 8 MiB with 413", async function () {
    const rows = 40_000; // 120,000 numbers: about 1 MiB of JSON
    const data = Array.from({ length: rows * 3 }, (_, i) => (i % 97) / 7);
    const big = JSON.stringify(row(data, [rows, 3]));
    expect(big.length).to.be.greaterThan(1024 * 1024);
    const ok = await post(server, INFER, big);
    const answer = (await ok.json()) as InferBody;
    expect(ok.status).to.equal(200);
    expect(answer.outputs[0].shape).to.deep.equal([rows, 2]);
    expectOipShape("inference_response", answer);

    const huge = JSON.stringify(row([], [0, 3])).replace("[]", `[${"0,".repeat(OIP_BODY_LIMIT / 2)}0]`);
    const refused = await expectOipProblem(await post(server, INFER, huge), 413);
    expect(refused.detail).to.match(/at most 8388608 bytes \(8 MiB\)/);
    // Without Content-Length the limit holds while the body streams in.
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1024 * 1024, 0x20));
    const streamed = await postChunked(server, INFER, chunks);
    expect(streamed.status).to.equal(413);
    expectOipShape("inference_error_response", streamed.body);
  });

  it("refuses a shape of 3·10^15 elements, data longer or shorter than the shape, and NaN or strings as numbers", async function () {
    const cases: [unknown, string][] = [
      [row([1, 2, 3], [1e15, 3]), "inputs[0].shape"],
      [row([1, 2, 3], [1e9, 3]), "inputs[0].data"],
      [row([1, 2, 3, 4]), "inputs[0].data"],
      [row([1, 2]), "inputs[0].data"],
      [row([1, "NaN", 3]), "inputs[0].data"],
      [row([1, "2", 3]), "inputs[0].data"],
      [row([[1, 2, 3]], [1, 3, 1]), "inputs[0].shape"],
    ];
    for (const [request, field] of cases) {
      const body = await expectOipProblem(await post(server, INFER, request), 400);
      expect(body.field, body.detail as string).to.equal(field);
    }
    // NaN is not JSON: a body carrying it is malformed.
    await expectOipProblem(
      await post(server, INFER, '{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,NaN,3]}]}'),
      400,
    );
    expect(server.metering.begins).to.deep.equal([]);
  });

  it("answers each call of a flood against a small queue with 200 or 503, committing or releasing every reservation", async function () {
    const small = await startOipServer({ runner: new OnnxRunner({ maxInFlight: 1, maxQueued: 1, refreshMs: 60_000 }) });
    try {
      const rows = 2000;
      const request = row(
        Array.from({ length: rows * 3 }, (_, i) => i % 5),
        [rows, 3],
      );
      const responses = await Promise.all(Array.from({ length: 24 }, () => post(small, INFER, request)));
      const statuses = responses.map((r) => r.status);
      expect(
        [...new Set(statuses)].every((s) => s === 200 || s === 503),
        String(statuses),
      ).to.equal(true);
      const served = statuses.filter((s) => s === 200).length;
      expect(small.metering.commits.length).to.equal(served);
      expect(small.metering.releases.length).to.equal(statuses.length - served);
      for (const r of responses.filter((x) => x.status === 503)) {
        expect(r.headers.get("retry-after")).to.equal("1");
        await expectOipProblem(r, 503);
      }
    } finally {
      await small.stop();
    }
  });

  it("answers 503 (busy) and 500 (model failed) from a stand-in runner that fails on purpose, releasing both", async function () {
    const real = new OnnxRunner();
    let failure: Error = new OnnxBusyError(1n);
    const standIn = Object.assign(Object.create(OnnxRunner.prototype) as OnnxRunner, {
      available: async () => true,
      close: () => real.close(),
      model: async (...args: Parameters<OnnxRunner["model"]>) => {
        const model = (await real.model(...args))!;
        return { ...model, inputs: model.inputs, outputs: model.outputs, run: async () => Promise.reject(failure) };
      },
    });
    const failing = await startOipServer({ runner: standIn });
    try {
      const busy = await post(failing, INFER, row([1, 2, 3]));
      expect(busy.headers.get("retry-after")).to.equal("1");
      expect((await expectOipProblem(busy, 503)).type).to.match(/model-busy$/);
      failure = new OnnxRunError("kernel exploded at /onnxruntime_src/x.cc", false);
      const failed = await expectOipProblem(await post(failing, INFER, row([1, 2, 3])), 500);
      expect(failed.detail).to.not.match(/onnxruntime_src/);
      expect(failing.metering.releases).to.deep.equal(["call-1", "call-2"]);
      expect(failing.metering.commits).to.deep.equal([]);
    } finally {
      await failing.stop();
    }
  });
});
