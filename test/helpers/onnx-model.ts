/**
 * Small real ONNX models, built in JavaScript with `onnx-proto` (no Python, no download), for the ONNX runner's and
 * the Open Inference Protocol's tests and for the examples/demo: a linear layer with a dynamic batch, and a model
 * with several inputs and outputs of other element types (INT64, BOOL, BYTES) that share a symbolic dimension.
 * Importing this file builds nothing.
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType numbers used here. */
const ELEM = { FLOAT: 1, STRING: 8, INT64: 7, BOOL: 9 } as const;

/** One dimension: a fixed size or a symbolic name ("batch"). */
type Dim = number | string;

function valueInfo(name: string, elemType: number, dims: Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function floatInitializer(name: string, dims: number[], values: number[]): OnnxTypes.ITensorProto {
  return {
    name,
    dims,
    dataType: ELEM.FLOAT,
    rawData: new Uint8Array(Float32Array.from(values).buffer),
  };
}

function encode(graph: OnnxTypes.IGraphProto, opset = 13): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "weightshare-tests",
    opsetImport: [{ domain: "", version: opset }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The linear layer's default parameters: `y = x · W + b`, x of shape [batch, 3], y of shape [batch, 2]. */
export const LINEAR_WEIGHTS = [
  [1, 2],
  [3, 4],
  [5, 6],
];
/** Default bias of `linearModelBytes`. */
export const LINEAR_BIAS = [0.5, -1];

/** What `linearModelBytes` builds. */
export interface LinearModelOptions {
  /** Weight matrix, `inputs` rows of `outputs` columns (default `LINEAR_WEIGHTS`). */
  weights?: number[][];
  /** Bias, one per output column (default `LINEAR_BIAS`). */
  bias?: number[];
  /** Graph input and output names (default "x" and "y"). */
  inputName?: string;
  outputName?: string;
}

/**
 * A linear layer as an ONNX model (MatMul then Add, opset 13): input `x` FP32 [batch, n], output `y` FP32
 * [batch, m], where `batch` is a symbolic (dynamic) dimension and n, m come from the weight matrix.
 */
export function linearModelBytes(options: LinearModelOptions = {}): Uint8Array {
  const weights = options.weights ?? LINEAR_WEIGHTS;
  const bias = options.bias ?? LINEAR_BIAS;
  const inputs = weights.length;
  const outputs = weights[0].length;
  if (bias.length !== outputs || weights.some((row) => row.length !== outputs)) {
    throw new Error(`weights must be ${inputs} rows of ${outputs} columns, and the bias ${outputs} long`);
  }
  const x = options.inputName ?? "x";
  const y = options.outputName ?? "y";
  return encode({
    name: "linear",
    node: [
      { opType: "MatMul", input: [x, "W"], output: ["xW"], name: "matmul" },
      { opType: "Add", input: ["xW", "b"], output: [y], name: "add" },
    ],
    initializer: [floatInitializer("W", [inputs, outputs], weights.flat()), floatInitializer("b", [outputs], bias)],
    input: [valueInfo(x, ELEM.FLOAT, ["batch", inputs])],
    output: [valueInfo(y, ELEM.FLOAT, ["batch", outputs])],
  });
}

/** `y = x · W + b` computed in JavaScript (float64), for checking the runner's answers. */
export function linearExpected(x: number[][], weights = LINEAR_WEIGHTS, bias = LINEAR_BIAS): number[][] {
  return x.map((row) => bias.map((b, j) => row.reduce((sum, v, i) => sum + v * weights[i][j], b)));
}

/**
 * A model with three inputs and three outputs of other element types:
 * - `counts` INT64 [batch, 2] -> `doubled` INT64 [batch, 2] (counts + counts);
 * - `mask` BOOL [batch, 2] -> `inverted` BOOL [batch, 2] (not mask);
 * - `labels` BYTES (ONNX string) [n] -> `labels_out` BYTES [n] (identity).
 * `counts` and `mask` share the symbolic dimension `batch`.
 */
export function mixedModelBytes(): Uint8Array {
  return encode({
    name: "mixed",
    node: [
      { opType: "Add", input: ["counts", "counts"], output: ["doubled"], name: "double" },
      { opType: "Not", input: ["mask"], output: ["inverted"], name: "invert" },
      { opType: "Identity", input: ["labels"], output: ["labels_out"], name: "copy" },
    ],
    input: [
      valueInfo("counts", ELEM.INT64, ["batch", 2]),
      valueInfo("mask", ELEM.BOOL, ["batch", 2]),
      valueInfo("labels", ELEM.STRING, ["n"]),
    ],
    output: [
      valueInfo("doubled", ELEM.INT64, ["batch", 2]),
      valueInfo("inverted", ELEM.BOOL, ["batch", 2]),
      valueInfo("labels_out", ELEM.STRING, ["n"]),
    ],
  });
}

/**
 * A model whose two FP32 inputs have independent dynamic shapes and are added together (`sum = a + b`): inputs
 * whose shapes cannot broadcast pass the gateway's checks and fail inside onnxruntime, the input's fault.
 */
export function addModelBytes(): Uint8Array {
  return encode({
    name: "add",
    node: [{ opType: "Add", input: ["a", "b"], output: ["sum"], name: "add" }],
    input: [valueInfo("a", ELEM.FLOAT, ["n"]), valueInfo("b", ELEM.FLOAT, ["m"])],
    output: [valueInfo("sum", ELEM.FLOAT, ["k"])],
  });
}
