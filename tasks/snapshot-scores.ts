/**
 * `ws snapshot-scores --model-id N --voters A,B --block B`: each voter's Snapshot voting power at a block, per
 * strategy, read with the strategies' own calls through `snapshot.utils.multicall`.
 */
import type { ExternalProvider } from "@ethersproject/providers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { buildSpaceSettings, computeScores, multicallProvider, readSpaceInput } from "../governance/snapshot/index.js";
import { table } from "../sdk/index.js";
import { action, address, output, TaskInputError, uint } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { strategyKinds } from "./lib/integrations.js";

interface Args extends CommonArgs {
  modelId: string;
  voters: string;
  block: string;
  multicall: string;
  strategies: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.voters === "") throw new TaskInputError("--voters: expected comma-separated addresses");
  const voters = args.voters.split(",").map((a) => address("voters", a.trim()));
  const strategies = strategyKinds(args.strategies);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const latest = await ctx.connection.ethers.provider.getBlockNumber();
  const block = args.block === "" ? latest : Number(uint("block", args.block, BigInt(latest)));
  const multicall = args.multicall !== "" ? address("multicall", args.multicall) : ctx.deployment.multicall;
  if (multicall === undefined || (await ctx.connection.ethers.provider.getCode(multicall, block)) === "0x") {
    throw new TaskInputError(
      `--multicall: expected a Multicall deployed at or before block ${block}, got ${multicall ?? "none in the deployment"}`,
    );
  }
  const network = ctx.chainId.toString();
  const settings = buildSpaceSettings(await readSpaceInput(m, ctx.shares, { network, strategies }));
  const scores = await computeScores({
    provider: multicallProvider(ctx.connection.provider as unknown as ExternalProvider),
    network,
    strategies: settings.strategies,
    addresses: voters,
    snapshot: block,
    multicall,
  });
  const rows = voters.map((voter) => ({
    voter,
    ...Object.fromEntries(settings.strategies.map((s, i) => [s.name, scores.raw[i][voter].toString()])),
    vp: scores.vp[voter],
  }));
  output(args.json, { block, strategies: settings.strategies, scores: rows }, () =>
    [
      `Snapshot voting power for model #${m.modelId} at block ${block}:`,
      table(
        ["voter", ...settings.strategies.map((s) => s.name), "vp"],
        rows.map((r) => [
          r.voter,
          ...settings.strategies.map((s) => String(r[s.name as keyof typeof r])),
          String(r.vp),
        ]),
      ),
    ].join("\n"),
  );
});
