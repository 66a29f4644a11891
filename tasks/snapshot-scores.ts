/**
 * `ws snapshot-scores --model-id N --voters A,B --block B`: each voter's Snapshot voting power at a block, per
 * strategy, read with the strategies' own calls through `snapshot.utils.multicall`.
 * `ws snapshot-scores --model-id N --hub URL --proposal 0x..`: the same for every voter of a proposal held by a
 * `ws snapshot-hub` endpoint, at its snapshot block, and the result tallied with snapshot.js's voting class.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readCapturedProposal, tally, type CapturedResult } from "../governance/snapshot/index.js";
import { table } from "../sdk/index.js";
import { action, address, output, TaskInputError, uint } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { hubUrl, snapshotPower, snapshotProposalId, strategyKinds, viaHub } from "./lib/integrations.js";

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
    const proposal = snapshotProposalId(args.proposal);
    if (args.hub === "") throw new TaskInputError("--hub: expected the URL of the ws snapshot-hub holding --proposal");
    const hub = hubUrl(args.hub);
    captured = await viaHub(() => readCapturedProposal(hub, proposal));
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
  const power = await snapshotPower(ctx, m, strategies, multicall);
  const scores = await power.at(voters, block);
  const rows = voters.map((voter) => ({
    voter,
    ...Object.fromEntries(power.strategies.map((s, i) => [s.name, scores.raw[i][voter].toString()])),
    vp: scores.vp[voter],
  }));
  const result = captured ? tally(captured.proposal, captured.votes, power.strategies, scores) : undefined;
  output(args.json, { block, strategies: power.strategies, scores: rows, ...(result ? { result } : {}) }, () =>
    [
      ...(captured && result
        ? [
            `Snapshot proposal "${captured.proposal.title}": ${captured.votes.length} vote${captured.votes.length === 1 ? "" : "s"}; leading: ${
              captured.proposal.choices[result.leader - 1] ?? "none"
            }`,
            table(
              ["choice", "total", ...power.strategies.map((s) => s.name)],
              captured.proposal.choices.map((c, i) => [c, result.scores[i], ...result.scoresByStrategy[i]]),
            ),
          ]
        : []),
      `Snapshot voting power for model #${m.modelId} at block ${block}:`,
      table(
        ["voter", ...power.strategies.map((s) => s.name), "vp"],
        voters.map((v) => [v, ...power.strategies.map((_, i) => scores.raw[i][v]), scores.vp[v]]),
      ),
    ].join("\n"),
  );
});
