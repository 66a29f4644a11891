/**
 * `ws snapshot-hub --space ID [--port N]`: runs a Snapshot-compatible endpoint on 127.0.0.1 for rehearsing a
 * signalling vote on a local chain (Snapshot does not serve local chains). It applies the sequencer's checks to
 * every signed message, prints each answer, and serves `GET /api/proposals/<id>` for `ws snapshot-scores`. With
 * `--model-id` it also refuses votes from accounts with no power at the proposal's snapshot block, as Snapshot does.
 * Runs until Ctrl-C or SIGTERM.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { startCaptureServer, type CaptureOptions } from "../governance/snapshot/index.js";
import { action, TaskInputError, uint } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { snapshotPower, spaceId } from "./lib/integrations.js";

interface Args extends CommonArgs {
  space: string;
  port: string;
  modelId: string;
}

/** With `--model-id`: a voter's power at a proposal's snapshot block, through the deployment's Multicall. */
async function powerOf(hre: HardhatRuntimeEnvironment, args: Args): Promise<CaptureOptions["votingPower"]> {
  if (args.modelId === "") return undefined;
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const multicall = ctx.deployment.multicall;
  if (multicall === undefined) {
    throw new TaskInputError("--deployment: expected a multicall address to read voting power for --model-id");
  }
  const power = await snapshotPower(ctx, m, ["votes", "holdings"], multicall);
  return async (voter, proposal) => (await power.at([voter], proposal.snapshot)).vp[voter] ?? 0;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const space = spaceId(args.space);
  const port = args.port === "" ? 0 : Number(uint("port", args.port, 65_535n));
  const votingPower = await powerOf(hre, args);
  const connection = await hre.network.getOrCreate();
  const network = (await connection.ethers.provider.getNetwork()).chainId.toString();
  let hub;
  try {
    hub = await startCaptureServer({
      spaces: { [space]: { network } },
      port,
      ...(votingPower ? { votingPower } : {}),
      onAnswer: ({ body, answer }) => {
        const from = (body as { address?: string } | undefined)?.address ?? "?";
        console.log(
          "id" in answer ? `accepted ${answer.id} from ${from}` : `refused (${answer.error_description}) from ${from}`,
        );
      },
    });
  } catch (e) {
    throw new TaskInputError(`--port: could not listen on 127.0.0.1:${port}: ${(e as Error).message}`);
  }
  console.log(`Snapshot-compatible endpoint for space ${space} (network ${network}) at ${hub.url}; Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await hub.close();
});
