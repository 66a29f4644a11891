/**
 * The Open Inference Protocol request codec against model metadata alone (no onnxruntime): valid requests become
 * tensors of the model's types (flat or nested data, 64-bit integers beyond 2^53 as decimal strings), and every bad
 * request is refused with a 400 problem that names the offending field, carries the protocol's `error` member, and
 * is refused before anything of the shape's size is allocated.
 */
import { expect } from "chai";

import type { OnnxTensorInfo } from "../../../../gateway/inference/onnx/runner.js";
import type { OipDatatype } from "../../../../gateway/inference/oip/datatypes.js";
import { decodeInferRequest } from "../../../../gateway/inference/oip/request.js";
import { HttpProblem } from "../../../../gateway/server/problem.js";
import { expectOipShape } from "../../../helpers/oip-schema.js";

function info(name: string, datatype: OipDatatype, dims: (number | string)[]): OnnxTensorInfo {
  const ortType = datatype === "BYTES" ? "string" : datatype.toLowerCase().replace("fp", "float");
  return { name, datatype, ortType, dims, shape: dims.map((d) => (typeof d === "number" ? d : -1)) };
}

const linear = {
  modelId: 1n,
  inputs: [info("x", "FP32", ["batch", 3])],
  outputs: [info("y", "FP32", ["batch", 2])],
};
const mixed = {
  modelId: 2n,
  inputs: [info("counts", "INT64", ["batch", 2]), info("mask", "BOOL", ["batch", 2]), info("labels", "BYTES", ["n"])],
  outputs: [info("doubled", "INT64", ["batch", 2]), info("inverted", "BOOL", ["batch", 2])],
};
const small = (datatype: OipDatatype) => ({
  modelId: 3n,
  inputs: [info("v", datatype, [2])],
  outputs: [info("w", datatype, [2])],
});

const x = (data: unknown, shape: unknown = [2, 3]) => ({ name: "x", shape, datatype: "FP32", data });
const FLAT = [1, 2, 3, 4, 5, 6];

/** Decodes `body` and returns the 400 problem it must raise. */
function refusal(body: unknown, model: Parameters<typeof decodeInferRequest>[1] = linear): HttpProblem {
  try {
    decodeInferRequest(body, model);
  } catch (error) {
    expect(error).to.be.instanceOf(HttpProblem);
    const problem = error as HttpProblem;
    expect(problem.status).to.equal(400);
    expect(problem.extensions.error).to.equal(problem.detail);
    expectOipShape("inference_error_response", problem.extensions);
    return problem;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe("gateway/inference/oip: request codec", function () {
  it("decodes flat and nested data row-major into the model's tensor type", function () {
    const flat = { id: "r1", inputs: [x(FLAT)] };
    expectOipShape("inference_request", flat);
    const decoded = decodeInferRequest(flat, linear);
    expect(decoded.id).to.equal("r1");
    expect(decoded.outputs).to.deep.equal(["y"]);
    expect(decoded.feeds.x.type).to.equal("float32");
    expect(decoded.feeds.x.dims).to.deep.equal([2, 3]);
    expect(Array.from(decoded.feeds.x.data as Float32Array)).to.deep.equal(FLAT);

    const nested = decodeInferRequest(
      {
        inputs: [
          x([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ],
      },
      linear,
    );
    expect(Array.from(nested.feeds.x.data as Float32Array)).to.deep.equal(FLAT);
    expect(decodeInferRequest({ inputs: [x([], [0, 3])] }, linear).feeds.x.dims).to.deep.equal([0, 3]);
  });

  it("decodes INT64 (decimal strings beyond 2^53, exactly), BOOL and BYTES, and the outputs asked for", function () {
    const body = {
      inputs: [
        { name: "labels", shape: [2], datatype: "BYTES", data: ["a", "ü"] },
        { name: "counts", shape: [1, 2], datatype: "INT64", data: [-5, "9223372036854775807"] },
        { name: "mask", shape: [1, 2], datatype: "BOOL", data: [[true, false]] },
      ],
      outputs: [{ name: "inverted" }],
    };
    expectOipShape("inference_request", body);
    const decoded = decodeInferRequest(body, mixed);
    expect(Array.from(decoded.feeds.counts.data as BigInt64Array)).to.deep.equal([-5n, 2n ** 63n - 1n]);
    expect(Array.from(decoded.feeds.mask.data as Uint8Array)).to.deep.equal([1, 0]);
    expect(decoded.feeds.labels.data).to.deep.equal(["a", "ü"]);
    expect(decoded.outputs).to.deep.equal(["inverted"]);
  });

  const cases: [string, unknown, string, RegExp][] = [
    ["a body that is not an object", [x(FLAT)], "body", /JSON object/],
    ["no inputs array", { inputs: "x" }, "inputs", /array/],
    ["a non-string id", { id: 7, inputs: [x(FLAT)] }, "id", /string/],
    ["an id of 10,000 characters", { id: "i".repeat(10_000), inputs: [x(FLAT)] }, "id", /256/],
    ["request parameters that are not an object", { parameters: [1], inputs: [x(FLAT)] }, "parameters", /object/],
    ["an input that is not an object", { inputs: [7] }, "inputs[0]", /object/],
    ["an unknown input name", { inputs: [{ ...x(FLAT), name: "z" }] }, "inputs[0].name", /no input named "z"; .*"x"/],
    ["an input given twice", { inputs: [x(FLAT), x(FLAT)] }, "inputs[1].name", /twice/],
    ["a missing input", { inputs: [] }, "inputs", /missing input\(s\) "x"/],
    ["an unknown datatype", { inputs: [{ ...x(FLAT), datatype: "FLOAT" }] }, "inputs[0].datatype", /"FLOAT" is not/],
    [
      "another datatype than the model's",
      { inputs: [{ ...x(FLAT), datatype: "FP64" }] },
      "inputs[0].datatype",
      /is FP32; got FP64/,
    ],
    ["a shape that is not an array", { inputs: [x(FLAT, 6)] }, "inputs[0].shape", /array/],
    ["a shape of the wrong rank", { inputs: [x(FLAT, [6])] }, "inputs[0].shape", /2 dimensions \[batch, 3\]/],
    ["a wrong fixed dimension", { inputs: [x(FLAT, [3, 2])] }, "inputs[0].shape[1]", /dimension 1 is 3; got 2/],
    ["a negative dimension", { inputs: [x(FLAT, [-2, 3])] }, "inputs[0].shape[0]", /non-negative integer/],
    ["a fractional dimension", { inputs: [x(FLAT, [1.5, 3])] }, "inputs[0].shape[0]", /non-negative integer/],
    ["a string dimension", { inputs: [x(FLAT, ["2", 3])] }, "inputs[0].shape[0]", /non-negative integer/],
    ["an unsafe dimension", { inputs: [x(FLAT, [2 ** 60, 3])] }, "inputs[0].shape[0]", /non-negative integer/],
    ["data shorter than the shape", { inputs: [x([1, 2, 3, 4, 5])] }, "inputs[0].data", /6 elements; data has 5/],
    ["data longer than the shape", { inputs: [x([...FLAT, 7])] }, "inputs[0].data", /6 elements; data has 7/],
    ["data that is not an array", { inputs: [x("1,2,3,4,5,6")] }, "inputs[0].data", /array of 6/],
    [
      "nested data of the wrong length",
      {
        inputs: [
          x([
            [1, 2, 3],
            [4, 5],
          ]),
        ],
      },
      "inputs[0].data[1]",
      /array of 3/,
    ],
    [
      "nested data too deep",
      {
        inputs: [
          x([
            [1, 2, [3]],
            [4, 5, 6],
          ]),
        ],
      },
      "inputs[0].data[0][2]",
      /got an array/,
    ],
    ["half-nested data", { inputs: [x([[1, 2, 3], 4])] }, "inputs[0].data[1]", /array of 3/],
    ["a string where FP32 is due", { inputs: [x([1, 2, "NaN", 4, 5, 6])] }, "inputs[0].data", /element 2 .* "NaN"/],
    ["null where FP32 is due", { inputs: [x([1, 2, 3, null, 5, 6])] }, "inputs[0].data", /element 3 .* null/],
    ["a boolean where FP32 is due", { inputs: [x([true, 2, 3, 4, 5, 6])] }, "inputs[0].data", /element 0/],
    ["a value beyond float32", { inputs: [x([1e39, 2, 3, 4, 5, 6])] }, "inputs[0].data", /float32's range/],
    ["an unknown output", { inputs: [x(FLAT)], outputs: [{ name: "q" }] }, "outputs[0].name", /no output named "q"/],
    [
      "an output asked twice",
      { inputs: [x(FLAT)], outputs: [{ name: "y" }, { name: "y" }] },
      "outputs[1].name",
      /twice/,
    ],
    ["outputs that are not an array", { inputs: [x(FLAT)], outputs: { name: "y" } }, "outputs", /array/],
    ["an empty outputs list", { inputs: [x(FLAT)], outputs: [] }, "outputs", /no output/],
    [
      "input parameters that are not an object",
      { inputs: [{ ...x(FLAT), parameters: "p" }] },
      "inputs[0].parameters",
      /object/,
    ],
  ];
  for (const [what, body, field, detail] of cases) {
    it(`refuses ${what}, naming ${field}`, function () {
      const problem = refusal(body);
      expect(problem.extensions.field).to.equal(field);
      expect(problem.detail.startsWith(`${field}: `), problem.detail).to.equal(true);
      expect(problem.detail).to.match(detail);
    });
  }

  it("refuses a shape of 10^18 elements before allocating anything, flat or nested", function () {
    for (const data of [[1, 2, 3], [[1], [2]], []]) {
      const problem = refusal(
        { inputs: [{ name: "v", shape: [1e9, 1e9], datatype: "FP32", data }] },
        {
          modelId: 4n,
          inputs: [info("v", "FP32", ["a", "b"])],
          outputs: [],
        },
      );
      expect(problem.detail).to.match(/more than 2\^32 elements/);
    }
    // Within 2^32 but far beyond the data: refused by the count (flat) or the first level's length (nested).
    const model = { modelId: 4n, inputs: [info("v", "FP32", ["a", "b"])], outputs: [] };
    expect(
      refusal({ inputs: [{ name: "v", shape: [65536, 65536], datatype: "FP32", data: [1] }] }, model).detail,
    ).to.match(/4294967296 elements; data has 1/);
    const nested = refusal({ inputs: [{ name: "v", shape: [65536, 65535], datatype: "FP32", data: [[1]] }] }, model);
    expect(nested.extensions.field).to.equal("inputs[0].data");
    expect(nested.detail).to.match(/array of 65536/);
  });

  it("requires one size per symbolic dimension across inputs", function () {
    const problem = refusal(
      {
        inputs: [
          { name: "counts", shape: [2, 2], datatype: "INT64", data: [1, 2, 3, 4] },
          { name: "mask", shape: [1, 2], datatype: "BOOL", data: [true, false] },
          { name: "labels", shape: [1], datatype: "BYTES", data: ["a"] },
        ],
      },
      mixed,
    );
    expect(problem.extensions.field).to.equal("inputs[1].shape[0]");
    expect(problem.detail).to.match(/dimension "batch" is 2 in inputs\[0\]\.shape; got 1/);
  });

  const elements: [OipDatatype, unknown, RegExp][] = [
    ["INT8", 128, /-128\.\.127/],
    ["UINT8", -1, /0\.\.255/],
    ["INT32", 1.5, /-2\^31/],
    ["UINT32", 2 ** 32, /4294967295/],
    ["INT64", 2 ** 60, /decimal string beyond 2\^53/],
    ["INT64", "12e3", /decimal string/],
    ["INT64", "9223372036854775808", /-2\^63\.\.2\^63-1/],
    ["UINT64", "-1", /0\.\.2\^64-1/],
    ["BOOL", 1, /true or false/],
    ["BYTES", 5, /a string/],
    ["FP64", "1.5", /finite number/],
  ];
  for (const [datatype, bad, expected] of elements) {
    it(`refuses ${JSON.stringify(bad)} as a ${datatype} element`, function () {
      const problem = refusal({ inputs: [{ name: "v", shape: [2], datatype, data: [bad, bad] }] }, small(datatype));
      expect(problem.extensions.field).to.equal("inputs[0].data");
      expect(problem.detail)
        .to.match(/element 0/)
        .and.to.match(expected);
    });
  }

  it("refuses FP16 tensors, which JSON cannot carry, naming the input", function () {
    const problem = refusal({ inputs: [{ name: "v", shape: [2], datatype: "FP16", data: [1, 2] }] }, small("FP16"));
    expect(problem.extensions.field).to.equal("inputs[0].name");
    expect(problem.detail).to.match(/cannot be sent as JSON/);
  });
});
