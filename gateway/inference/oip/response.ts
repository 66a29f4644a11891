/**
 * Encodes a model's outputs as an Open Inference Protocol inference response: `{ model_name, model_version, id?,
 * outputs: [{ name, shape, datatype, data }] }`, data flattened in row-major order. The protocol's tensor data are
 * JSON numbers, strings or booleans; so:
 * - INT64 and UINT64 elements are written as exact JSON integers (as Triton does), even beyond 2^53: JSON has no
 *   limit on integers, and clients that parse them exactly (Python's json, tritonclient, JSON.parse with a reviver
 *   reading the source text) get the model's value, never a rounded one;
 * - BOOL as true/false, BYTES as strings;
 * - FP32/FP64 NaN and infinities, which JSON numbers cannot carry, as the strings "NaN", "Infinity", "-Infinity".
 */
import { oipDatatypeOf, type TensorData } from "./datatypes.ts";

/** One output tensor of a response. */
export interface ResponseOutput {
  name: string;
  shape: number[];
  datatype: string;
  /** Elements; 64-bit integers are `JSON.rawJSON` values that `JSON.stringify` writes as exact integers. */
  data: unknown[];
}

/** An inference response, ready for `JSON.stringify`. */
export interface InferResponse {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: ResponseOutput[];
}

/** `JSON.rawJSON` (Node 21+): a value that `JSON.stringify` writes as the given JSON text. */
const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

function integer64(value: bigint): unknown {
  if (rawJSON !== undefined) return rawJSON(value.toString());
  // Without rawJSON (older Node), a value JSON numbers would round is sent as a decimal string.
  return value >= -(2n ** 53n) + 1n && value <= 2n ** 53n - 1n ? Number(value) : value.toString();
}

function float(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

/** The elements of `tensor` as JSON values, row-major. */
export function jsonElements(tensor: TensorData): unknown[] {
  const { type, data } = tensor;
  switch (type) {
    case "int64":
    case "uint64":
      return Array.from(data as BigInt64Array | BigUint64Array, integer64);
    case "bool":
      return Array.from(data as Uint8Array, (v) => v !== 0);
    case "float32":
    case "float64":
      return Array.from(data as Float32Array | Float64Array, float);
    case "string":
      return [...(data as string[])];
    default:
      return Array.from(data as Int32Array);
  }
}

/**
 * The response to a call of model `modelName` (as the client named it) at `version`, with `outputs` in `order`.
 * Serialise it with `JSON.stringify`.
 */
export function encodeInferResponse(
  modelName: string,
  version: string,
  id: string | undefined,
  outputs: Record<string, TensorData>,
  order: readonly string[],
): InferResponse {
  return {
    model_name: modelName,
    model_version: version,
    ...(id === undefined ? {} : { id }),
    outputs: order.map((name) => {
      const tensor = outputs[name];
      return {
        name,
        shape: [...tensor.dims],
        datatype: oipDatatypeOf(tensor.type) ?? tensor.type.toUpperCase(),
        data: jsonElements(tensor),
      };
    }),
  };
}
