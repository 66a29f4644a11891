/**
 * What the ONNX runner throws: a model that does not load, a run that onnxruntime refuses (telling whether the
 * inputs are to blame), and a model whose run queue is full. Route modules map them to HTTP problems.
 */

/** The model's bytes are not a model onnxruntime can load. */
export class OnnxLoadError extends Error {
  /** @param modelId the model; @param version its version. */
  constructor(modelId: bigint, version: string) {
    super(`model ${modelId} version ${version} could not be loaded by onnxruntime`);
    this.name = "OnnxLoadError";
  }
}

/** onnxruntime failed while running; `inputFault` when what it said points at the inputs (shapes, broadcasting). */
export class OnnxRunError extends Error {
  readonly inputFault: boolean;

  /** @param message onnxruntime's message (for logs only); @param inputFault whether the inputs caused it. */
  constructor(message: string, inputFault: boolean) {
    super(message);
    this.name = "OnnxRunError";
    this.inputFault = inputFault;
  }
}

/** The model's run queue is full: retry later. */
export class OnnxBusyError extends Error {
  /** @param modelId the model whose queue is full. */
  constructor(modelId: bigint) {
    super(`model ${modelId} has too many calls in flight`);
    this.name = "OnnxBusyError";
  }
}
