/**
 * `ws raise --raise-id N [--account ADDRESS]`: one raise: its terms, status, fractions committed against its goal
 * and cap, money committed and raised, tranches released, licence seats sold, and the account's (default: you)
 * backing, the fractions it gets and what is refundable to it now. `ws raise [--model-id N]`: every raise (of the
 * model), one line each.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { raiseIds } from "../client/raises.js";
import { table } from "../sdk/index.js";
import { action, address, output } from "./lib/cli.js";
import { actor, context, model, type CommonArgs } from "./lib/context.js";
import { raiseIdArg, raiseJson, raiseLines, raiseRow, raisesOf, raiseView, type RaiseView } from "./lib/raises.js";

interface Args extends CommonArgs {
  raiseId: string;
  modelId: string;
  account: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
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
      ? `no raises${of} yet (ws propose --action open-raise opens one)`
      : table(["raise", "model", "status", "price", "committed / goal / cap", "raised", "closes"], views.map(raiseRow)),
  );
});
