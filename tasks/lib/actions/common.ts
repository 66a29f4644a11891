/**
 * What every `ws propose` action shares: its arguments, the builder signature, and checks of the tokens an action
 * names (a contract on this chain, accepted as the model's revenue or not).
 */
import { ZeroAddress } from "ethers";

import type { Proposal } from "../../../governance/index.js";
import type { Model } from "../../../sdk/index.js";
import { TaskInputError } from "../cli.js";
import type { CommonArgs, Context } from "../context.js";
import { formatDuration, tokenInfo, type TokenInfo } from "../units.js";

export interface ProposeArgs extends CommonArgs {
  modelId: string;
  action: string;
  to: string;
  amount: string;
  offerId: string;
  price: string;
  contributorsBps: string;
  holdersBps: string;
  credits: string;
  days: string;
  cap: string;
  commercialUse: string;
  transferable: boolean;
  derivatives: boolean;
  termsUri: string;
  termsFile: string;
  termsHash: string;
  contributors: string;
  uri: string;
  file: string;
  contentHash: string;
  token: string;
  setting: string;
  description: string;
}

/** Builds one action's proposal from the task's arguments, refusing bad ones in one line. */
export type Build = (ctx: Context, m: Model, args: ProposeArgs) => Promise<Proposal>;

/** `--<option>`'s token: ETH for the zero address, otherwise a contract on this chain, with its symbol and decimals. */
export async function token(ctx: Context, option: string, address: string): Promise<TokenInfo> {
  if (address !== ZeroAddress && (await ctx.connection.ethers.provider.getCode(address)) === "0x") {
    throw new TaskInputError(`--${option}: ${address} has no code on this chain; expected an ERC-20 token`);
  }
  return tokenInfo(ctx, address);
}

/** Whether the model accepts `token` as revenue now. */
export async function accepts(ctx: Context, modelId: bigint, token: string): Promise<boolean> {
  const [tokens, allowed] = await ctx.vault.paymentTokensOf(modelId);
  return tokens.some((t, i) => t === token && allowed[i]);
}

/** "ETH", or "USDC (0x…)". */
export function tokenText(info: TokenInfo): string {
  return info.address === ZeroAddress ? "ETH" : `${info.symbol} (${info.address})`;
}

/** "30 minutes (1800 s)", or "45 s" when the seconds say it all. */
export function durationText(seconds: bigint): string {
  const text = formatDuration(seconds);
  return text === `${seconds} s` ? text : `${text} (${seconds} s)`;
}
