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
  /**
   * The call spends an allowance approved just before in the same task. With `--safe` that approval only sits in
   * the batch, so a simulation refused for want of allowance is expected (the caller simulated the rest first).
   */
  afterApproval?: boolean;
}

/** What sending needs of the context: tasks without a deployment (`ws test-token`, `ws upgrade`) build just this. */
export type Sender = Pick<Context, "connection" | "chainId" | "signer" | "errors" | "safe" | "batch">;

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * Simulates `contract.method(...args)` as the sender, then sends it and waits for its receipt. Returns null only
 * when the transaction was added to a Safe batch with `more` (the batch is printed once the last one is added).
 */
export async function send(
  ctx: Sender,
  contract: BaseContract,
  method: string,
  args: unknown[],
  options: SendOptions,
): Promise<ContractTransactionReceipt | null> {
  const tx = await populate(contract, method, args, options.value ?? 0n);
  const refusal = await refusalOf(ctx, tx, options.value ?? 0n);
  const expected = options.afterApproval === true && ctx.safe !== undefined && /allowance/i.test(refusal ?? "");
  if (refusal !== null && !expected) {
    throw new TaskInputError(`--${options.argument}: refused by the contract: ${refusal}`);
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

/** One call of a task that sends several (a claim or release per token). */
export interface Call {
  contract: BaseContract;
  method: string;
  args: unknown[];
  value?: bigint;
}

/**
 * Sends several independent calls, all or none: every call is simulated before any is sent, so a refusal of the
 * second leaves the first unmined. Then they are sent in order (each simulated again by `send`, as the chain may
 * have moved); with `--safe` they all go in one batch. The calls must not depend on each other (each is simulated
 * on today's state, not after the ones before it).
 */
export async function sendAll(
  ctx: Sender,
  calls: Call[],
  options: Pick<SendOptions, "argument">,
): Promise<(ContractTransactionReceipt | null)[]> {
  for (const c of calls) {
    const refusal = await simulate(ctx, c.contract, c.method, c.args, c.value ?? 0n);
    if (refusal !== null) throw new TaskInputError(`--${options.argument}: refused by the contract: ${refusal}`);
  }
  const receipts = [];
  for (const [i, c] of calls.entries()) {
    receipts.push(
      await send(ctx, c.contract, c.method, c.args, { ...options, value: c.value, more: i < calls.length - 1 }),
    );
  }
  return receipts;
}

/**
 * Simulates `contract.method(...args)` as the sender (the signer, or the Safe): the contract's refusal in plain
 * words, or null if it would pass. A task that must send something first (an ERC-20 approval) checks with this that
 * the call it pays for can pass, so a refused purchase leaves no approval mined.
 */
export async function simulate(
  ctx: Sender,
  contract: BaseContract,
  method: string,
  args: unknown[],
  value = 0n,
): Promise<string | null> {
  return refusalOf(ctx, await populate(contract, method, args, value), value);
}

/** Runs a populated transaction as the sender with `eth_call`: the refusal in plain words, or null. */
async function refusalOf(ctx: Sender, tx: { to: string; data: string }, value: bigint): Promise<string | null> {
  try {
    await ctx.connection.ethers.provider.call({ ...tx, from: ctx.safe ?? ctx.signer.address, value });
    return null;
  } catch (error) {
    return explain(ctx.errors, error);
  }
}

function populate(contract: BaseContract, method: string, args: unknown[], value: bigint) {
  const fn = contract.getFunction(method) as unknown as Method & {
    populateTransaction(...a: unknown[]): Promise<{ to: string; data: string }>;
  };
  return fn.populateTransaction(...args, { value });
}

/** The batch in Safe Transaction Builder's JSON format (version 1.0). */
function safeBatch(ctx: Sender): object {
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
