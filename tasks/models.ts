/**
 * `ws models`: every registered model, one line each: id, name, symbol, supply, how many accounts hold fractions,
 * how many licence offers can be bought now, its governor and treasury, and its metadata URI.
 * `ws model --model-id N` shows one in full.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { short, table } from "../sdk/index.js";
import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { holdersOf, recipientsByModel } from "./lib/holders.js";
import { buyable, fractionInfo, offersOf } from "./lib/model-info.js";
import { formatAmount } from "./lib/units.js";

export default action(async (args: CommonArgs, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const count = await ctx.registry.modelCount();
  const recipients = await recipientsByModel(ctx);
  const summary = async (id: bigint) => {
    const m = await model(ctx, String(id));
    const record = await ctx.registry.model(id);
    const fractions = await fractionInfo(m);
    const supply = await ctx.shares["totalSupply(uint256)"](id);
    const offers = await offersOf(ctx, id);
    return {
      modelId: id,
      name: record.name,
      symbol: fractions.symbol,
      supply,
      supplyText: formatAmount(supply, fractions),
      holders: (await holdersOf(ctx, id, recipients)).length,
      offers: offers.length,
      offersOnSale: offers.filter(buyable).length,
      governor: record.governor,
      treasury: record.timelock,
      metadataURI: await ctx.shares.uri(id),
    };
  };
  const models = await Promise.all(Array.from({ length: Number(count) }, (_, i) => summary(BigInt(i + 1))));
  output(args.json, { count, models }, () =>
    count === 0n
      ? "no models registered yet (ws register --members FILE)"
      : table(
          ["id", "name", "supply", "holders", "on sale", "governor", "treasury", "metadata"],
          models.map((m) => [
            m.modelId,
            m.name,
            m.supplyText,
            m.holders,
            `${m.offersOnSale} of ${m.offers}`,
            short(m.governor),
            short(m.treasury),
            m.metadataURI || "-",
          ]),
        ),
  );
});
