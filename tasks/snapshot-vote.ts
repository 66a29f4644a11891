/** `ws snapshot-vote --hub URL --space ID --proposal 0x.. --choice N`: signs and sends a Snapshot vote. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { SnapshotClient, SnapshotHubError } from "../governance/snapshot/index.js";
import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";
import { hubUrl, spaceId } from "./lib/integrations.js";

interface Args extends CommonArgs {
  hub: string;
  space: string;
  proposal: string;
  choice: string;
  reason: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const hub = hubUrl(args.hub);
  const space = spaceId(args.space);
  if (!/^0x[0-9a-fA-F]{64}$/.test(args.proposal)) {
    throw new TaskInputError(
      `--proposal: expected a Snapshot proposal id (0x + 64 hex digits), got "${args.proposal}"`,
    );
  }
  const choice = Number(uint("choice", args.choice, 2n ** 32n - 1n));
  if (choice === 0) throw new TaskInputError("--choice: expected a choice number from 1, got 0");
  const ctx = await context(hre, args);
  let id: string;
  try {
    id = await new SnapshotClient(hub).vote(ctx.signer, {
      space,
      proposal: args.proposal,
      choice,
      reason: args.reason,
    });
  } catch (e) {
    if (e instanceof SnapshotHubError) throw new TaskInputError(`--hub: ${e.message}`);
    throw e;
  }
  output(
    args.json,
    { id, space, proposal: args.proposal, voter: ctx.signer.address, choice },
    () => `Snapshot vote ${id}: ${ctx.signer.address} chose ${choice} on ${args.proposal}`,
  );
});
