/**
 * Holder revenue still unlocking: the vault unlocks the holders' cut of each payment linearly over the model's
 * unlock window, so `claimable` grows with time. What an account may expect of it is its share of the votable
 * supply now (the treasury's fractions earn nothing), an estimate that holds while holdings do not change.
 */
import type { Model } from "../../sdk/index.js";
import type { Context } from "./context.js";

export interface Unlocking {
  /** Holder revenue of the model in this token still locked. */
  locked: bigint;
  /** When all of it will have unlocked (0 if nothing is locked). */
  unlockEnd: bigint;
  /** The model's unlock window, in seconds. */
  window: bigint;
}

export async function unlocking(ctx: Context, modelId: bigint, token: string): Promise<Unlocking> {
  const [locked, unlockEnd, window] = await ctx.vault.unlocking(modelId, token);
  return { locked, unlockEnd, window };
}

/** `account`'s share of `locked` at its current holding (its fractions over the votable supply). */
export async function shareOf(m: Model, account: string, locked: bigint): Promise<bigint> {
  const supply = await m.votes.votableSupply();
  return supply === 0n ? 0n : (locked * (await m.votes.balanceOf(account))) / supply;
}
