/**
 * Event scans (tasks/lib/events.ts): chunked so an RPC's log-range limit is met by asking for less, a provider that
 * keeps failing is one line naming --network, and a model's scans start at its registration block, found from the
 * registry's `createdAt` by a binary search over block timestamps.
 */
import { expect } from "chai";
import hre from "hardhat";

import { TaskInputError } from "../../tasks/lib/cli.js";
import type { Context } from "../../tasks/lib/context.js";
import { events, registrationBlock } from "../../tasks/lib/events.js";
import type { TypedContractEvent, TypedDeferredTopicFilter } from "../../types/ethers-contracts/common.js";
import { deployForTasks, runTask, writeMembers } from "./helpers.js";

const LATEST = 120_000;
const ctx = { connection: { ethers: { provider: { getBlockNumber: async () => LATEST } } } } as unknown as Pick<
  Context,
  "connection"
>;
const filter = {} as TypedDeferredTopicFilter<TypedContractEvent>;

/** A contract whose provider refuses ranges wider than `limit` blocks; each log is the block it was asked from. */
function limited(limit: number, ranges: [number, number][] = []) {
  return {
    queryFilter: async (_f: unknown, from: number, to: number) => {
      ranges.push([from, to]);
      if (to - from + 1 > limit) throw new Error(`query returned more than ${limit} results`);
      return [{ blockNumber: from }];
    },
  } as never;
}

describe("tasks: event scans (tasks/lib/events.ts)", function () {
  it("reads from the start block to the latest in chunks, halving one the provider refuses", async function () {
    const ranges: [number, number][] = [];
    const logs = (await events(ctx, limited(20_000, ranges), filter, 10_000)) as unknown as { blockNumber: number }[];
    expect(ranges[0]).to.deep.equal([10_000, 59_999]);
    const served = ranges.filter(([from, to]) => to - from + 1 <= 20_000);
    expect(served[0][0]).to.equal(10_000);
    expect(served[served.length - 1][1]).to.equal(LATEST);
    for (let i = 1; i < served.length; i++) expect(served[i][0]).to.equal(served[i - 1][1] + 1, "no gap, no overlap");
    expect(logs.map((l) => l.blockNumber)).to.deep.equal(served.map(([from]) => from));
  });

  it("a provider that keeps failing is one line naming --network", async function () {
    try {
      await events(ctx, limited(0), filter, 0);
      expect.fail("expected a refusal");
    } catch (error) {
      expect(error).to.be.instanceOf(TaskInputError);
      expect((error as Error).message).to.match(
        /^--network: the provider refused the event logs of blocks 0\.\.\d+ \(query returned more than 0 results\); expected an RPC that serves eth_getLogs$/,
      );
    }
  });

  it("finds a model's registration block from the registry's createdAt", async function () {
    const { deployment, accounts, addresses } = await deployForTasks(hre);
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.mine(5);
    const members = writeMembers(hre.config.paths.cache, [accounts[1]], [10], { name: "Scan" }, "scan-members.json");
    const reg = await runTask(hre, "register", { members, deployment, signer: "", json: true });
    expect(reg.exitCode, reg.stderr).to.equal(0);
    await networkHelpers.mine(5);
    const registry = await ethers.getContractAt("ModelRegistry", addresses.registry);
    const [registered] = await registry.queryFilter(registry.filters.ModelRegistered(1n));
    const live = { connection: await hre.network.getOrCreate() } as Pick<Context, "connection">;
    expect(await registrationBlock(live, registry, 1n)).to.equal(registered.blockNumber);
  });
});
