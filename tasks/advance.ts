/** `ws advance --seconds N`: moves time forward on a local chain (hardhat / `npm run node`) to walk through votes. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { formatDuration, timeText } from "./lib/units.js";

interface Args {
  seconds: string;
  json: boolean;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const seconds = uint("seconds", args.seconds, 10n ** 9n);
  const { ethers, networkHelpers } = await hre.network.getOrCreate();
  const chainId = (await ethers.provider.getNetwork()).chainId;
  if (chainId !== 31337n)
    throw new TaskInputError(`--network: time can only be moved on a local chain (31337), not ${chainId}`);
  await networkHelpers.time.increase(seconds);
  const now = await networkHelpers.time.latest();
  output(args.json, { now }, () => `chain time is now ${timeText(BigInt(now))}, ${formatDuration(seconds)} later`);
});
