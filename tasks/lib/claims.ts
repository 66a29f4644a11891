/**
 * What `ws claim`, `ws release-treasury` and `ws collect-royalties` share: the models named by `--model-ids`,
 * holder revenue still unlocking (said instead of sending a claim that pays nothing), and what a transaction paid,
 * read from the vault's own events (holder revenue keeps unlocking until the block that pays it).
 */
import { getAddress, type ContractTransactionReceipt } from "ethers";

import type { Model } from "../../sdk/index.js";
import { TaskInputError, uint } from "./cli.js";
import { model, type Context } from "./context.js";
import { sendAll } from "./send.js";
import { money, type Money } from "./tokens.js";
import { formatAmount, timeText, tokenInfo, type TokenInfo } from "./units.js";
import { shareOf, unlocking } from "./unlocking.js";

/** `--model-ids 1,2,3`: existing models, each once. */
export async function modelsArg(ctx: Context, value: string): Promise<Model[]> {
  const count = await ctx.registry.modelCount();
  const ids: bigint[] = [];
  for (const part of value.split(",").map((p) => p.trim())) {
    const id = uint("model-ids", part);
    if (id === 0n || id > count) {
      throw new TaskInputError(`--model-ids: expected existing model ids (1..${count}), got ${part}`);
    }
    if (ids.includes(id)) throw new TaskInputError(`--model-ids: model #${id} is listed twice`);
    ids.push(id);
  }
  return Promise.all(ids.map((id) => model(ctx, String(id))));
}

/**
 * `account`'s holder revenue of `m` in each of `tokens` still unlocking, at its holding now: "about 0.05 ETH of its
 * holder revenue of model #1 still unlocking until 2026-…Z (1796…)", one part per token with some.
 */
export async function stillUnlocking(ctx: Context, m: Model, account: string, tokens: TokenInfo[]): Promise<string[]> {
  const parts: string[] = [];
  for (const token of tokens) {
    const { locked, unlockEnd } = await unlocking(ctx, m.modelId, token.address);
    const share = await shareOf(m, account, locked);
    if (share !== 0n) {
      parts.push(
        `about ${formatAmount(share, token)} of its holder revenue of model #${m.modelId} still unlocking until ${timeText(unlockEnd)}`,
      );
    }
  }
  return parts;
}

/**
 * `ws release-treasury` and `ws collect-royalties`: the vault's `method(modelId, token)` for each of `tokens`, all
 * simulated before any is sent (a refusal of one leaves none mined), then sent in order or batched with `--safe`.
 */
export function perToken(
  ctx: Context,
  method: string,
  modelId: bigint,
  tokens: TokenInfo[],
  argument: string,
): Promise<(ContractTransactionReceipt | null)[]> {
  const calls = tokens.map((t) => ({ contract: ctx.vault, method, args: [modelId, t.address] }));
  return sendAll(ctx, calls, { argument });
}

export type Paid = Money & { modelId: bigint };

/** The vault's `event` logs in `receipts` (HolderClaimed, ContributorReleased, TreasuryReleased...) as amounts. */
export async function paidIn(
  ctx: Context,
  receipts: (ContractTransactionReceipt | null)[],
  event: string,
): Promise<Paid[]> {
  const vault = getAddress(ctx.deployment.vault);
  const paid: Paid[] = [];
  for (const log of receipts.flatMap((r) => r?.logs ?? [])) {
    if (log.address !== vault) continue;
    const parsed = ctx.vault.interface.parseLog(log);
    if (parsed?.name !== event) continue;
    const token = await tokenInfo(ctx, parsed.args.token as string);
    paid.push({ modelId: parsed.args.modelId as bigint, ...money(parsed.args.amount as bigint, token) });
  }
  return paid;
}
