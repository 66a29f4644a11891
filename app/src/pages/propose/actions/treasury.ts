/**
 * The treasury (tasks/lib/actions/treasury.ts): issue fractions, spend ETH, an ERC-20 or treasury fractions (amounts
 * in the asset's units), recover a token stuck in the royalty receiver. A spend the treasury cannot pay now is
 * flagged, as `ws propose` refuses it without `--force` (it may be paid before execution).
 */
import { erc20Abi, zeroAddress, type Address } from "viem";
import { getBalance } from "wagmi/actions";

import {
  issueFractions,
  recoverToken,
  spendErc20,
  spendEth,
  spendFractions,
} from "../../../../../governance/proposals.ts";
import { modelSharesAbi, modelTimelockAbi, revenueVaultAbi } from "../../../generated.ts";
import { field, valueOf, type ActionSpec } from "../action.ts";
import { accepts, handle, read, tokenUnits, type ProposeContext } from "../chain.ts";
import { address, amount, bad, uint } from "../fields.ts";
import type { ModelShares, ModelTimelock } from "../../../../../types/ethers-contracts/index.ts";
import { tokenField } from "./offers.ts";

function shares(ctx: ProposeContext): ModelShares {
  return handle<ModelShares>(modelSharesAbi, ctx.deployment.shares);
}

function shortfall(ctx: ProposeContext, has: bigint, sends: bigint, what: string, warn: (m: string) => void) {
  if (has < sends) {
    warn(
      `the treasury of model #${ctx.modelId} holds ${has} ${what} now and this proposal sends ${sends}; it must receive the rest before the proposal is executed`,
    );
  }
}

const TO = { name: "to", label: "Recipient", help: "Who receives it." };

export const TREASURY_ACTIONS: ActionSpec[] = [
  {
    id: "spend-eth",
    label: "Spend ETH from the treasury",
    group: "Treasury",
    fields: [TO, { name: "amount", label: "Amount (ETH)", help: "Such as 0.5." }],
    async build(ctx, values, description, warn) {
      const to = address(field(this.fields, "to"), valueOf(this.fields, values, "to", "an address"));
      const eth = await tokenUnits(ctx, zeroAddress);
      const wei = amount(field(this.fields, "amount"), valueOf(this.fields, values, "amount", "an amount"), eth);
      const { value } = await getBalance(ctx.wagmi, { address: ctx.model.timelock, chainId: ctx.chainId });
      shortfall(ctx, value, wei, "wei", warn);
      return spendEth({ to, amount: wei, description });
    },
  },
  {
    id: "spend-erc20",
    label: "Spend an ERC-20 from the treasury",
    group: "Treasury",
    fields: [
      { name: "token", label: "Token", help: "The ERC-20's address." },
      TO,
      { name: "amount", label: "Amount", help: "In the token's units." },
    ],
    async build(ctx, values, description, warn) {
      const info = await tokenField(ctx, this.fields, values, "token", false);
      const to = address(field(this.fields, "to"), valueOf(this.fields, values, "to", "an address"));
      const units = amount(field(this.fields, "amount"), valueOf(this.fields, values, "amount", "an amount"), info);
      const has = await read<bigint>(ctx, info.address as Address, erc20Abi, "balanceOf", [ctx.model.timelock]);
      shortfall(ctx, has, units, `smallest units of ${info.symbol}`, warn);
      return spendErc20({ token: handle(erc20Abi, info.address), to, amount: units, description });
    },
  },
  {
    id: "spend-fractions",
    label: "Send treasury fractions",
    group: "Treasury",
    fields: [TO, { name: "amount", label: "Fractions", help: "A whole number." }],
    async build(ctx, values, description, warn) {
      const to = address(field(this.fields, "to"), valueOf(this.fields, values, "to", "an address"));
      const n = uint(field(this.fields, "amount"), valueOf(this.fields, values, "amount", "a number of fractions"));
      const has = await read<bigint>(ctx, ctx.deployment.shares, modelSharesAbi, "balanceOf", [
        ctx.model.timelock,
        ctx.modelId,
      ]);
      shortfall(ctx, has, n, "fractions", warn);
      return spendFractions({
        shares: shares(ctx),
        timelock: handle<ModelTimelock>(modelTimelockAbi, ctx.model.timelock),
        modelId: ctx.modelId,
        to,
        amount: n,
        description,
      });
    },
  },
  {
    id: "issue-fractions",
    label: "Issue new fractions",
    group: "Treasury",
    fields: [TO, { name: "amount", label: "Fractions", help: "A whole number of new fractions." }],
    async build(ctx, values, description) {
      const f = field(this.fields, "amount");
      const n = uint(f, valueOf(this.fields, values, "amount", "a number of fractions"));
      if (n === 0n) bad(f, "expected at least 1 fraction, got 0");
      const to = address(field(this.fields, "to"), valueOf(this.fields, values, "to", "an address"));
      return issueFractions({ shares: shares(ctx), modelId: ctx.modelId, to, amount: n, description });
    },
  },
  {
    id: "recover-token",
    label: "Recover a stuck token",
    group: "Treasury",
    fields: [
      { name: "token", label: "Token", help: "A token the model does not accept, stuck in its royalty receiver." },
    ],
    async build(ctx, values, description, warn) {
      const info = await tokenField(ctx, this.fields, values, "token", false);
      if (await accepts(ctx, info.address as Address)) {
        bad(
          field(this.fields, "token"),
          `model #${ctx.modelId} accepts ${info.address} as revenue; only a token it does not accept can be recovered`,
        );
      }
      const receiver = await read<Address>(ctx, ctx.deployment.vault, revenueVaultAbi, "royaltyReceiverOf", [
        ctx.modelId,
      ]);
      const held = await read<bigint>(ctx, info.address as Address, erc20Abi, "balanceOf", [receiver]);
      if (held === 0n) {
        warn(
          `the royalty receiver of model #${ctx.modelId} (${receiver}) holds no ${info.symbol}, so the recovery would fail unless some arrives first`,
        );
      }
      return recoverToken({
        vault: handle(revenueVaultAbi, ctx.deployment.vault),
        modelId: ctx.modelId,
        token: info.address,
        description,
      });
    },
  },
];
