/** The shape of one proposable action: its form fields and its builder (one per `ws propose --action`). */
import type { Proposal } from "../../../../governance/proposals.ts";
import type { AppDeployment } from "../../config.ts";
import type { ProposeContext } from "./chain.ts";
import { bad, type Named } from "./fields.ts";

/** One input of an action's form. */
export interface FieldSpec extends Named {
  /** `text` (default), `checkbox` ("yes" when ticked), `select`, `offer` (the model's offers), `textarea`. */
  kind?: "text" | "checkbox" | "select" | "offer" | "textarea" | "file-hash";
  help?: string;
  /** For `select`: the values and their labels. */
  options?: readonly (readonly [string, string])[];
  initial?: string;
  /** Whether the form may leave it empty. */
  optional?: boolean;
}

/** The form's values by field name (checkboxes are "yes" or ""). */
export type Values = Record<string, string>;

/** A built proposal, and what the user should know before filing it (the CLI's `--force` cases). */
export interface Built {
  proposal: Proposal;
  warnings: string[];
}

/** One action: its name (the CLI's `--action`), label, form and builder. */
export interface ActionSpec {
  id: string;
  label: string;
  group: string;
  fields: FieldSpec[];
  /** Whether the deployment has the contracts the action calls (offered only then); always when absent. */
  available?: (deployment: AppDeployment) => boolean;
  /** Checks the values and builds the proposal through the governance builders; throws FieldError on bad input. */
  build: (
    ctx: ProposeContext,
    values: Values,
    description: string,
    warn: (message: string) => void,
  ) => Promise<Proposal>;
}

/** The field spec named `name` of `fields` (for messages). */
export function field(fields: readonly FieldSpec[], name: string): FieldSpec {
  const f = fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no field ${name}`);
  return f;
}

/** The field's value, required unless the spec says optional. */
export function valueOf(fields: readonly FieldSpec[], values: Values, name: string, what: string): string {
  const f = field(fields, name);
  const v = (values[name] ?? "").trim();
  if (v === "" && f.optional !== true) bad(f, `expected ${what}`);
  return v;
}
