/**
 * `ws sell-fractions [--model-id N]`: every sale of treasury fractions (of the model), one line each: status, the
 * price now, sold of offered, closing date. `ws sell-fractions --sale-id N` shows one: its price schedule, the price
 * now, what was sold and what is left, its times and the proceeds paid to the treasury. Sales are opened and
 * stopped by the model's vote (`ws propose --action open-sale` / `stop-sale`); `ws buy-fractions` buys.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { saleIds } from "../client/sales.js";
import { table } from "../sdk/index.js";
import { saleIdArg } from "./lib/actions/sales.js";
import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { salesOf } from "./lib/raises.js";
import { saleJson, saleLines, saleRow, saleView, type SaleView } from "./lib/sales.js";

interface Args extends CommonArgs {
  saleId: string;
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const sales = await salesOf(ctx);
  if (args.saleId !== "") {
    const v = await saleView(ctx, sales, await saleIdArg(sales, args.saleId));
    output(args.json, saleJson(v), () => saleLines(v).join("\n"));
    return;
  }
  const modelId = args.modelId === "" ? undefined : (await model(ctx, args.modelId)).modelId;
  const views: SaleView[] = [];
  for (const id of await saleIds(sales, modelId)) views.push(await saleView(ctx, sales, id));
  const of = modelId === undefined ? "" : ` of model #${modelId}`;
  output(args.json, { count: views.length, sales: views.map(saleJson) }, () =>
    views.length === 0
      ? `no sales${of} yet (ws propose --action open-sale opens one)`
      : table(["sale", "model", "status", "price now", "sold / offered", "ends"], views.map(saleRow)),
  );
});
