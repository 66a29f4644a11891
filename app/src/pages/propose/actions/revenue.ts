/**
 * The model's revenue (tasks/lib/actions/revenue.ts): the split, the contributors, the payment tokens it accepts and
 * the holders' unlock window.
 */
import { zeroAddress } from "viem";

import {
  setContributors,
  setPaymentToken,
  setRevenueSplit,
  setUnlockWindow,
} from "../../../../../governance/proposals.ts";
import { formatDuration } from "../../../../../sdk/format.ts";
import { revenueVaultAbi } from "../../../generated.ts";
import { field, valueOf, type ActionSpec, type FieldSpec, type Values } from "../action.ts";
import { handle, paymentTokens, read, type ProposeContext } from "../chain.ts";
import { address, bad, duration, uint } from "../fields.ts";
import type { RevenueVault } from "../../../../../types/ethers-contracts/index.ts";
import { tokenField } from "./offers.ts";

function vault(ctx: ProposeContext): RevenueVault {
  return handle<RevenueVault>(revenueVaultAbi, ctx.deployment.vault);
}

const TOKEN: FieldSpec = { name: "token", label: "Token", help: "The ERC-20's address." };

async function paymentToken(
  ctx: ProposeContext,
  fields: FieldSpec[],
  values: Values,
  allowed: boolean,
  eth: boolean,
  description: string,
  warn: (m: string) => void,
) {
  const info = eth
    ? { address: zeroAddress, symbol: "ETH", decimals: 18 }
    : await tokenField(ctx, fields, values, "token", false);
  const listed = await paymentTokens(ctx);
  const accepted = listed.some((t) => t.allowed && t.token.toLowerCase() === info.address.toLowerCase());
  if (accepted === allowed) {
    warn(
      `model #${ctx.modelId} ${allowed ? "already accepts" : "does not accept"} ${info.symbol} as revenue, so this proposal would change nothing`,
    );
  }
  if (allowed) {
    const max = await read<bigint>(ctx, ctx.deployment.vault, revenueVaultAbi, "MAX_PAYMENT_TOKENS");
    const known = listed.some((t) => t.token.toLowerCase() === info.address.toLowerCase());
    if (!known && BigInt(listed.length) >= max) {
      const f = eth ? { name: "action", label: "Action" } : field(fields, "token");
      bad(
        f,
        `model #${ctx.modelId} already lists the most payment tokens it can (${max}: ${listed.map((t) => t.token).join(", ")})`,
      );
    }
  }
  return setPaymentToken({ vault: vault(ctx), modelId: ctx.modelId, token: info.address, allowed, description });
}

const CONTRIBUTORS_HELP = "One per line: ADDRESS:SHARES, such as 0xAbc…:3 (each address once, at least 1 share).";

export const REVENUE_ACTIONS: ActionSpec[] = [
  {
    id: "set-split",
    label: "Set the revenue split",
    group: "Revenue",
    fields: [
      { name: "contributorsBps", label: "Contributors (bps)", help: "Basis points: 2000 is 20%." },
      { name: "holdersBps", label: "Holders (bps)", help: "The treasury takes what is left of 10,000." },
    ],
    async build(ctx, values, description) {
      const fields = this.fields;
      const c = uint(
        field(fields, "contributorsBps"),
        valueOf(fields, values, "contributorsBps", "basis points"),
        10_000n,
      );
      const h = uint(field(fields, "holdersBps"), valueOf(fields, values, "holdersBps", "basis points"), 10_000n);
      if (c + h > 10_000n) {
        bad(field(fields, "holdersBps"), `contributors + holders must not exceed 10,000 bps, got ${c} + ${h}`);
      }
      return setRevenueSplit({
        vault: vault(ctx),
        modelId: ctx.modelId,
        contributorsBps: c,
        holdersBps: h,
        description,
      });
    },
  },
  {
    id: "set-contributors",
    label: "Set the contributors",
    group: "Revenue",
    fields: [{ name: "contributors", label: "Contributors", kind: "textarea", help: CONTRIBUTORS_HELP }],
    async build(ctx, values, description) {
      const f = field(this.fields, "contributors");
      const entries = (values.contributors ?? "")
        .split(/[,\n]/)
        .map((e) => e.trim())
        .filter((e) => e !== "");
      if (entries.length === 0) bad(f, "expected ADDRESS:SHARES, one per line");
      const max = await read<bigint>(ctx, ctx.deployment.vault, revenueVaultAbi, "MAX_CONTRIBUTORS");
      if (BigInt(entries.length) > max) bad(f, `expected at most ${max} contributors, got ${entries.length}`);
      const contributors = entries.map((entry, i) => {
        const [account, shares, ...rest] = entry.split(":");
        if (shares === undefined || rest.length > 0) bad(f, `entry ${i + 1} ("${entry}") is not ADDRESS:SHARES`);
        const c = { account: address(f, account), shares: uint(f, shares.trim()) };
        if (c.account === zeroAddress) bad(f, `entry ${i + 1} is the zero address`);
        if (c.shares === 0n) bad(f, `entry ${i + 1} (${c.account}) has 0 shares; expected at least 1`);
        return c;
      });
      contributors.forEach((c, i) => {
        const first = contributors.findIndex((o) => o.account === c.account);
        if (first !== i) {
          bad(f, `${c.account} appears twice (entries ${first + 1} and ${i + 1}); give each contributor once`);
        }
      });
      return setContributors({ vault: vault(ctx), modelId: ctx.modelId, contributors, description });
    },
  },
  {
    id: "allow-eth",
    label: "Accept ETH",
    group: "Revenue",
    fields: [],
    async build(ctx, values, description, warn) {
      return paymentToken(ctx, this.fields, values, true, true, description, warn);
    },
  },
  {
    id: "allow-token",
    label: "Accept a payment token",
    group: "Revenue",
    fields: [TOKEN],
    async build(ctx, values, description, warn) {
      return paymentToken(ctx, this.fields, values, true, false, description, warn);
    },
  },
  {
    id: "remove-token",
    label: "Stop accepting a payment token",
    group: "Revenue",
    fields: [{ ...TOKEN, help: "The ERC-20's address, or 0x0000000000000000000000000000000000000000 for ETH." }],
    async build(ctx, values, description, warn) {
      return paymentToken(ctx, this.fields, values, false, false, description, warn);
    },
  },
  {
    id: "set-unlock-window",
    label: "Set the holders' unlock window",
    group: "Revenue",
    fields: [
      { name: "days", label: "Unlock window", help: "How long each payment's holder cut takes to unlock: 7d, 12h." },
    ],
    async build(ctx, values, description) {
      const f = field(this.fields, "days");
      const seconds = duration(f, valueOf(this.fields, values, "days", "a duration such as 7d"), "d");
      const [min, max] = await Promise.all([
        read<bigint>(ctx, ctx.deployment.vault, revenueVaultAbi, "MIN_UNLOCK_WINDOW"),
        read<bigint>(ctx, ctx.deployment.vault, revenueVaultAbi, "MAX_UNLOCK_WINDOW"),
      ]);
      if (seconds < min || seconds > max) {
        bad(
          f,
          `expected an unlock window from ${formatDuration(min)} to ${formatDuration(max)}, got ${formatDuration(seconds)}`,
        );
      }
      return setUnlockWindow({ vault: vault(ctx), modelId: ctx.modelId, seconds, description });
    },
  },
];
