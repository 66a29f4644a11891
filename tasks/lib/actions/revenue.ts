/**
 * `ws propose` actions on the model's revenue: the split, the contributors, the payment tokens it accepts (ETH or
 * an ERC-20) and the holders' unlock window (a duration: `7d`, `12h`, a bare number of days).
 */
import { ZeroAddress } from "ethers";

import { setContributors, setPaymentToken, setRevenueSplit, setUnlockWindow } from "../../../governance/index.js";
import type { Model } from "../../../sdk/index.js";
import { address, confirm, TaskInputError, uint } from "../cli.js";
import type { Context } from "../context.js";
import { formatDuration, parseDuration } from "../units.js";
import { accepts, named, tokenArg } from "../tokens.js";
import { type Build, type ProposeArgs } from "./common.js";

async function paymentToken(ctx: Context, m: Model, args: ProposeArgs, tokenAddress: string, allowed: boolean) {
  const info = await tokenArg(ctx, tokenAddress);
  const accepted = await accepts(ctx, m.modelId, info.address);
  if (accepted === allowed) {
    confirm(
      args,
      "token",
      `model #${m.modelId} ${allowed ? "already accepts" : "does not accept"} ${named(info)} as revenue, so this proposal would change nothing`,
    );
  }
  if (allowed) {
    const [tokens, flags] = await ctx.vault.paymentTokensOf(m.modelId);
    const max = await ctx.vault.MAX_PAYMENT_TOKENS();
    if (!tokens.includes(info.address) && BigInt(tokens.length) >= max) {
      const listed = tokens.map((t, i) => `${t}${flags[i] ? "" : " (no longer accepted, still paying out)"}`);
      throw new TaskInputError(
        `--token: model #${m.modelId} already lists the most payment tokens it can (${max}: ${listed.join(", ")})`,
      );
    }
  }
  return setPaymentToken({
    vault: ctx.vault,
    modelId: m.modelId,
    token: info.address,
    allowed,
    description: args.description,
  });
}

/** `--token`, required. */
function tokenOption(args: ProposeArgs): string {
  if (args.token === "") throw new TaskInputError("--token: expected the ERC-20's address");
  return address("token", args.token);
}

export const REVENUE_ACTIONS: Record<string, Build> = {
  "set-split": async (ctx, m, args) => {
    const c = uint("contributors-bps", args.contributorsBps, 10_000n);
    const h = uint("holders-bps", args.holdersBps, 10_000n);
    if (c + h > 10_000n) {
      throw new TaskInputError(`--holders-bps: contributors + holders must not exceed 10,000 bps, got ${c} + ${h}`);
    }
    return setRevenueSplit({
      vault: ctx.vault,
      modelId: m.modelId,
      contributorsBps: c,
      holdersBps: h,
      description: args.description,
    });
  },

  "set-contributors": async (ctx, m, args) => {
    const entries = args.contributors.split(",").filter((c) => c.trim() !== "");
    if (entries.length === 0) throw new TaskInputError("--contributors: expected ADDRESS:SHARES[,ADDRESS:SHARES...]");
    const max = await ctx.vault.MAX_CONTRIBUTORS();
    if (BigInt(entries.length) > max) {
      throw new TaskInputError(`--contributors: expected at most ${max} contributors, got ${entries.length}`);
    }
    const contributors = entries.map((entry, i) => {
      const [account, shares, ...rest] = entry.trim().split(":");
      if (shares === undefined || rest.length > 0) {
        throw new TaskInputError(`--contributors: entry ${i + 1} ("${entry}") is not ADDRESS:SHARES`);
      }
      const c = { account: address("contributors", account), shares: uint("contributors", shares) };
      if (c.account === ZeroAddress) throw new TaskInputError(`--contributors: entry ${i + 1} is the zero address`);
      if (c.shares === 0n) {
        throw new TaskInputError(`--contributors: entry ${i + 1} (${c.account}) has 0 shares; expected at least 1`);
      }
      return c;
    });
    contributors.forEach((c, i) => {
      const first = contributors.findIndex((o) => o.account === c.account);
      if (first !== i) {
        throw new TaskInputError(
          `--contributors: ${c.account} appears twice (entries ${first + 1} and ${i + 1}); give each contributor once`,
        );
      }
    });
    return setContributors({ vault: ctx.vault, modelId: m.modelId, contributors, description: args.description });
  },

  "allow-eth": (ctx, m, args) => paymentToken(ctx, m, args, ZeroAddress, true),
  "allow-token": (ctx, m, args) => paymentToken(ctx, m, args, tokenOption(args), true),
  "remove-token": (ctx, m, args) => paymentToken(ctx, m, args, tokenOption(args), false),

  "set-unlock-window": async (ctx, m, args) => {
    const seconds = parseDuration("days", args.days, "d");
    const [min, max] = [await ctx.vault.MIN_UNLOCK_WINDOW(), await ctx.vault.MAX_UNLOCK_WINDOW()];
    if (seconds < min || seconds > max) {
      throw new TaskInputError(
        `--days: expected an unlock window from ${formatDuration(min)} to ${formatDuration(max)}, got ${formatDuration(seconds, true)}`,
      );
    }
    return setUnlockWindow({ vault: ctx.vault, modelId: m.modelId, seconds, description: args.description });
  },
};
