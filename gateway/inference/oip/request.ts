/**
 * Decodes an Open Inference Protocol inference request (`{ id?, parameters?, inputs: [{ name, shape, datatype, data,
 * parameters? }], outputs?: [{ name }] }`) into tensors for the model, checked strictly against the model's inputs
 * and outputs before anything is reserved or allocated: every input known, present once and of the model's data
 * type; shapes of the model's rank, its fixed sizes, and one size per symbolic dimension across inputs; data of
 * exactly the shape's element count (flat, or nested exactly as the shape, as the protocol allows), each element of
 * the data type (64-bit integers beyond 2^53 as decimal strings). Each refusal is a 400 problem naming the field.
 */
import type { OnnxModel, OnnxTensorInfo } from "../onnx/runner.ts";
import { codecOf, isOipDatatype, type TensorData } from "./datatypes.ts";
import { invalidField } from "./problems.ts";

/** A request checked against its model. */
export interface DecodedRequest {
  /** The request's `id`, echoed in the response. */
  id?: string;
  /** One tensor per model input, by input name. */
  feeds: Record<string, TensorData>;
  /** The outputs to return, in the order to return them. */
  outputs: string[];
}

/** Most dimensions a request's shape may have when the model does not fix its rank. */
export const MAX_RANK = 32;
/** Longest request `id` echoed back. */
export const MAX_ID_LENGTH = 256;

type Model = Pick<OnnxModel, "modelId" | "inputs" | "outputs">;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function names(infos: readonly OnnxTensorInfo[]): string {
  return infos.map((i) => JSON.stringify(i.name)).join(", ");
}

/**
 * A short rendering of a client's value for a detail: scalars as JSON (strings cut at 40 characters), arrays of
 * scalars up to 8 elements, anything else by its kind (never serialising a large or deeply nested value).
 */
function show(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length <= 8 && value.every((v) => v === null || typeof v !== "object")) {
      return `[${value.map(show).join(", ")}]`;
    }
    return `an array of ${value.length}`;
  }
  if (typeof value === "object" && value !== null) return "an object";
  const text =
    typeof value === "string" || typeof value === "number" || typeof value === "boolean"
      ? JSON.stringify(value)
      : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Checks `body` against `model`; throws a 400 problem naming the first offending field. */
export function decodeInferRequest(body: unknown, model: Model): DecodedRequest {
  if (!isObject(body)) throw invalidField("body", "expected a JSON object with an `inputs` array");
  const { id, parameters, inputs, outputs } = body;
  if (id !== undefined && (typeof id !== "string" || id.length > MAX_ID_LENGTH)) {
    throw invalidField("id", `expected a string of at most ${MAX_ID_LENGTH} characters; got ${show(id)}`);
  }
  if (parameters !== undefined && !isObject(parameters)) throw invalidField("parameters", "expected an object");
  if (!Array.isArray(inputs)) throw invalidField("inputs", `expected an array of tensors; got ${show(inputs)}`);

  const byName = new Map(model.inputs.map((info) => [info.name, info]));
  const feeds: Record<string, TensorData> = {};
  const symbols = new Map<string, { size: number; field: string }>();
  inputs.forEach((input, i) => {
    const field = `inputs[${i}]`;
    if (!isObject(input)) throw invalidField(field, "expected an object {name, shape, datatype, data}");
    const info = typeof input.name === "string" ? byName.get(input.name) : undefined;
    if (info === undefined) {
      throw invalidField(
        `${field}.name`,
        `model ${model.modelId} has no input named ${show(input.name)}; its inputs are ${names(model.inputs)}`,
      );
    }
    if (Object.hasOwn(feeds, info.name)) throw invalidField(`${field}.name`, `input "${info.name}" is given twice`);
    if (input.parameters !== undefined && !isObject(input.parameters)) {
      throw invalidField(`${field}.parameters`, "expected an object");
    }
    feeds[info.name] = decodeInput(input, info, field, symbols);
  });
  const missing = model.inputs.filter((info) => !Object.hasOwn(feeds, info.name));
  if (missing.length > 0) throw invalidField("inputs", `missing input(s) ${names(missing)} of model ${model.modelId}`);

  return { ...(id === undefined ? {} : { id }), feeds, outputs: decodeOutputs(outputs, model) };
}

function decodeOutputs(outputs: unknown, model: Model): string[] {
  if (outputs === undefined) return model.outputs.filter((o) => o.datatype !== undefined).map((o) => o.name);
  if (!Array.isArray(outputs)) throw invalidField("outputs", `expected an array of {name}; got ${show(outputs)}`);
  const wanted: string[] = [];
  outputs.forEach((output, i) => {
    const field = `outputs[${i}]`;
    if (!isObject(output)) throw invalidField(field, "expected an object {name}");
    const info = model.outputs.find((o) => o.name === output.name);
    if (info === undefined) {
      throw invalidField(
        `${field}.name`,
        `model ${model.modelId} has no output named ${show(output.name)}; its outputs are ${names(model.outputs)}`,
      );
    }
    if (wanted.includes(info.name)) throw invalidField(`${field}.name`, `output "${info.name}" is requested twice`);
    if (info.datatype === undefined || codecOf(info.datatype) === undefined) {
      throw invalidField(`${field}.name`, `output "${info.name}" (${info.ortType}) cannot be sent as JSON`);
    }
    if (output.parameters !== undefined && !isObject(output.parameters)) {
      throw invalidField(`${field}.parameters`, "expected an object");
    }
    wanted.push(info.name);
  });
  if (wanted.length === 0) throw invalidField("outputs", "requests no output; omit it to get them all");
  return wanted;
}

function decodeInput(
  input: Record<string, unknown>,
  info: OnnxTensorInfo,
  field: string,
  symbols: Map<string, { size: number; field: string }>,
): TensorData {
  const { datatype, shape, data } = input;
  if (!isOipDatatype(datatype)) throw invalidField(`${field}.datatype`, `${show(datatype)} is not a protocol datatype`);
  const codec = info.datatype === undefined ? undefined : codecOf(info.datatype);
  if (info.datatype === undefined || codec === undefined) {
    throw invalidField(`${field}.name`, `input "${info.name}" (${info.ortType}) cannot be sent as JSON`);
  }
  if (datatype !== info.datatype) {
    throw invalidField(`${field}.datatype`, `input "${info.name}" is ${info.datatype}; got ${datatype}`);
  }
  const dims = checkShape(shape, info, `${field}.shape`, symbols);
  const count = elementCount(dims, `${field}.shape`);
  if (!Array.isArray(data)) throw invalidField(`${field}.data`, `expected an array of ${count} elements`);
  const nested = dims.length > 1 && data.length > 0 && Array.isArray(data[0]);
  if (nested) checkNested(data, dims, 0, `${field}.data`);
  else if (data.length !== count) {
    throw invalidField(
      `${field}.data`,
      `shape ${show(dims)} has ${count} elements; data has ${data.length} (flat, or nested as the shape)`,
    );
  }
  // Only now is memory allocated: `count` elements, each already present in the parsed body.
  const out = codec.allocate(count);
  let at = 0;
  const store = (value: unknown) => {
    const element = codec.convert(value);
    if (element === undefined) {
      throw invalidField(`${field}.data`, `element ${at} (row-major) is ${show(value)}; expected ${codec.expected}`);
    }
    (out as unknown as (number | bigint | string)[])[at++] = element;
  };
  const walk = (node: unknown[], depth: number) => {
    for (const item of node) {
      if (nested && depth < dims.length - 1) walk(item as unknown[], depth + 1);
      else store(item);
    }
  };
  walk(data, 0);
  return { type: codec.ort, data: out, dims };
}

function checkShape(
  shape: unknown,
  info: OnnxTensorInfo,
  field: string,
  symbols: Map<string, { size: number; field: string }>,
): number[] {
  const expected = info.dims.length > 0 ? `[${info.dims.join(", ")}]` : "";
  if (!Array.isArray(shape) || shape.length > MAX_RANK) {
    throw invalidField(field, `expected an array of at most ${MAX_RANK} sizes ${expected}; got ${show(shape)}`);
  }
  // A model that declares no dimensions ([]) may not fix its rank: any rank is let through to onnxruntime.
  if (info.dims.length > 0 && shape.length !== info.dims.length) {
    throw invalidField(
      field,
      `input "${info.name}" has ${info.dims.length} dimensions ${expected}; got ${show(shape)}`,
    );
  }
  shape.forEach((size, j) => {
    if (!Number.isSafeInteger(size) || (size as number) < 0) {
      throw invalidField(`${field}[${j}]`, `expected a non-negative integer; got ${show(size)}`);
    }
    const dim = info.dims[j];
    if (typeof dim === "number" && dim >= 0 && size !== dim) {
      throw invalidField(
        `${field}[${j}]`,
        `input "${info.name}" has ${expected}: dimension ${j} is ${dim}; got ${size}`,
      );
    }
    if (typeof dim === "string" && dim !== "") {
      const bound = symbols.get(dim);
      if (bound !== undefined && bound.size !== size) {
        throw invalidField(`${field}[${j}]`, `dimension "${dim}" is ${bound.size} in ${bound.field}; got ${size}`);
      }
      symbols.set(dim, { size: size as number, field });
    }
  });
  return shape as number[];
}

/** The product of `dims`, refused once past 2^32 elements (no request body could hold them). */
function elementCount(dims: number[], field: string): number {
  if (dims.includes(0)) return 0;
  let count = 1;
  for (const size of dims) {
    count *= size;
    if (count > 2 ** 32) throw invalidField(field, `shape ${show(dims)} has more than 2^32 elements`);
  }
  return count;
}

/** Checks that `node` is nested exactly as `dims` from `depth` on, without allocating anything. */
function checkNested(node: unknown, dims: number[], depth: number, path: string): void {
  if (!Array.isArray(node) || node.length !== dims[depth]) {
    throw invalidField(path, `expected an array of ${dims[depth]} (dimension ${depth} of shape ${show(dims)})`);
  }
  if (depth === dims.length - 1) {
    node.forEach((item, k) => {
      if (Array.isArray(item)) throw invalidField(`${path}[${k}]`, "expected an element; got an array");
    });
    return;
  }
  node.forEach((item, k) => checkNested(item, dims, depth + 1, `${path}[${k}]`));
}
