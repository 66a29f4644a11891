/**
 * `ws raise --raise-id N [--account ADDRESS]`: one raise: its terms, status, fractions committed against its goal
 * and cap, money committed and raised, tranches released, licence seats sold, and the account's (default: you)
 * backing, the fractions it gets and what is refundable to it now. `ws raise [--model-id N]`: every raise (of the
 * model), one line each.
 *
 * `ws raise --model-id N --price P [--token T] --goal N --cap N [--account-cap N] [--opens TIME] --closes TIME
 * --terms FILE [--tranches 50,50] [--seat-price P --seats N --access-deadline TIME] [--allowlist FILE]
 * --description TEXT`: files the proposal that opens a raise: `ws propose --action open-raise` with those arguments,
 * through its own code (`fileProposal`), so the same checks, proposal and output. `--description` chooses filing;
 * `--raise-id` or `--account` with any filing option is refused (tasks/lib/filing.ts).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { raiseIds } from "../client/raises.js";
import { table } from "../sdk/index.js";
import { action, address, output } from "./lib/cli.js";
import { actor, context, model, type CommonArgs } from "./lib/context.js";
import { modeOf, proposeArgs } from "./lib/filing.js";
import { raiseIdArg, raiseJson, raiseLines, raiseRow, raisesOf, raiseView, type RaiseView } from "./lib/raises.js";
import { fileProposal, proposalText } from "./propose.js";

/** The options that open a raise (`ws propose --action open-raise`'s), besides --model-id and --description. */
const OPENING = [
  "price",
  "token",
  "goal",
  "cap",
  "accountCap",
  "opens",
  "closes",
  "terms",
  "termsUri",
  "termsHash",
  "tranches",
  "seatPrice",
  "seats",
  "accessDeadline",
  "allowlist",
] as const;

type Opening = Record<(typeof OPENING)[number], string>;

interface Args extends CommonArgs, Opening {
  raiseId: string;
  modelId: string;
  account: string;
  description: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const use = {
    task: "raise",
    shows: "raises",
    opens: "opens a raise",
    showOnly: ["raiseId", "account"],
    filing: OPENING,
  };
  if (modeOf({ ...args }, use) === "file") {
    const fields: Partial<Opening> = {};
    for (const name of OPENING) fields[name] = args[name];
    const data = await fileProposal(proposeArgs(args, "open-raise", fields), hre);
    output(args.json, data, () => proposalText(data));
    return;
  }
  const given = args.account === "" ? undefined : address("account", args.account);
  const ctx = await context(hre, args);
  const raises = await raisesOf(ctx);
  const account = given ?? actor(ctx).account;
  if (args.raiseId !== "") {
    const v = await raiseView(ctx, raises, await raiseIdArg(raises, args.raiseId), account);
    output(args.json, raiseJson(v), () => raiseLines(v).join("\n"));
    return;
  }
  const modelId = args.modelId === "" ? undefined : (await model(ctx, args.modelId)).modelId;
  const ids = await raiseIds(raises, modelId);
  const views: RaiseView[] = [];
  for (const id of ids) views.push(await raiseView(ctx, raises, id, account));
  const of = modelId === undefined ? "" : ` of model #${modelId}`;
  output(args.json, { count: views.length, raises: views.map(raiseJson) }, () =>
    views.length === 0
      ? `no raises${of} yet (ws raise --model-id N ... --description TEXT proposes one)`
      : table(["raise", "model", "status", "price", "committed / goal / cap", "raised", "closes"], views.map(raiseRow)),
  );
});
