/**
 * The built-in ONNX runner with real onnxruntime-node sessions on real ONNX models built in the test
 * (test/helpers/onnx-model.ts): the protocol's metadata, correct numbers, INT64/BOOL/BYTES tensors, one session per
 * (model, version) and one look-up of the source per refresh interval (a test clock, no wall-clock time), eviction
 * beyond `maxSessions`, refusal beyond the queue, load and run errors told apart, and onnxruntime-node left unloaded
 * by a plain Node process that imports the inference modules without using them.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

import {
  OnnxBusyError,
  OnnxLoadError,
  OnnxRunError,
  OnnxRunner,
  type OnnxModelSource,
} from "../../../../gateway/inference/onnx/runner.js";
import type { TensorData } from "../../../../gateway/inference/oip/datatypes.js";
import { addModelBytes, linearExpected, linearModelBytes, mixedModelBytes } from "../../../helpers/onnx-model.js";
import { modulesLoadedBy, ROOT } from "../../../helpers/plain-node.js";

/** A source over a map of models, counting look-ups. */
function mapSource(models: Map<bigint, { bytes: Uint8Array; version: string; name: string }>) {
  const calls: bigint[] = [];
  const source: OnnxModelSource = async (id) => {
    calls.push(id);
    const found = models.get(id);
    return found && { ...found, bytes: async () => found.bytes };
  };
  return { source, calls };
}

const f32 = (rows: number[][]): TensorData => ({
  type: "float32",
  data: Float32Array.from(rows.flat()),
  dims: [rows.length, rows[0]?.length ?? 3],
});

describe("gateway/inference/onnx: runner", function () {
  this.timeout(60_000);
  let now = 0;
  const runners: OnnxRunner[] = [];
  const runner = (options: ConstructorParameters<typeof OnnxRunner>[0] = {}) => {
    const r = new OnnxRunner({ now: () => now, ...options });
    runners.push(r);
    return r;
  };
  afterEach(async function () {
    await Promise.all(runners.splice(0).map((r) => r.close()));
  });

  it("tells the model's inputs and outputs with protocol datatypes and -1 for dynamic dimensions", async function () {
    const { source } = mapSource(new Map([[1n, { bytes: linearModelBytes(), version: "v1", name: "Linear" }]]));
    const model = (await runner().model(1n, source))!;
    expect([model.modelId, model.version, model.name]).to.deep.equal([1n, "v1", "Linear"]);
    expect(model.inputs).to.deep.equal([
      { name: "x", datatype: "FP32", ortType: "float32", dims: ["batch", 3], shape: [-1, 3] },
    ]);
    expect(model.outputs).to.deep.equal([
      { name: "y", datatype: "FP32", ortType: "float32", dims: ["batch", 2], shape: [-1, 2] },
    ]);
  });

  it("computes x · W + b for a batch, as JavaScript does in float64 (within float32 rounding)", async function () {
    const { source } = mapSource(new Map([[1n, { bytes: linearModelBytes(), version: "v1", name: "Linear" }]]));
    const model = (await runner().model(1n, source))!;
    const x = [
      [1, 2, 3],
      [-0.5, 0.25, 10],
      [0, 0, 0],
    ];
    const { y } = await model.run({ x: f32(x) }, ["y"]);
    expect(y.type).to.equal("float32");
    expect(y.dims).to.deep.equal([3, 2]);
    const expected = linearExpected(x).flat();
    Array.from(y.data as Float32Array).forEach((v, i) => expect(Math.abs(v - expected[i])).to.be.below(1e-5)); // not closeTo: Hardhat's chai matchers redefine it for bigints
    const empty = await model.run({ x: { type: "float32", data: new Float32Array(0), dims: [0, 3] } }, ["y"]);
    expect(empty.y.dims).to.deep.equal([0, 2]);
  });

  it("runs INT64, BOOL and BYTES tensors, returning only the outputs asked for", async function () {
    const { source } = mapSource(new Map([[2n, { bytes: mixedModelBytes(), version: "v1", name: "Mixed" }]]));
    const model = (await runner().model(2n, source))!;
    expect(model.inputs.map((i) => i.datatype)).to.deep.equal(["INT64", "BOOL", "BYTES"]);
    const out = await model.run(
      {
        counts: { type: "int64", data: BigInt64Array.from([2n ** 62n, -3n]), dims: [1, 2] },
        mask: { type: "bool", data: Uint8Array.from([1, 0]), dims: [1, 2] },
        labels: { type: "string", data: ["a", "ü"], dims: [2] },
      },
      ["doubled", "labels_out"],
    );
    expect(Object.keys(out)).to.deep.equal(["doubled", "labels_out"]);
    expect(Array.from(out.doubled.data as BigInt64Array)).to.deep.equal(
      [2n ** 63n, -6n].map((v) => BigInt.asIntN(64, v)),
    );
    expect(out.labels_out.data).to.deep.equal(["a", "ü"]);
  });

  it("keeps one session per model and version, asking the source again only after refreshMs", async function () {
    const models = new Map([[1n, { bytes: linearModelBytes(), version: "v1", name: "Linear" }]]);
    const { source, calls } = mapSource(models);
    const r = runner({ refreshMs: 1000 });
    const [a, b] = await Promise.all([r.model(1n, source), r.model(1n, source)]);
    expect(a).to.equal(b);
    expect(calls).to.deep.equal([1n]); // concurrent look-ups share one
    now += 999;
    expect(await r.model(1n, source)).to.equal(a);
    expect(calls.length).to.equal(1);
    now += 1;
    expect(await r.model(1n, source)).to.equal(a); // asked again, same version: same session
    expect(calls.length).to.equal(2);

    models.set(1n, { bytes: linearModelBytes({ bias: [100, 100] }), version: "v2", name: "Linear" });
    now += 1000;
    const c = (await r.model(1n, source))!;
    expect(c.version).to.equal("v2");
    expect(r.loaded).to.equal(1);
    const { y } = await c.run({ x: f32([[0, 0, 0]]) }, ["y"]);
    expect(Array.from(y.data as Float32Array)).to.deep.equal([100, 100]);
    await new Promise((resolve) => setImmediate(resolve)); // the old session is released once idle
    let refused: unknown;
    await a!.run({ x: f32([[0, 0, 0]]) }, ["y"]).catch((e: unknown) => (refused = e));
    expect(refused, "a retired session is not run").to.be.instanceOf(OnnxBusyError);

    models.delete(1n);
    now += 1000;
    expect(await r.model(1n, source)).to.equal(undefined);
    expect(r.loaded).to.equal(0);
  });

  it("holds at most maxSessions sessions, releasing the least recently used", async function () {
    const models = new Map(
      [1n, 2n, 3n].map((id) => [id, { bytes: linearModelBytes(), version: "v1", name: `m${id}` }]),
    );
    const { source } = mapSource(models);
    const r = runner({ maxSessions: 2 });
    await r.model(1n, source);
    await r.model(2n, source);
    await r.model(1n, source); // 1 is now the most recently used
    await r.model(3n, source);
    expect(r.loaded).to.equal(2);
    const { calls } = { calls: [] as bigint[] };
    const counting: OnnxModelSource = async (id) => (calls.push(id), source(id));
    await r.model(1n, counting);
    await r.model(2n, counting);
    expect(calls).to.deep.equal([2n]); // 1 was cached; 2 had been evicted
  });

  it("refuses a run at once when maxInFlight run and maxQueued wait", async function () {
    const { source } = mapSource(new Map([[1n, { bytes: linearModelBytes(), version: "v1", name: "Linear" }]]));
    const model = (await runner({ maxInFlight: 1, maxQueued: 1 }).model(1n, source))!;
    const runs = [1, 2, 3].map(() => model.run({ x: f32([[1, 2, 3]]) }, ["y"]));
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "fulfilled", "rejected"]);
    expect((results[2] as PromiseRejectedResult).reason).to.be.instanceOf(OnnxBusyError);
  });

  it("throws OnnxLoadError for bytes that are no model, and does not reload them until the next refresh", async function () {
    const { source, calls } = mapSource(
      new Map([[9n, { bytes: Uint8Array.from([1, 2, 3]), version: "v1", name: "Bad" }]]),
    );
    const r = runner({ refreshMs: 1000 });
    for (let i = 0; i < 2; i++) {
      let error: unknown;
      await r.model(9n, source).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(OnnxLoadError);
    }
    expect(calls.length).to.equal(1);
    expect(await r.model(404n, source)).to.equal(undefined);
  });

  it("marks a run error that onnxruntime blames on the inputs (shapes that cannot broadcast)", async function () {
    const { source } = mapSource(new Map([[3n, { bytes: addModelBytes(), version: "v1", name: "Add" }]]));
    const model = (await runner().model(3n, source))!;
    const ok = await model.run(
      {
        a: { type: "float32", data: Float32Array.from([1, 2]), dims: [2] },
        b: { type: "float32", data: Float32Array.from([3]), dims: [1] },
      },
      ["sum"],
    );
    expect(Array.from(ok.sum.data as Float32Array)).to.deep.equal([4, 5]);
    let error: unknown;
    await model
      .run(
        {
          a: { type: "float32", data: new Float32Array(2), dims: [2] },
          b: { type: "float32", data: new Float32Array(3), dims: [3] },
        },
        ["sum"],
      )
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(OnnxRunError);
    expect((error as OnnxRunError).inputFault).to.equal(true);
  });

  it("does not load onnxruntime-node when a plain Node process imports the inference routes", function () {
    const entry = pathToFileURL(path.join(ROOT, "gateway/inference/oip/routes.ts")).href;
    const modules = modulesLoadedBy(entry);
    expect(modules).to.include(entry);
    expect(modules.filter((m) => /onnxruntime/.test(m))).to.deep.equal([]);
  });
});
