/**
 * Tasks that both show something and file the proposal that opens one (`ws raise`, `ws sell-fractions`): which of
 * the two a command line asks for, and the `ws propose` arguments it files with, so the proposal is `ws propose`'s
 * own (`fileProposal`: the same builder, checks, simulation and output).
 *
 * The rule: `--description` (the proposal's text for voters) files; without it the task shows. Options only the
 * showing reads (`--raise-id`, `--account`, ...) given with any filing option, or filing options without
 * `--description`, are refused in one line naming them, before anything is read or sent.
 */
import type { ProposeArgs } from "./actions/index.js";
import { TaskInputError } from "./cli.js";
import type { CommonArgs } from "./context.js";

/** `--kebab-case` of an argument's camelCase name. */
export const optionName = (camel: string): string => `--${camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * `"file"` when `--description` is given, else `"show"`; refused in one line when show-only options are mixed with
 * filing ones, or filing options come without `--description`. `filing` excludes `description`; options both modes
 * read (`--model-id`) are in neither list.
 */
export function modeOf(
  args: Record<string, unknown>,
  use: { task: string; shows: string; opens: string; showOnly: readonly string[]; filing: readonly string[] },
): "show" | "file" {
  const given = (names: readonly string[]) => names.filter((n) => typeof args[n] === "string" && args[n] !== "");
  const shown = given(use.showOnly);
  const filed = given([...use.filing, "description"]);
  const names = (list: string[]) => list.map(optionName).join(", ");
  if (shown.length > 0 && filed.length > 0) {
    throw new TaskInputError(
      `${names(shown)}: ${shown.length === 1 ? "it shows" : "they show"} ${use.shows}, but ${names(filed)} file the proposal that ${use.opens}; give one set or the other`,
    );
  }
  if (filed.length > 0 && args.description === "") {
    throw new TaskInputError(
      `--description: expected the proposal's description for voters with ${names(filed)} (ws ${use.task} --description "..." files the proposal that ${use.opens}; without them it shows ${use.shows})`,
    );
  }
  return filed.length > 0 ? "file" : "show";
}

/** `ws propose --action <action>` arguments: the task's common options and `fields`, everything else unset. */
export function proposeArgs(
  common: CommonArgs & { modelId: string; description: string },
  action: string,
  fields: Partial<ProposeArgs>,
): ProposeArgs {
  return {
    ...BLANK,
    deployment: common.deployment,
    signer: common.signer,
    safe: common.safe,
    force: common.force,
    json: common.json,
    modelId: common.modelId,
    description: common.description,
    action,
    ...fields,
  };
}

const BLANK: Omit<ProposeArgs, keyof CommonArgs | "modelId" | "action" | "description"> = {
  to: "",
  amount: "",
  offerId: "",
  price: "",
  contributorsBps: "",
  holdersBps: "",
  credits: "",
  days: "",
  cap: "",
  commercialUse: "",
  transferable: false,
  derivatives: false,
  parentShareBps: "",
  minDerivativePrice: "",
  termsUri: "",
  termsFile: "",
  termsHash: "",
  contributors: "",
  uri: "",
  file: "",
  contentHash: "",
  token: "",
  setting: "",
  raiseId: "",
  saleId: "",
  goal: "",
  accountCap: "",
  opens: "",
  closes: "",
  terms: "",
  tranches: "",
  seatPrice: "",
  seats: "",
  accessDeadline: "",
  allowlist: "",
  endPrice: "",
  manifestHash: "",
  kind: "",
  uid: "",
  remove: false,
  licences: "",
};
