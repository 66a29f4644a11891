/**
 * `ws claim --model-id N [--token ADDRESS] [--release] [--to ADDRESS]`: the signer (or `--safe`) claims its holder
 * revenue of a model in every payment token that has some (one `claimMany` transaction for several), or in
 * `--token` only; `--release` releases its contributor revenue instead (one release per token); `--to` pays another
 * address (claimTo / releaseTo).
 * `ws claim --model-ids 1,2,3 [--token ADDRESS]`: holder revenue of several models in one `claimMany` transaction.
 * Holder revenue unlocks over the model's window (default 7 days) after each payment: with nothing unlocked yet,
 * the task says how much is still unlocking and until when. Nothing to claim or release is a refusal: one line,
 * exit code 1, nothing sent. With several transactions (one per token), all are simulated before any is sent.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { Model } from "../sdk/index.js";
import { action, address, output, TaskInputError } from "./lib/cli.js";
import { paidIn, modelsArg, stillUnlocking } from "./lib/claims.js";
import { actor, context, model, type CommonArgs } from "./lib/context.js";
import { send, sendAll } from "./lib/send.js";
import { modelTokens } from "./lib/tokens.js";
import type { TokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  modelIds: string;
  token: string;
  to: string;
  release: boolean;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const many = args.modelIds !== "";
  if (many && args.modelId !== "") {
    throw new TaskInputError("--model-ids: expected either --model-id N or --model-ids N,M,..., not both");
  }
  if (many && args.release) {
    throw new TaskInputError(
      "--release: contributor revenue is released one model at a time (--model-id N --release); --model-ids claims holder revenue",
    );
  }
  if (many && args.to !== "") {
    throw new TaskInputError(
      "--to: --model-ids claims to the signer in one claimMany transaction; claim one model with --model-id N --to ADDRESS",
    );
  }
  const ctx = await context(hre, args);
  const to = args.to === "" ? undefined : address("to", args.to);
  const models = many ? await modelsArg(ctx, args.modelIds) : [await model(ctx, args.modelId)];
  const who = actor(ctx).account;
  const as = args.release ? "contributor" : "holder";
  const owed: { m: Model; token: TokenInfo }[] = [];
  const unlockingParts: string[] = [];
  let tokens: TokenInfo[] = [];
  for (const m of models) {
    tokens = await modelTokens(ctx, m.modelId, args.token);
    for (const token of tokens) {
      const amount = args.release
        ? await ctx.vault.releasable(m.modelId, token.address, who)
        : await ctx.vault.claimable(m.modelId, token.address, who);
      if (amount !== 0n) owed.push({ m, token });
    }
    if (!args.release) unlockingParts.push(...(await stillUnlocking(ctx, m, who, tokens)));
  }
  const argument = many ? "model-ids" : "model-id";
  if (owed.length === 0) {
    if (unlockingParts.length !== 0) {
      throw new TaskInputError(`--${argument}: nothing unlocked yet for ${who}: ${unlockingParts.join("; ")}`);
    }
    const what = args.release ? "release as a contributor" : "claim as a holder";
    const of =
      models.length === 1 ? `model #${models[0].modelId}` : `models ${models.map((m) => `#${m.modelId}`).join(", ")}`;
    const inToken = args.token === "" ? "" : ` in ${tokens[0].symbol}`; // --token: the one token of every model
    throw new TaskInputError(`--${actor(ctx).option}: ${who} has nothing to ${what} of ${of}${inToken}`);
  }
  const receipts = [];
  if (!args.release && to === undefined && owed.length > 1) {
    const ids = owed.map((o) => o.m.modelId);
    const addresses = owed.map((o) => o.token.address);
    receipts.push(await send(ctx, ctx.vault, "claimMany", [ids, addresses], { argument }));
  } else {
    const calls = owed.map(({ m, token }) => {
      const [method, callArgs] = args.release
        ? to === undefined
          ? ["release", [m.modelId, token.address, who]]
          : ["releaseTo", [m.modelId, token.address, to]]
        : to === undefined
          ? ["claim", [m.modelId, token.address]]
          : ["claimTo", [m.modelId, token.address, to]];
      return { contract: ctx.vault, method, args: callArgs };
    });
    // Simulated all before any is sent: a refused second token leaves the first unclaimed.
    receipts.push(...(await sendAll(ctx, calls, { argument })));
  }
  const payments = await paidIn(ctx, receipts, args.release ? "ContributorReleased" : "HolderClaimed");
  const recipient = to ?? who;
  output(
    args.json,
    {
      ...(many ? {} : { modelId: models[0].modelId }),
      account: who,
      to: recipient,
      as,
      payments,
      // One payment: its amount at the top level, as scripts read it.
      ...(payments.length === 1 ? { amount: payments[0].amount, formatted: payments[0].formatted } : {}),
    },
    () => payments.map((p) => `paid ${p.formatted} of model #${p.modelId} to ${recipient} as ${as}`).join("\n"),
  );
});
