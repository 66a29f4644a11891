/**
 * One loaded ONNX model: an onnxruntime `InferenceSession` with its run queue, what the model takes and returns (the
 * protocol's datatypes, -1 for dynamic dimensions), and how it runs plain tensors (`TensorData`) into plain tensors.
 * onnxruntime-node itself is imported by `loadOnnxRuntime`, on first use only.
 */
import type { InferenceSession, Tensor } from "onnxruntime-node";

import { oipDatatypeOf, type OipDatatype, type TensorArray, type TensorData } from "../oip/datatypes.ts";
import { OnnxBusyError, OnnxRunError } from "./errors.ts";
import { QueueFullError, type RunQueue } from "./queue.ts";

/** One input or output of a model. */
export interface OnnxTensorInfo {
  name: string;
  /** The protocol's data type, or undefined when the value is not a tensor or has a type it cannot name. */
  datatype: OipDatatype | undefined;
  /** What onnxruntime calls the value's type ("float32", "int4", or "non-tensor"). */
  ortType: string;
  /** The model's dimensions: a size, or a symbolic name for a dynamic one ("batch"); [] when unknown or scalar. */
  dims: readonly (number | string)[];
  /** The protocol's shape: the dimensions with -1 for each dynamic one. */
  shape: readonly number[];
}

/** A loaded model, ready to run. */
export interface OnnxModel {
  readonly modelId: bigint;
  readonly version: string;
  /** The model's name from its source (a display name; clients address it by id). */
  readonly name: string;
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
  /** Runs the model on `feeds` (one per input) and returns the named outputs. */
  run(feeds: Record<string, TensorData>, outputs: readonly string[]): Promise<Record<string, TensorData>>;
}

/** onnxruntime messages that mean the inputs do not fit the model or each other (checked case-insensitively). */
const INPUT_FAULTS = [
  "attempting to broadcast",
  "got invalid dimensions",
  "invalid rank",
  "unexpected input data type",
  "shape mismatch",
  "incompatible dimensions",
];

type Ort = typeof import("onnxruntime-node");
let ortModule: Promise<Ort> | undefined;

/** onnxruntime-node, imported on first call. */
export function loadOnnxRuntime(): Promise<Ort> {
  ortModule ??= import("onnxruntime-node");
  return ortModule;
}

/** A model loaded in an onnxruntime session; `retire` releases the session once no call runs or waits. */
export class LoadedModel implements OnnxModel {
  readonly modelId: bigint;
  readonly version: string;
  readonly name: string;
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
  readonly #ort: Ort;
  readonly #session: InferenceSession;
  readonly #queue: RunQueue;
  #released = false;

  /** Wraps `session` (of model `id` at `version`); its calls go through `queue`. */
  constructor(ort: Ort, session: InferenceSession, queue: RunQueue, id: bigint, version: string, name: string) {
    this.#ort = ort;
    this.#session = session;
    this.#queue = queue;
    this.modelId = id;
    this.version = version;
    this.name = name;
    this.inputs = session.inputMetadata.map(tensorInfo);
    this.outputs = session.outputMetadata.map(tensorInfo);
  }

  /** Runs the model through the queue; see `OnnxModel.run`. */
  async run(feeds: Record<string, TensorData>, outputs: readonly string[]): Promise<Record<string, TensorData>> {
    try {
      return await this.#queue.run(async () => {
        // Evicted or replaced between the caller's look-up and this run: the caller retries and gets a live one.
        if (this.#released) throw new OnnxBusyError(this.modelId);
        const tensors: Record<string, Tensor> = {};
        for (const [name, t] of Object.entries(feeds)) {
          tensors[name] = new this.#ort.Tensor(t.type, t.data as Tensor.DataType, t.dims);
        }
        let results: InferenceSession.ReturnType;
        try {
          results = await this.#session.run(tensors, [...outputs]);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const lower = message.toLowerCase();
          throw new OnnxRunError(
            message,
            INPUT_FAULTS.some((fault) => lower.includes(fault)),
          );
        }
        const answer: Record<string, TensorData> = {};
        for (const name of outputs) {
          const value = results[name] as Tensor;
          answer[name] = {
            type: value.type as TensorData["type"],
            data: value.data as TensorArray,
            dims: [...value.dims],
          };
        }
        return answer;
      });
    } catch (error) {
      if (error instanceof QueueFullError) throw new OnnxBusyError(this.modelId);
      throw error;
    }
  }

  /** Releases the session once no call runs or waits. */
  async retire(): Promise<void> {
    await this.#queue.whenIdle();
    this.#released = true;
    await this.#session.release();
  }
}

export function tensorInfo(meta: InferenceSession.ValueMetadata): OnnxTensorInfo {
  if (!meta.isTensor) return { name: meta.name, datatype: undefined, ortType: "non-tensor", dims: [], shape: [] };
  const dims = [...meta.shape];
  return {
    name: meta.name,
    datatype: oipDatatypeOf(meta.type),
    ortType: meta.type,
    dims,
    shape: dims.map((d) => (typeof d === "number" && d >= 0 ? d : -1)),
  };
}
