/**
 * The Open Inference Protocol's published REST schema (vendored in test/fixtures/oip/open_inference_rest.yaml from
 * kserve/open-inference-protocol) as JSON Schema validators: `oipSchema("inference_response")(body)` checks a body
 * against that component schema with ajv and fails the test with ajv's errors. Importing this file reads nothing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { Ajv, type ValidateFunction } from "ajv";
import { expect } from "chai";
import { parse } from "yaml";

/** The vendored OpenAPI document. */
export const OIP_SPEC_PATH = path.join(import.meta.dirname, "..", "fixtures", "oip", "open_inference_rest.yaml");

/** Component schemas of the document that tests check bodies against. */
export type OipComponent =
  | "metadata_server_response"
  | "metadata_server_error_response"
  | "metadata_model_response"
  | "metadata_model_error_response"
  | "inference_request"
  | "inference_response"
  | "inference_error_response";

const ID = "open_inference_rest";
let ajv: Ajv | undefined;
const validators = new Map<OipComponent, ValidateFunction>();

function load(): Ajv {
  if (ajv !== undefined) return ajv;
  const document = parse(readFileSync(OIP_SPEC_PATH, "utf8")) as Record<string, unknown>;
  // strict: a schema keyword ajv does not know fails loudly; OpenAPI's own top-level members and vendor
  // extensions are declared as annotations so the document compiles as written.
  ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addVocabulary(["openapi", "info", "servers", "paths", "components", "x-examples"]);
  ajv.addSchema({ ...document, $id: ID });
  return ajv;
}

/** A validator for one component schema of the protocol's REST document. */
export function oipValidator(component: OipComponent): ValidateFunction {
  let validate = validators.get(component);
  if (validate === undefined) {
    validate = load().getSchema(`${ID}#/components/schemas/${component}`);
    if (validate === undefined) throw new Error(`the OIP document has no component schema ${component}`);
    validators.set(component, validate);
  }
  return validate;
}

/** Asserts that `body` conforms to the protocol's `component` schema (failing with ajv's errors). */
export function expectOipShape(component: OipComponent, body: unknown): void {
  const validate = oipValidator(component);
  const ok = validate(body);
  expect(ok, `${component}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`).to.equal(
    true,
  );
}
