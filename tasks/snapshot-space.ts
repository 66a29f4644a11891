/** `ws snapshot-space --model-id N`: the model's Snapshot space settings, validated with snapshot.js's schema. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { buildSpaceSettings, readSpaceInput, validateSpaceSettings } from "../governance/snapshot/index.js";
import { action, address, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { snapshotNetwork, strategyKinds } from "./lib/integrations.js";

interface Args extends CommonArgs {
  modelId: string;
  networkId: string;
  strategies: string;
  admins: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const network = snapshotNetwork(args.networkId, ctx.chainId);
  const strategies = strategyKinds(args.strategies);
  const admins = args.admins === "" ? [] : args.admins.split(",").map((a) => address("admins", a.trim()));
  const settings = buildSpaceSettings(await readSpaceInput(m, ctx.shares, { network, strategies, admins }));
  const problems = validateSpaceSettings(settings);
  if (problems.length > 0) {
    throw new TaskInputError(
      `--model-id: Snapshot would refuse these settings: ${problems[0].path} ${problems[0].message}`,
    );
  }
  output(args.json, settings, () =>
    [
      `Snapshot space settings for model #${m.modelId} (network ${network}; valid under snapshot.js's space schema):`,
      JSON.stringify(settings, null, 2),
    ].join("\n"),
  );
});
