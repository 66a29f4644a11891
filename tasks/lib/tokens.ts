/**
 * A model's payment tokens as the revenue tasks read them: `--token` (ETH by default, or an ERC-20 by address),
 * every token the vault lists for a model when no `--token` is given, and amounts for `--json` as raw smallest-unit
 * strings next to the formatted "12.5 USDC".
 */
import { ZeroAddress } from "ethers";

import { address, TaskInputError } from "./cli.js";
import type { Context } from "./context.js";
import { formatAmount, tokenInfo, type TokenInfo } from "./units.js";

/**
 * `--token` (or `--<option>`): empty, "ETH" or the zero address is ETH; otherwise an address with code on this
 * chain, with its symbol and decimals.
 */
export async function tokenArg(ctx: Context, value: string, option = "token"): Promise<TokenInfo> {
  if (value === "" || value.toUpperCase() === "ETH") return tokenInfo(ctx, ZeroAddress);
  const token = address(option, value);
  if (token !== ZeroAddress && (await ctx.connection.ethers.provider.getCode(token)) === "0x") {
    throw new TaskInputError(`--${option}: ${token} has no code on this chain; expected an ERC-20 token`);
  }
  return tokenInfo(ctx, token);
}

/** The tokens the vault lists for a model, with whether each is accepted for new revenue now. */
export async function listedTokens(ctx: Context, modelId: bigint): Promise<(TokenInfo & { allowed: boolean })[]> {
  const [tokens, allowed] = await ctx.vault.paymentTokensOf(modelId);
  return Promise.all(tokens.map(async (t, i) => ({ ...(await tokenInfo(ctx, t)), allowed: allowed[i] })));
}

/** The tokens the model accepts as revenue now. */
export async function acceptedTokens(ctx: Context, modelId: bigint): Promise<TokenInfo[]> {
  return (await listedTokens(ctx, modelId)).filter((t) => t.allowed);
}

/** Whether the model accepts `token` as revenue now. */
export async function accepts(ctx: Context, modelId: bigint, token: string): Promise<boolean> {
  const [tokens, allowed] = await ctx.vault.paymentTokensOf(modelId);
  return tokens.some((t, i) => t === token && allowed[i]);
}

/** "ETH, USDC", or "none yet". */
export function symbols(tokens: TokenInfo[]): string {
  return tokens.length === 0 ? "none yet" : tokens.map((t) => t.symbol).join(", ");
}

/**
 * The tokens a revenue task works on: `--token` alone when given (one the model lists, or one it has received
 * revenue in before it was taken off the list), else every token the model lists.
 */
export async function modelTokens(ctx: Context, modelId: bigint, value: string): Promise<TokenInfo[]> {
  const listed = await listedTokens(ctx, modelId);
  if (value === "") return listed;
  const token = await tokenArg(ctx, value);
  if (listed.some((t) => t.address === token.address)) return [token];
  if ((await ctx.vault.totalDeposited(modelId, token.address)) !== 0n) return [token];
  throw new TaskInputError(
    `--token: model #${modelId} has no revenue in ${named(token)}; its payment tokens: ${symbols(listed)}`,
  );
}

/** A token as a refusal names it: "ETH", or "USDC (0x…)". */
export function named(token: TokenInfo): string {
  return token.address === ZeroAddress ? "ETH" : `${token.symbol} (${token.address})`;
}

/** What `account` holds of `token` (its info or its address; the zero address is ETH). */
export async function balanceOf(
  ctx: Pick<Context, "connection">,
  token: TokenInfo | string,
  account: string,
): Promise<bigint> {
  const address = typeof token === "string" ? token : token.address;
  if (address === ZeroAddress) return ctx.connection.ethers.provider.getBalance(account);
  return (await ctx.connection.ethers.getContractAt("TestToken", address)).balanceOf(account);
}

/** An amount for `--json`: the raw smallest-unit amount and the formatted one, with the token. */
export interface Money {
  token: string;
  symbol: string;
  decimals: number;
  amount: bigint;
  formatted: string;
}

export function money(amount: bigint, token: TokenInfo): Money {
  return {
    token: token.address,
    symbol: token.symbol,
    decimals: token.decimals,
    amount,
    formatted: formatAmount(amount, token),
  };
}
