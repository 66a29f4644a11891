/**
 * `ws snapshot-scores --model-id N --voters A,B --block B`: each voter's Snapshot voting power at a block, per
 * strategy, read with the strategies' own calls through `snapshot.utils.multicall`.
 * `ws snapshot-scores --model-id N --hub URL --proposal 0x..`: the same for every voter of a proposal held by a
 * `ws snapshot-hub` endpoint, at its snapshot block, and the result tallied with snapshot.js's voting class.
 */
import type { ExternalProvider } from "@ethersproject/providers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  SnapshotHubError,
  buildSpaceSettings,
  computeScores,
  multicallProvider,
  readCapturedProposal,
  readSpaceInput,
  tally,
  type CapturedResult,
} from "../governance/snapshot/index.js";
import { table } from "../sdk/index.js";
import { action, address, output, TaskInputError, uint } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { hubUrl, strategyKinds } from "./lib/integrations.js";

interface Args extends CommonArgs {
  modelId: string;
  voters: string;
  block: string;
  multicall: string;
  strategies: string;
  hub: string;
  proposal: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  let captured: CapturedResult | undefined;
  if (args.proposal !== "") {
    if (!/^0x[0-9a-fA-F]{64}$/.test(args.proposal)) {
      throw new TaskInputError(
        `--proposal: expected a Snapshot proposal id (0x + 64 hex digits), got "${args.proposal}"`,
      );
    }
    if (args.hub === "") throw new TaskInputError("--hub: expected the URL of the ws snapshot-hub holding --proposal");
    try {
      captured = await readCapturedProposal(hubUrl(args.hub), args.proposal);
    } catch (e) {
      if (e instanceof SnapshotHubError) throw new TaskInputError(`--hub: ${e.message}`);
      throw e;
    }
  } else if (args.voters === "") {
    throw new TaskInputError("--voters: expected comma-separated addresses (or --hub and --proposal)");
  }
  const voters = captured
    ? captured.votes.map((v) => v.voter)
    : args.voters.split(",").map((a) => address("voters", a.trim()));
  const strategies = strategyKinds(args.strategies);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const latest = await ctx.connection.ethers.provider.getBlockNumber();
  const block = captured
    ? captured.proposal.snapshot
    : args.block === ""
      ? latest
      : Number(uint("block", args.block, BigInt(latest)));
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
  const result = captured ? tally(captured.proposal, captured.votes, settings.strategies, scores) : undefined;
  output(args.json, { block, strategies: settings.strategies, scores: rows, ...(result ? { result } : {}) }, () =>
    [
      ...(captured && result
        ? [
            `Snapshot proposal "${captured.proposal.title}": ${captured.votes.length} vote${captured.votes.length === 1 ? "" : "s"}; leading: ${
              captured.proposal.choices[result.leader - 1] ?? "none"
            }`,
            table(
              ["choice", "total", ...settings.strategies.map((s) => s.name)],
              captured.proposal.choices.map((c, i) => [c, result.scores[i], ...result.scoresByStrategy[i]]),
            ),
          ]
        : []),
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
