/** `ws snapshot-vote --hub URL --space ID --proposal 0x.. --choice N`: signs and sends a Snapshot vote. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { SnapshotClient } from "../governance/snapshot/index.js";
import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";
import { hubUrl, snapshotProposalId, spaceId, viaHub } from "./lib/integrations.js";

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
  const proposal = snapshotProposalId(args.proposal);
  const choice = Number(uint("choice", args.choice, 2n ** 32n - 1n));
  if (choice === 0) throw new TaskInputError("--choice: expected a choice number from 1, got 0");
  const ctx = await context(hre, args);
  const id = await viaHub(() =>
    new SnapshotClient(hub).vote(ctx.signer, { space, proposal, choice, reason: args.reason }),
  );
  output(
    args.json,
    { id, space, proposal, voter: ctx.signer.address, choice },
    () => `Snapshot vote ${id}: ${ctx.signer.address} chose ${choice} on ${proposal}`,
  );
});
