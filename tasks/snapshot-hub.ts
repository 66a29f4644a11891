/**
 * `ws snapshot-hub --space ID [--port N]`: runs a Snapshot-compatible endpoint on 127.0.0.1 for rehearsing a
 * signalling vote on a local chain (Snapshot does not serve local chains). It applies the sequencer's checks to
 * every signed message, prints each answer, and serves `GET /api/proposals/<id>` for `ws snapshot-scores`. Runs
 * until Ctrl-C or SIGTERM.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { startCaptureServer } from "../governance/snapshot/index.js";
import { action, TaskInputError, uint } from "./lib/cli.js";
import { spaceId } from "./lib/integrations.js";

interface Args {
  space: string;
  port: string;
  json: boolean;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const space = spaceId(args.space);
  const port = args.port === "" ? 0 : Number(uint("port", args.port, 65_535n));
  const connection = await hre.network.getOrCreate();
  const network = (await connection.ethers.provider.getNetwork()).chainId.toString();
  let hub;
  try {
    hub = await startCaptureServer({
      spaces: { [space]: { network } },
      port,
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
