/**
 * `ws infer --input`: from what a user types to an Open Inference Protocol request. A full request
 * (`{"inputs":[...]}`) is sent as it is; a nested array of numbers is the data of the model's single input, whose name
 * and datatype come from the model's metadata (`GET /v2/models/<id>`) and whose shape is the array's.
 */
import { gatewayBase, gatewayPath, requestJson } from "../../gateway/client/index.js";
import { TaskInputError } from "./cli.js";

/** The shape of a rectangular nested array of numbers, or a one-line error. */
export function shapeOf(value: unknown): number[] {
  if (!Array.isArray(value)) {
    if (typeof value === "number" && Number.isFinite(value)) return [];
    throw new TaskInputError(`--input: expected numbers in nested arrays, got ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  if (value.length === 0) throw new TaskInputError("--input: an empty array has no data");
  const inner = value.map(shapeOf);
  const first = JSON.stringify(inner[0]);
  if (inner.some((shape) => JSON.stringify(shape) !== first))
    throw new TaskInputError("--input: the nested arrays are not rectangular (rows of different lengths)");
  return [value.length, ...inner[0]];
}

/** The request for `input` (see the module comment). */
export async function oipRequestFromInput(
  gateway: string,
  token: string,
  modelId: bigint,
  input: unknown,
): Promise<{ inputs: unknown[] }> {
  if (input !== null && typeof input === "object" && !Array.isArray(input)) {
    const request = input as { inputs?: unknown };
    if (!Array.isArray(request.inputs)) throw new TaskInputError('--input: a request object needs "inputs": [...]');
    return request as { inputs: unknown[] };
  }
  const shape = shapeOf(input);
  const url = gatewayPath(gatewayBase(gateway), `v2/models/${modelId}`);
  const metadata = await requestJson<{ inputs: Array<{ name: string; datatype: string }> }>(fetch, url, { token });
  if (metadata.inputs.length !== 1) {
    throw new TaskInputError(
      `--input: model #${modelId} takes ${metadata.inputs.length} inputs (${metadata.inputs.map((i) => i.name).join(", ")}): ` +
        `give a full request {"inputs":[{"name","shape","datatype","data"}, ...]}`,
    );
  }
  const [only] = metadata.inputs;
  return { inputs: [{ name: only.name, shape, datatype: only.datatype, data: (input as unknown[]).flat(Infinity) }] };
}
