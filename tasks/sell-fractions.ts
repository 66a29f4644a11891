/**
 * `ws sell-fractions [--model-id N]`: every sale of treasury fractions (of the model), one line each: status, the
 * price now, sold of offered, closing date. `ws sell-fractions --sale-id N` shows one: its price schedule, the price
 * now, what was sold and what is left, its times and the proceeds paid to the treasury. Sales are opened and
 * stopped by the model's vote (`ws propose --action open-sale` / `stop-sale`); `ws buy-fractions` buys.
 *
 * `ws sell-fractions --model-id N --amount K --price P [--end-price P] [--token T] [--opens TIME] --closes TIME
 * --description TEXT`: files the proposal that opens a sale: `ws propose --action open-sale` with those arguments,
 * through its own code (`fileProposal`), so the same checks, proposal and output. `--description` chooses filing;
 * `--sale-id` with any filing option is refused (tasks/lib/filing.ts).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { saleIds } from "../client/sales.js";
import { table } from "../sdk/index.js";
import { saleIdArg } from "./lib/actions/sales.js";
import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { modeOf, proposeArgs } from "./lib/filing.js";
import { salesOf } from "./lib/raises.js";
import { saleJson, saleLines, saleRow, saleView, type SaleView } from "./lib/sales.js";
import { fileProposal, proposalText } from "./propose.js";

/** The options that open a sale (`ws propose --action open-sale`'s), besides --model-id and --description. */
const OPENING = ["amount", "price", "endPrice", "token", "opens", "closes"] as const;

type Opening = Record<(typeof OPENING)[number], string>;

interface Args extends CommonArgs, Opening {
  saleId: string;
  modelId: string;
  description: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const use = { task: "sell-fractions", shows: "sales", opens: "opens a sale", showOnly: ["saleId"], filing: OPENING };
  if (modeOf({ ...args }, use) === "file") {
    const fields: Partial<Opening> = {};
    for (const name of OPENING) fields[name] = args[name];
    const data = await fileProposal(proposeArgs(args, "open-sale", fields), hre);
    output(args.json, data, () => proposalText(data));
    return;
  }
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
      ? `no sales${of} yet (ws sell-fractions --model-id N ... --description TEXT proposes one)`
      : table(["sale", "model", "status", "price now", "sold / offered", "ends"], views.map(saleRow)),
  );
});
