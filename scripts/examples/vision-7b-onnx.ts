/**
 * Writes examples/vision-7b-model/onnx/classifier.onnx: Vision-7B's (tiny) classification head as a real ONNX model,
 * a linear layer from 4 image features to 3 class logits with a dynamic batch, which the gateway's built-in runner
 * serves in the demo and the README walkthrough. Run `node scripts/examples/vision-7b-onnx.ts` to rebuild it; the
 * bytes are deterministic.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { linearModelBytes } from "../../test/helpers/onnx-model.ts";

/** The head's weights: 4 features x 3 classes (cat, dog, bird). */
export const VISION_HEAD_WEIGHTS = [
  [0.9, -0.2, 0.1],
  [-0.4, 1.1, 0.3],
  [0.2, 0.1, 1.2],
  [-0.5, 0.4, -0.3],
];
/** The head's bias. */
export const VISION_HEAD_BIAS = [0.1, 0, -0.1];

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  const bytes = linearModelBytes({
    weights: VISION_HEAD_WEIGHTS,
    bias: VISION_HEAD_BIAS,
    inputName: "features",
    outputName: "logits",
  });
  const file = path.join(import.meta.dirname, "..", "..", "examples", "vision-7b-model", "onnx", "classifier.onnx");
  writeFileSync(file, bytes);
  console.log(`wrote ${file} (${bytes.length} bytes)`);
}
