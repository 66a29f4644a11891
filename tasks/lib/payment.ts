/**
 * Paying a contract in ETH or an ERC-20 (a deposit, a licence purchase or renewal): the payer's balance is checked
 * first, ETH goes with the call, and an ERC-20 is approved for exactly the amount when the allowance is short. The
 * paid call is simulated before that approval, so a call the contract would refuse leaves no approval mined; with
 * `--safe` the approval and the call become one batch.
 */
import { ZeroAddress, type BaseContract, type ContractTransactionReceipt } from "ethers";

import { TaskInputError } from "./cli.js";
import type { Context } from "./context.js";
import { send, simulate } from "./send.js";
import { balanceOf } from "./tokens.js";
import { formatAmount, type TokenInfo } from "./units.js";

export interface PaidCall {
  contract: BaseContract;
  method: string;
  args: unknown[];
  /** The argument a refusal of the call names. */
  argument: string;
  /** The argument a short balance names (`amount` for a deposit, `signer` for a purchase). */
  funds: string;
}

/** Pays `amount` of `token` to `call` (its contract pulls an ERC-20 with transferFrom). */
export async function pay(
  ctx: Context,
  token: TokenInfo,
  amount: bigint,
  call: PaidCall,
): Promise<ContractTransactionReceipt | null> {
  const payer = ctx.safe ?? ctx.signer.address;
  const balance = await balanceOf(ctx, token, payer);
  if (balance < amount) {
    throw new TaskInputError(
      `--${call.funds}: ${payer} holds ${formatAmount(balance, token)}; this needs ${formatAmount(amount, token)}`,
    );
  }
  if (token.address === ZeroAddress) {
    return send(ctx, call.contract, call.method, call.args, { argument: call.argument, value: amount });
  }
  const erc20 = await ctx.connection.ethers.getContractAt("TestToken", token.address, ctx.signer);
  const spender = await call.contract.getAddress();
  if (amount === 0n || (await erc20.allowance(payer, spender)) >= amount) {
    return send(ctx, call.contract, call.method, call.args, { argument: call.argument });
  }
  // Everything but the missing allowance must pass before an approval is sent.
  const refusal = await simulate(ctx, call.contract, call.method, call.args);
  if (refusal !== null && !/allowance/i.test(refusal)) {
    throw new TaskInputError(`--${call.argument}: refused by the contract: ${refusal}`);
  }
  await send(ctx, erc20, "approve", [spender, amount], { argument: call.argument, more: true });
  return send(ctx, call.contract, call.method, call.args, { argument: call.argument, afterApproval: true });
}
