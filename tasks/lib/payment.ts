/**
 * Paying a contract in ETH or an ERC-20 (a deposit, a licence purchase or renewal): the payer's balance is checked
 * first, ETH goes with the call, and an ERC-20 is approved for exactly the amount when the allowance is short. The
 * paid call is simulated before that approval, so a call the contract would refuse leaves no approval mined; with
 * `--safe` the approval and the call become one batch.
 *
 * Simulating before the approval: the call is run by `eth_call` with a state override that gives the payer the
 * allowance it is about to approve, so every refusal (including one raised after transferFrom, such as
 * LicenseManagerUnderpaid for a fee-on-transfer token) is caught with nothing mined. Chosen over snapshotting
 * (evm_snapshot, approve, simulate, evm_revert) because that works on local chains only, while state overrides are
 * served by Hardhat's simulated chain and by the usual real-network nodes (geth, Erigon, Reth, Anvil and the RPC
 * providers built on them). The limit: the allowance's storage slot is not known for every token. It is computed
 * for OpenZeppelin's ERC-20 layouts (v5 plain storage, and the ERC-7201 namespace of ERC20Upgradeable), and used
 * only after an `allowance()` call under the same override reads back the amount; a token laid out otherwise (or a
 * node without overrides) falls back to a plain simulation that only tolerates the missing-allowance refusal, so a
 * refusal raised after the transfer is then met only once the approval is mined.
 */
import { AbiCoder, keccak256, toBeHex, ZeroAddress, type BaseContract, type ContractTransactionReceipt } from "ethers";

import { TaskInputError } from "./cli.js";
import type { Context } from "./context.js";
import { explain } from "./errors.js";
import { send, simulate } from "./send.js";
import { balanceOf, money, type Money } from "./tokens.js";
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

/** A payment made: the paid call's receipt, and the ERC-20 approval sent before it, if one was. */
export interface Payment {
  receipt: ContractTransactionReceipt | null;
  /** The allowance approved for exactly the amount (to `spender`), only when an approval transaction was sent. */
  approved?: Money & { spender: string };
}

/** Pays `amount` of `token` to `call` (its contract pulls an ERC-20 with transferFrom). */
export async function pay(ctx: Context, token: TokenInfo, amount: bigint, call: PaidCall): Promise<Payment> {
  const payer = ctx.safe ?? ctx.signer.address;
  const balance = await balanceOf(ctx, token, payer);
  if (balance < amount) {
    throw new TaskInputError(
      `--${call.funds}: ${payer} holds ${formatAmount(balance, token)}; this needs ${formatAmount(amount, token)}`,
    );
  }
  if (token.address === ZeroAddress) {
    return {
      receipt: await send(ctx, call.contract, call.method, call.args, { argument: call.argument, value: amount }),
    };
  }
  const erc20 = await ctx.connection.ethers.getContractAt("TestToken", token.address, ctx.signer);
  const spender = await call.contract.getAddress();
  if (amount === 0n || (await erc20.allowance(payer, spender)) >= amount) {
    return { receipt: await send(ctx, call.contract, call.method, call.args, { argument: call.argument }) };
  }
  // The call must pass with the allowance in place before the approval is sent (see the comment at the top).
  const override = await allowanceOverride(ctx, token.address, payer, spender, amount);
  const refusal =
    override === undefined
      ? await simulate(ctx, call.contract, call.method, call.args)
      : await simulateWith(ctx, call, payer, override);
  if (refusal !== null && (override !== undefined || !/allowance/i.test(refusal))) {
    throw new TaskInputError(`--${call.argument}: refused by the contract: ${refusal}`);
  }
  await send(ctx, erc20, "approve", [spender, amount], { argument: call.argument, more: true });
  const receipt = await send(ctx, call.contract, call.method, call.args, {
    argument: call.argument,
    afterApproval: true,
  });
  // With --safe the approval only sits in the batch (printed when the paid call is added): nothing was sent.
  return { receipt, ...(ctx.safe === undefined ? { approved: { spender, ...money(amount, token) } } : {}) };
}

type StateOverride = Record<string, { stateDiff: Record<string, string> }>;

/** Where OpenZeppelin's ERC-20s keep `_allowances`: slot 1 (v5), and the ERC-7201 namespace + 1 (upgradeable). */
const ALLOWANCE_MAPPINGS = [1n, 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00n + 1n];

/**
 * An `eth_call` state override that sets `owner`'s allowance to `spender` to `amount`, checked by reading the
 * allowance back under it; undefined when no known layout fits the token or the node ignores overrides.
 */
async function allowanceOverride(
  ctx: Context,
  token: string,
  owner: string,
  spender: string,
  amount: bigint,
): Promise<StateOverride | undefined> {
  const coder = AbiCoder.defaultAbiCoder();
  const erc20 = await ctx.connection.ethers.getContractAt("TestToken", token);
  const data = erc20.interface.encodeFunctionData("allowance", [owner, spender]);
  for (const mapping of ALLOWANCE_MAPPINGS) {
    const inner = keccak256(coder.encode(["address", "uint256"], [owner, mapping]));
    const slot = keccak256(coder.encode(["address", "bytes32"], [spender, inner]));
    const override = { [token]: { stateDiff: { [slot]: toBeHex(amount, 32) } } };
    try {
      const result = await ctx.connection.ethers.provider.send("eth_call", [{ to: token, data }, "latest", override]);
      if (BigInt(result as string) === amount) return override;
    } catch {
      return undefined; // the node refuses state overrides
    }
  }
  return undefined;
}

/** The paid call simulated as `from` under `override`: the contract's refusal in plain words, or null. */
async function simulateWith(
  ctx: Context,
  call: PaidCall,
  from: string,
  override: StateOverride,
): Promise<string | null> {
  const tx = {
    from,
    to: await call.contract.getAddress(),
    data: call.contract.interface.encodeFunctionData(call.method, call.args),
  };
  try {
    await ctx.connection.ethers.provider.send("eth_call", [tx, "latest", override]);
    return null;
  } catch (error) {
    return explain(ctx.errors, error);
  }
}

/**
 * The approval a payment sent, for the task's output: `{ approved }` in JSON and a line before the rest of the text
 * ("approved 120 USDC to the licence manager (exactly the price)\n"), or nothing when no approval was sent.
 */
export function approvalText(approved: Payment["approved"], to: string, what: "price" | "amount"): string {
  return approved === undefined ? "" : `approved ${approved.formatted} to ${to} (exactly the ${what})\n`;
}
