/**
 * Every transaction a task sends goes through `send`: it is simulated first as the account that will send it, and
 * any refusal becomes one line naming the argument to fix and the contract's reason in plain words, with nothing
 * sent. With `--safe ADDRESS` the transactions are simulated as the Safe and printed as a Safe Transaction Builder
 * batch instead, for labs whose fractions sit in a Safe (its owners sign it in Safe{Wallet}).
 */
import type { BaseContract, ContractTransactionReceipt } from "ethers";

import { SafeBatch, TaskInputError } from "./cli.js";
import type { Context } from "./context.js";
import { explain } from "./errors.js";

export interface SendOptions {
  /** The argument a refusal names (`proposal-id`, `amount`...). */
  argument: string;
  /** ETH sent with the call. */
  value?: bigint;
  /** With `--safe`: more transactions follow in the same batch (an ERC-20 approval before a purchase). */
  more?: boolean;
}

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * Simulates `contract.method(...args)` as the sender, then sends it and waits for its receipt. Returns null only
 * when the transaction was added to a Safe batch with `more` (the batch is printed once the last one is added).
 */
export async function send(
  ctx: Context,
  contract: BaseContract,
  method: string,
  args: unknown[],
  options: SendOptions,
): Promise<ContractTransactionReceipt | null> {
  const fn = contract.getFunction(method) as unknown as Method & {
    populateTransaction(...a: unknown[]): Promise<{ to: string; data: string }>;
  };
  const tx = await fn.populateTransaction(...args, { value: options.value ?? 0n });
  const from = ctx.safe ?? ctx.signer.address;
  const { provider } = ctx.connection.ethers;
  try {
    await provider.call({ ...tx, from, value: options.value ?? 0n });
  } catch (error) {
    throw new TaskInputError(`--${options.argument}: refused by the contract: ${explain(ctx.errors, error)}`);
  }
  if (ctx.safe !== undefined) {
    ctx.batch.push({ to: tx.to, value: String(options.value ?? 0n), data: tx.data, method });
    if (options.more === true) return null;
    throw new SafeBatch(safeBatch(ctx));
  }
  let receipt: ContractTransactionReceipt | null;
  try {
    const response = await ctx.signer.sendTransaction({ ...tx, value: options.value ?? 0n });
    receipt = (await response.wait()) as ContractTransactionReceipt | null;
  } catch (error) {
    // Simulated fine, refused when sent: gas, a nonce, or the chain moved in between.
    throw new TaskInputError(`--signer: the transaction was not mined: ${explain(ctx.errors, error)}`);
  }
  if (receipt === null) throw new TaskInputError("--signer: the transaction was dropped before it was mined");
  return receipt;
}

/** The batch in Safe Transaction Builder's JSON format (version 1.0). */
function safeBatch(ctx: Context): object {
  return {
    version: "1.0",
    chainId: String(ctx.chainId),
    createdAt: Date.now(),
    meta: {
      name: "Weightshare",
      description: ctx.batch.map((t) => t.method).join(", "),
      createdFromSafeAddress: ctx.safe,
    },
    transactions: ctx.batch.map((t) => ({
      to: t.to,
      value: t.value,
      data: t.data,
      contractMethod: null,
      contractInputsValues: null,
    })),
  };
}
