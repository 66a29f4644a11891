/**
 * `ws transfer --model-id N --to ADDRESS --amount K`: sends K fractions of model N (ERC-1155 safeTransferFrom).
 * `ws transfer --to ADDRESS --batch 1:100,2:50`: fractions of several models in one transaction
 * (safeBatchTransferFrom), MODEL:AMOUNT pairs, each model once.
 *
 * Votes follow the fractions: they leave the sender's delegate and go to the receiver's delegate (a receiver that
 * never chose one delegates to itself from its first fractions on; one that delegated to the zero address counts
 * them for nobody; the model's treasury holds fractions without votes). Refused before sending: more than the sender
 * holds, an unknown model, and (simulated) a receiver contract that cannot take ERC-1155 tokens. Transferring to
 * yourself or 0 fractions moves nothing: refused unless `--force`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { Model } from "../sdk/index.js";
import { action, address, confirm, output, TaskInputError, uint } from "./lib/cli.js";
import { context, model, type CommonArgs, type Context } from "./lib/context.js";
import { fractionInfo } from "./lib/model-info.js";
import { send } from "./lib/send.js";
import { formatAmount, parseAmount, type TokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  to: string;
  amount: string;
  batch: string;
}

/** One model's part of the transfer; `argument` is the option a refusal about it names. */
interface Entry {
  m: Model;
  fractions: TokenInfo;
  amount: bigint;
  argument: "amount" | "batch";
  fromDelegate: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.to === "") throw new TaskInputError("--to: expected the address that receives the fractions");
  const to = address("to", args.to);
  if (args.batch !== "" && (args.modelId !== "" || args.amount !== "")) {
    throw new TaskInputError("--batch: give either --model-id and --amount, or --batch, not both");
  }
  if (args.batch === "" && args.modelId === "") {
    throw new TaskInputError(
      "--model-id: expected the model whose fractions to transfer (or --batch MODEL:AMOUNT,...)",
    );
  }
  if (args.batch === "" && args.amount === "") {
    throw new TaskInputError("--amount: expected how many fractions to transfer");
  }
  const ctx = await context(hre, args);
  const from = ctx.safe ?? ctx.signer.address;
  const entries = args.batch === "" ? [await single(ctx, args.modelId, args.amount)] : await batch(ctx, args.batch);
  for (const e of entries) {
    const balance = await ctx.shares.balanceOf(from, e.m.modelId);
    if (balance < e.amount) {
      throw new TaskInputError(
        `--${e.argument}: ${from} holds ${formatAmount(balance, e.fractions)} (fractions of model #${e.m.modelId}); this transfer needs ${formatAmount(e.amount, e.fractions)}`,
      );
    }
    e.fromDelegate = await e.m.votes.delegates(from);
  }
  if (to === from) confirm(args, "to", `${to} is the sender; transferring fractions to yourself moves nothing`);
  for (const e of entries) {
    if (e.amount === 0n) {
      confirm(args, e.argument, `transferring 0 fractions of model #${e.m.modelId} moves nothing`);
    }
  }
  const receipt =
    entries.length === 1
      ? await send(ctx, ctx.shares, "safeTransferFrom", [from, to, entries[0].m.modelId, entries[0].amount, "0x"], {
          argument: "to",
        })
      : await send(
          ctx,
          ctx.shares,
          "safeBatchTransferFrom",
          [from, to, entries.map((e) => e.m.modelId), entries.map((e) => e.amount), "0x"],
          { argument: "to" },
        );
  const transfers = await Promise.all(
    entries.map(async (e) => {
      const toDelegate = await e.m.votes.delegates(to);
      return {
        modelId: e.m.modelId,
        symbol: e.fractions.symbol,
        amount: e.amount,
        amountText: formatAmount(e.amount, e.fractions),
        fromDelegate: e.fromDelegate,
        toDelegate,
        votes: await votesNote(e, to, toDelegate),
      };
    }),
  );
  output(args.json, { from, to, transactionHash: receipt?.hash, transfers }, () =>
    [
      `transferred from ${from} to ${to}:`,
      ...transfers.map((t) => `  ${t.amountText} (model #${t.modelId}): ${t.votes}`),
    ].join("\n"),
  );
});

async function single(ctx: Context, modelId: string, amount: string): Promise<Entry> {
  const m = await model(ctx, modelId);
  const fractions = await fractionInfo(m);
  return { m, fractions, amount: parseAmount("amount", amount, fractions), argument: "amount", fromDelegate: "" };
}

/** `--batch 1:100,2:50`: existing models, each once, whole amounts. */
async function batch(ctx: Context, value: string): Promise<Entry[]> {
  const count = await ctx.registry.modelCount();
  const entries: Entry[] = [];
  for (const pair of value.split(",")) {
    const match = /^\s*([^:\s]+)\s*:\s*([^:\s]+)\s*$/.exec(pair);
    if (match === null) {
      throw new TaskInputError(`--batch: expected MODEL:AMOUNT pairs such as 1:100,2:50, got "${pair}"`);
    }
    const id = uint("batch", match[1]);
    if (id === 0n || id > count) {
      throw new TaskInputError(`--batch: expected existing model ids (1..${count}), got ${match[1]}`);
    }
    if (entries.some((e) => e.m.modelId === id)) {
      throw new TaskInputError(`--batch: model #${id} appears twice; give each model once`);
    }
    const m = await model(ctx, String(id));
    const fractions = await fractionInfo(m);
    entries.push({
      m,
      fractions,
      amount: parseAmount("batch", match[2], fractions),
      argument: "batch",
      fromDelegate: "",
    });
  }
  return entries;
}

/** Where the fractions' votes went, read from the model's votes after the transfer. */
async function votesNote(e: Entry, to: string, toDelegate: string): Promise<string> {
  const zero = /^0x0{40}$/;
  const moved = `${e.amount} vote${e.amount === 1n ? "" : "s"}`;
  const sender = zero.test(e.fromDelegate) ? "" : `${e.fromDelegate} (the sender's delegate)`;
  if (to === (await e.m.votes.treasury())) {
    return `the treasury's fractions carry no votes: ${moved} left the votable supply${sender === "" ? "" : `, taken from ${sender}`}`;
  }
  if (zero.test(toDelegate)) {
    return `${to} delegates to the zero address (opted out), so these fractions count no votes until it delegates`;
  }
  const self = toDelegate === to ? " (the receiver itself)" : "";
  return `votes follow the fractions: ${moved} went${sender === "" ? "" : ` from ${sender}`} to ${toDelegate}, the receiver's delegate${self}`;
}
