/**
 * The Open Inference Protocol routes end to end over HTTP on 127.0.0.1, with a real onnxruntime session on real
 * ONNX models and a recording stand-in for metering: server and model metadata, health, inference (correct numbers,
 * nested data, the versioned path, INT64 beyond 2^53 exact, BOOL and BYTES), every body checked against the
 * protocol's published schema; metering begun once per call and committed on success; unknown models, versions and
 * bad inputs refused before metering begins; a refusal from metering passed on with the protocol's `error` member.
 */
import { expect } from "chai";

import { HttpProblem } from "../../../../gateway/server/problem.js";
import { linearExpected } from "../../../helpers/onnx-model.js";
import { expectOipShape } from "../../../helpers/oip-schema.js";
import { expectOipProblem, post, startOipServer, type InferBody, type OipServer } from "./fixture.js";

const X = [
  [1, 2, 3],
  [0.5, -1, 4],
];

describe("gateway/inference/oip: routes with the ONNX runner and a recording metering stand-in", function () {
  this.timeout(60_000);
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
    m.refuse = undefined;
    m.failCommit = false;
  });

  it("answers server metadata and health without a licence", async function () {
    for (const path of ["/v2", "/v2/"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).to.equal(200);
      const body = await response.json();
      expectOipShape("metadata_server_response", body);
      expect(body).to.deep.equal({ name: "weightshare-gateway", version: "test", extensions: [] });
    }
    expect((await fetch(`${server.url}/v2/health/live`)).status).to.equal(200);
    expect((await fetch(`${server.url}/v2/health/ready`)).status).to.equal(200);
    expect(server.metering.begins).to.deep.equal([]);
  });

  it("answers model metadata: datatypes, -1 for dynamic dimensions, the version served", async function () {
    for (const path of ["/v2/models/1", "/v2/models/1/versions/v1"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).to.equal(200);
      const body = await response.json();
      expectOipShape("metadata_model_response", body);
      expect(body).to.deep.equal({
        name: "1",
        versions: ["v1"],
        platform: "onnxruntime_onnx",
        inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3] }],
        outputs: [{ name: "y", datatype: "FP32", shape: [-1, 2] }],
      });
    }
    const mixed = (await (await fetch(`${server.url}/v2/models/2`)).json()) as { inputs: { datatype: string }[] };
    expectOipShape("metadata_model_response", mixed);
    expect(mixed.inputs.map((i: { datatype: string }) => i.datatype)).to.deep.equal(["INT64", "BOOL", "BYTES"]);
    expect((await fetch(`${server.url}/v2/models/1/ready`)).status).to.equal(200);
    expect((await fetch(`${server.url}/v2/models/1/versions/v1/ready`)).status).to.equal(200);
  });

  it("answers 404 problems for unknown models and versions, in the protocol's error shape too", async function () {
    for (const path of ["/v2/models/404", "/v2/models/abc", "/v2/models/01", "/v2/models/1/versions/v0"]) {
      const body = await expectOipProblem(await fetch(`${server.url}${path}`), 404, "metadata_model_error_response");
      expect(body.type).to.match(/model-not-found$/);
    }
    await expectOipProblem(await fetch(`${server.url}/v2/models/404/ready`), 404);
    await expectOipProblem(await post(server, "/v2/models/404/infer", { inputs: [] }), 404);
    const wrongVersion = await expectOipProblem(
      await post(server, "/v2/models/1/versions/v9/infer", { inputs: [] }),
      404,
    );
    expect(wrongVersion.detail).to.match(/served at version "v1", not "v9"/);
    expect(server.metering.begins).to.deep.equal([]);
  });

  it("infers: the linear layer's numbers, schema-valid, metered once and committed", async function () {
    const request = { id: "req-1", inputs: [{ name: "x", shape: [2, 3], datatype: "FP32", data: X.flat() }] };
    expectOipShape("inference_request", request);
    const response = await post(server, "/v2/models/1/infer", request);
    const body = (await response.json()) as InferBody;
    expect(response.status, JSON.stringify(body)).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^application\/json/);
    expect(response.headers.get("x-weightshare-call")).to.equal("call-1");
    expectOipShape("inference_response", body);
    expect(body).to.include({ model_name: "1", model_version: "v1", id: "req-1" });
    expect(body.outputs).to.have.length(1);
    expect(body.outputs[0]).to.include({ name: "y", datatype: "FP32" });
    expect(body.outputs[0].shape).to.deep.equal([2, 2]);
    const expected = linearExpected(X).flat();
    (body.outputs[0].data as number[]).forEach((v, i) => expect(Math.abs(v - expected[i])).to.be.below(1e-5)); // not closeTo: Hardhat's chai matchers redefine it for bigints

    expect(server.metering.begins).to.deep.equal([
      { modelId: 1n, route: "oip:infer", model: "1", estimate: { kind: "call" } },
    ]);
    expect(server.metering.commits).to.deep.equal([{ callId: "call-1", usage: {} }]);
    expect(server.metering.releases).to.deep.equal([]);
  });

  it("infers from nested data on the versioned path, the same as from flat data", async function () {
    const flat = await post(server, "/v2/models/1/infer", {
      inputs: [{ name: "x", shape: [2, 3], datatype: "FP32", data: X.flat() }],
    });
    const nested = await post(server, "/v2/models/1/versions/v1/infer", {
      inputs: [{ name: "x", shape: [2, 3], datatype: "FP32", data: X }],
    });
    expect(nested.status).to.equal(200);
    const [a, b] = [(await flat.json()) as InferBody, (await nested.json()) as InferBody];
    expectOipShape("inference_response", b);
    expect(b.outputs).to.deep.equal(a.outputs);
    expect(server.metering.commits).to.have.length(2);
  });

  it("returns INT64 beyond 2^53 as exact JSON integers, BOOL as booleans and BYTES as strings", async function () {
    const request = {
      inputs: [
        { name: "counts", shape: [2, 2], datatype: "INT64", data: ["4611686018427387905", -3, 0, 2 ** 40] },
        { name: "mask", shape: [2, 2], datatype: "BOOL", data: [true, false, false, true] },
        { name: "labels", shape: [3], datatype: "BYTES", data: ["a", "é", ""] },
      ],
      outputs: [{ name: "labels_out" }, { name: "doubled" }, { name: "inverted" }],
    };
    expectOipShape("inference_request", request);
    const response = await post(server, "/v2/models/2/infer", request);
    const text = await response.text();
    expect(response.status, text).to.equal(200);
    const body = JSON.parse(text);
    expectOipShape("inference_response", body);
    expect(body.outputs.map((o: { name: string }) => o.name)).to.deep.equal(["labels_out", "doubled", "inverted"]);
    expect(body.outputs[0]).to.deep.equal({ name: "labels_out", shape: [3], datatype: "BYTES", data: ["a", "é", ""] });
    expect(body.outputs[2]).to.deep.equal({
      name: "inverted",
      shape: [2, 2],
      datatype: "BOOL",
      data: [false, true, true, false],
    });
    expect(body.outputs[1]).to.include({ datatype: "INT64" });
    // 2 x 4611686018427387905 = 9223372036854775810 wraps to -9223372036854775806 in int64: written exactly.
    expect(text).to.include('"data":[-9223372036854775806,-6,0,2199023255552]');
  });

  it("refuses bad input with a 400 naming the field, before metering begins", async function () {
    const response = await post(server, "/v2/models/1/infer", {
      inputs: [{ name: "x", shape: [2, 4], datatype: "FP32", data: [1, 2, 3, 4, 5, 6, 7, 8] }],
    });
    const body = await expectOipProblem(response, 400);
    expect(body.field).to.equal("inputs[0].shape[1]");
    expect(body.detail).to.match(/^inputs\[0\]\.shape\[1\]: /);
    expect(server.metering.begins).to.deep.equal([]);
  });

  it("passes a refusal from metering on (402 with its members), running and charging nothing", async function () {
    server.metering.refuse = new HttpProblem({
      status: 402,
      title: "Credits exhausted",
      kind: "credits-exhausted",
      detail: "licence 7 has 0 credits left; this call costs 1",
      extensions: { creditsLeft: "0", cost: "1" },
    });
    const response = await post(server, "/v2/models/1/infer", {
      inputs: [{ name: "x", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }],
    });
    const body = await expectOipProblem(response, 402);
    expect(body).to.include({ creditsLeft: "0", cost: "1", error: "licence 7 has 0 credits left; this call costs 1" });
    expect(server.metering.commits).to.deep.equal([]);
    expect(server.metering.releases).to.deep.equal([]);
  });

  it("releases the call and answers 400 when onnxruntime blames the inputs (shapes that cannot broadcast)", async function () {
    const response = await post(server, "/v2/models/3/infer", {
      inputs: [
        { name: "a", shape: [2], datatype: "FP32", data: [1, 2] },
        { name: "b", shape: [3], datatype: "FP32", data: [1, 2, 3] },
      ],
    });
    const body = await expectOipProblem(response, 400);
    expect(body.detail)
      .to.match(/nothing was charged/)
      .and.not.match(/onnxruntime_src|BroadcastIterator/);
    expect(response.headers.get("x-weightshare-call")).to.equal("call-1");
    expect(server.metering.begins).to.have.length(1);
    expect(server.metering.releases).to.deep.equal(["call-1"]);
    expect(server.metering.commits).to.deep.equal([]);
  });

  it("releases the call when committing it fails, and answers 500", async function () {
    server.metering.failCommit = true;
    const response = await post(server, "/v2/models/1/infer", {
      inputs: [{ name: "x", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }],
    });
    await expectOipProblem(response, 500);
    expect(server.metering.releases).to.deep.equal(["call-1"]);
  });

  it("answers 500 for a published file onnxruntime cannot load and 502 when the source fails, before metering", async function () {
    const broken = await expectOipProblem(await fetch(`${server.url}/v2/models/9`), 500);
    expect(broken.type).to.match(/model-load-failed$/);
    await expectOipProblem(await fetch(`${server.url}/v2/models/9/ready`), 500);
    await expectOipProblem(
      await post(server, "/v2/models/9/infer", { inputs: [{ name: "x", shape: [1], datatype: "FP32", data: [1] }] }),
      500,
    );
    server.models.set(5n, new Error("storage down: /var/secret/path"));
    const down = await expectOipProblem(await fetch(`${server.url}/v2/models/5`), 502);
    expect(down.detail).to.not.match(/secret/);
    expect(server.metering.begins).to.deep.equal([]);
  });
});
