/**
 * The Open Inference Protocol response encoder: outputs in the order asked, data flattened row-major, 64-bit
 * integers written as exact JSON integers (even beyond 2^53), NaN and infinities (which JSON numbers cannot carry)
 * as strings, booleans and strings as such; every response conforms to the protocol's published schema.
 */
import { expect } from "chai";

import type { TensorData } from "../../../../gateway/inference/oip/datatypes.js";
import { encodeInferResponse, jsonElements } from "../../../../gateway/inference/oip/response.js";
import { expectOipShape } from "../../../helpers/oip-schema.js";

/** Parses JSON keeping integers exact: each number's source text becomes a BigInt when it is an integer. */
function parseExact(text: string): unknown {
  return JSON.parse(text, (_key, value, context?: { source?: string }) =>
    typeof value === "number" && context?.source !== undefined && /^-?\d+$/.test(context.source)
      ? BigInt(context.source)
      : value,
  );
}

describe("gateway/inference/oip: response encoder", function () {
  it("writes INT64 and UINT64 as exact JSON integers at their limits", function () {
    const int64: TensorData = {
      type: "int64",
      data: BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, 7n]),
      dims: [4],
    };
    const uint64: TensorData = { type: "uint64", data: BigUint64Array.from([2n ** 64n - 1n, 0n]), dims: [2] };
    const text = JSON.stringify({ a: jsonElements(int64), b: jsonElements(uint64) });
    expect(text).to.equal(
      '{"a":[-9223372036854775808,9223372036854775807,9007199254740993,7],"b":[18446744073709551615,0]}',
    );
    expect(parseExact(text)).to.deep.equal({
      a: [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, 7n],
      b: [2n ** 64n - 1n, 0n],
    });
  });

  it("writes NaN and infinities as strings, booleans as booleans, and small integers as numbers", function () {
    const floats: TensorData = { type: "float32", data: Float32Array.from([NaN, Infinity, -Infinity, 0.5]), dims: [4] };
    expect(jsonElements(floats)).to.deep.equal(["NaN", "Infinity", "-Infinity", 0.5]);
    expect(jsonElements({ type: "bool", data: Uint8Array.from([0, 1, 2]), dims: [3] })).to.deep.equal([
      false,
      true,
      true,
    ]);
    expect(jsonElements({ type: "uint16", data: Uint16Array.from([65535, 1]), dims: [2] })).to.deep.equal([65535, 1]);
    expect(jsonElements({ type: "int8", data: Int8Array.from([-128, 5]), dims: [2] })).to.deep.equal([-128, 5]);
  });

  it("builds a schema-valid response with the outputs in the order asked, id only when given", function () {
    const outputs: Record<string, TensorData> = {
      y: { type: "float64", data: Float64Array.from([1, 2, 3, 4, 5, 6]), dims: [2, 3] },
      labels: { type: "string", data: ["a", "b"], dims: [2] },
      big: { type: "int64", data: BigInt64Array.from([2n ** 62n]), dims: [1, 1] },
    };
    const body = encodeInferResponse("1", "v1", "req", outputs, ["labels", "y", "big"]);
    const parsed = JSON.parse(JSON.stringify(body));
    expectOipShape("inference_response", parsed);
    expect(parsed).to.deep.equal({
      model_name: "1",
      model_version: "v1",
      id: "req",
      outputs: [
        { name: "labels", shape: [2], datatype: "BYTES", data: ["a", "b"] },
        { name: "y", shape: [2, 3], datatype: "FP64", data: [1, 2, 3, 4, 5, 6] },
        { name: "big", shape: [1, 1], datatype: "INT64", data: [4611686018427387904] },
      ],
    });
    const anonymous = encodeInferResponse("1", "v1", undefined, outputs, ["y"]);
    expect(Object.keys(anonymous)).to.deep.equal(["model_name", "model_version", "outputs"]);
    expectOipShape("inference_response", JSON.parse(JSON.stringify(anonymous)));
  });
});
