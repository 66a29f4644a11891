/**
 * `ws collect-from-derivatives --model-id N [--token ADDRESS]`: splits what the model's derivatives set aside for it
 * (its share of every payment into them, and what its grandchildren passed up) into its revenue, as a payment into
 * the model: contributors, holders (unlocking over the window) and the treasury each take their cut. Anyone may send
 * it. Without --token, every token with something waiting: those the model lists, and any other its derivatives paid
 * it in (read from the vault's ParentPaid events since the model was registered); a token the model does not accept
 * goes whole to its treasury. Every token's collection is simulated before any is sent; nothing waiting is a
 * refusal: one line, exit code 1, nothing sent. Prints what entered the model's split per token.
 */
import { getAddress, type ContractTransactionReceipt } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { perToken } from "./lib/claims.js";
import { context, model, type CommonArgs, type Context } from "./lib/context.js";
import { events, registrationBlock } from "./lib/events.js";
import { accepts, listedTokens, money, named, symbols, tokenArg, type Money } from "./lib/tokens.js";
import { tokenInfo, type TokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  token: string;
}

/** What one collection put into the model's split. */
interface Collected extends Money {
  /** Whether the model accepts the token: if not, its treasury took it whole. */
  accepted: boolean;
  toContributors: Money;
  toHolders: Money;
  toTreasury: Money;
}

/** The tokens the model lists, then every other token its derivatives set something aside for it in. */
async function setAsideTokens(ctx: Context, modelId: bigint): Promise<TokenInfo[]> {
  const tokens: TokenInfo[] = await listedTokens(ctx, modelId);
  const from = await registrationBlock(ctx, ctx.registry, modelId);
  for (const log of await events(ctx, ctx.vault, ctx.vault.filters.ParentPaid(undefined, modelId), from)) {
    const token = getAddress(log.args.token);
    if (!tokens.some((t) => t.address === token)) tokens.push(await tokenInfo(ctx, token));
  }
  return tokens;
}

/** The vault's `Deposited` events in `receipts` for `modelId` coming from the vault itself (the collections). */
async function collectedIn(
  ctx: Context,
  receipts: (ContractTransactionReceipt | null)[],
  modelId: bigint,
  tokens: (TokenInfo & { accepted: boolean })[],
): Promise<Collected[]> {
  const vault = getAddress(ctx.deployment.vault);
  const out: Collected[] = [];
  for (const log of receipts.flatMap((r) => r?.logs ?? [])) {
    if (log.address !== vault) continue;
    const e = ctx.vault.interface.parseLog(log);
    if (e?.name !== "Deposited" || e.args.modelId !== modelId || getAddress(e.args.from) !== vault) continue;
    const token = tokens.find((t) => t.address === getAddress(e.args.token));
    if (token === undefined) continue;
    out.push({
      ...money(e.args.amount, token),
      accepted: token.accepted,
      toContributors: money(e.args.toContributors, token),
      toHolders: money(e.args.toHolders, token),
      toTreasury: money(e.args.toTreasury, token),
    });
  }
  return out;
}

/** "collected 0.1 ETH ... : 0.02 ETH to contributors, 0.05 ETH to holders as it unlocks, 0.03 ETH to the treasury". */
function collectedText(modelId: bigint, c: Collected): string {
  const what = `collected ${c.formatted} that derivatives set aside for model #${modelId}`;
  if (!c.accepted) {
    return `${what}; it does not accept ${c.symbol}, so its treasury took it whole (ws release-treasury pays it out)`;
  }
  return (
    `${what} into its split: ${c.toContributors.formatted} to contributors, ${c.toHolders.formatted} to holders ` +
    `as it unlocks, ${c.toTreasury.formatted} to the treasury`
  );
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const tokens = args.token === "" ? await setAsideTokens(ctx, m.modelId) : [await tokenArg(ctx, args.token)];
  const waiting: (TokenInfo & { accepted: boolean })[] = [];
  for (const token of tokens) {
    const [, pending] = await ctx.vault.fromDerivatives(m.modelId, token.address);
    if (pending !== 0n) waiting.push({ ...token, accepted: await accepts(ctx, m.modelId, token.address) });
  }
  const argument = args.token === "" ? "model-id" : "token";
  if (waiting.length === 0) {
    const checked = args.token === "" ? `tokens checked: ${symbols(tokens)}` : `in ${named(tokens[0])}`;
    throw new TaskInputError(
      `--${argument}: nothing set aside by the derivatives of model #${m.modelId} waits to be collected (${checked})`,
    );
  }
  const receipts = await perToken(ctx, "collectFromDerivatives", m.modelId, waiting, argument);
  const collected = await collectedIn(ctx, receipts, m.modelId, waiting);
  output(args.json, { modelId: m.modelId, collected }, () =>
    collected.map((c) => collectedText(m.modelId, c)).join("\n"),
  );
});
