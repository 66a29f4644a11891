/** Amounts in a token's own units: ETH amounts as decimals ("0.25"), ERC-20 amounts with the token's decimals. */
import { parseUnits } from "ethers";

import { ether, TaskInputError } from "./cli.js";
import type { Context } from "./context.js";

export const ETH = "0x0000000000000000000000000000000000000000";

export async function price(ctx: Context, name: string, value: string, token: string): Promise<bigint> {
  if (token === ETH) return ether(name, value);
  const erc20 = await ctx.connection.ethers.getContractAt("TestToken", token);
  const decimals = Number(await erc20.decimals());
  if (!new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`).test(value)) {
    throw new TaskInputError(`--${name}: expected an amount with at most ${decimals} decimals, got "${value}"`);
  }
  return parseUnits(value, decimals);
}

/** The `value` to send for a payment of `amount` in `token`; for an ERC-20, approves the licence manager first. */
export async function approvePayment(ctx: Context, token: string, amount: bigint): Promise<bigint> {
  if (token === ETH) return amount;
  const erc20 = await ctx.connection.ethers.getContractAt("TestToken", token, ctx.signer);
  await (await erc20.approve(await ctx.licenses.getAddress(), amount)).wait();
  return 0n;
}
