/**
 * Event scans that work on real RPCs: many providers refuse `eth_getLogs` over a wide block range (10,000 blocks,
 * or a cap on results), so a scan from genesis in one query fails there with a raw provider error. `events` reads
 * in chunks of 50,000 blocks, halves a chunk the provider refuses, and turns a failure that persists into one line
 * naming --network. Scans of one model start at the block it was registered in (`registrationBlock`).
 */
import type {
  TypedContractEvent,
  TypedDeferredTopicFilter,
  TypedEventLog,
} from "../../types/ethers-contracts/common.js";
import type { ModelRegistry } from "../../types/ethers-contracts/index.js";
import { TaskInputError } from "./cli.js";
import type { Context } from "./context.js";

const CHUNK = 50_000;
/** Below this a refused range is not the range's fault: the provider is failing. */
const SMALLEST_CHUNK = 100;

interface Scannable {
  queryFilter<E extends TypedContractEvent>(
    filter: TypedDeferredTopicFilter<E>,
    fromBlock?: number,
    toBlock?: number,
  ): Promise<TypedEventLog<E>[]>;
}

/** Every log of `filter` on `contract` from `fromBlock` to the latest block, in order. */
export async function events<E extends TypedContractEvent>(
  ctx: Pick<Context, "connection">,
  contract: Scannable,
  filter: TypedDeferredTopicFilter<E>,
  fromBlock = 0,
): Promise<TypedEventLog<E>[]> {
  const provider = ctx.connection.ethers.provider;
  const latest = await provider.getBlockNumber();
  const found: TypedEventLog<E>[] = [];
  let size = CHUNK;
  for (let from = fromBlock; from <= latest;) {
    const to = Math.min(from + size - 1, latest);
    try {
      found.push(...(await contract.queryFilter(filter, from, to)));
      from = to + 1;
    } catch (error) {
      if (size > SMALLEST_CHUNK) {
        size = Math.floor(size / 2); // a range limit: ask for less
        continue;
      }
      const reason = String((error as Error).message ?? error).split("\n")[0];
      throw new TaskInputError(
        `--network: the provider refused the event logs of blocks ${from}..${to} (${reason}); expected an RPC that serves eth_getLogs`,
      );
    }
  }
  return found;
}

/**
 * The block model `modelId` was registered in, or one before it. The registry records `createdAt` (the block's
 * timestamp), so a binary search over block timestamps finds it in about log2(blocks) header reads, with no log
 * query at all; reading the ModelRegistered event instead would itself be a scan from genesis, the very range the
 * providers refuse. The first block whose timestamp is at least `createdAt` is the registration block, or an
 * earlier one on a chain that gives several blocks the same timestamp: a scan from there misses nothing.
 */
export async function registrationBlock(
  ctx: Pick<Context, "connection">,
  registry: ModelRegistry,
  modelId: bigint,
): Promise<number> {
  const provider = ctx.connection.ethers.provider;
  const createdAt = (await registry.model(modelId)).createdAt;
  let low = 0;
  let high = await provider.getBlockNumber();
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const block = await provider.getBlock(middle);
    if (block !== null && BigInt(block.timestamp) >= createdAt) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Where scans of every model start: model #1's registration block (no fraction or licence moves before it). */
export async function firstModelBlock(ctx: Pick<Context, "connection" | "registry">): Promise<number> {
  if ((await ctx.registry.modelCount()) === 0n) return (await ctx.connection.ethers.provider.getBlockNumber()) + 1;
  return registrationBlock(ctx, ctx.registry, 1n);
}
