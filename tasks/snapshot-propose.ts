/**
 * `ws snapshot-propose --model-id N --hub URL --space ID --title T --choices "For,Against,Abstain"`: signs a
 * Snapshot proposal with the sending account (EIP-712, snapshot.js's Client712) and sends it to the hub. Voting
 * power is read at `--snapshot` (default: the latest block); voting runs from now for `--duration` seconds
 * (default: the model's Governor voting period).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { SnapshotClient } from "../governance/snapshot/index.js";
import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { hubUrl, spaceId, viaHub } from "./lib/integrations.js";

interface Args extends CommonArgs {
  modelId: string;
  hub: string;
  space: string;
  title: string;
  body: string;
  choices: string;
  duration: string;
  snapshot: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const hub = hubUrl(args.hub);
  const space = spaceId(args.space);
  if (args.title.trim() === "" || args.title.length > 256) {
    throw new TaskInputError(`--title: expected 1 to 256 characters, got ${args.title.length}`);
  }
  const choices = (args.choices === "" ? "For,Against,Abstain" : args.choices).split(",").map((c) => c.trim());
  if (choices.length < 2 || choices.some((c) => c === "")) {
    throw new TaskInputError(`--choices: expected at least two comma-separated choices, got "${args.choices}"`);
  }
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const latest = await ctx.connection.ethers.provider.getBlockNumber();
  const snapshot = args.snapshot === "" ? BigInt(latest) : uint("snapshot", args.snapshot, BigInt(latest));
  const duration =
    args.duration === "" ? await m.governor.votingPeriod() : uint("duration", args.duration, 366n * 86400n);
  if (duration === 0n) throw new TaskInputError("--duration: expected at least 1 second, got 0");
  const start = Math.floor(Date.now() / 1000);
  const end = start + Number(duration);
  const id = await viaHub(() =>
    new SnapshotClient(hub).createProposal(ctx.signer, {
      space,
      title: args.title,
      body: args.body,
      choices,
      start,
      end,
      snapshot: Number(snapshot),
    }),
  );
  const data = { id, space, author: ctx.signer.address, choices, start, end, snapshot };
  output(args.json, data, () =>
    [
      `Snapshot proposal ${id}`,
      `space ${space}, by ${ctx.signer.address}; power read at block ${snapshot}`,
      `voting ${new Date(start * 1000).toISOString()} -> ${new Date(end * 1000).toISOString()}: ${choices.join(" | ")}`,
    ].join("\n"),
  );
});
