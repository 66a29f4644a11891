/**
 * `ws cancel --model-id N --proposal-id P`: cancels a proposal. Its proposer may while it is Pending (before voting
 * opens); the model's guardian may at any stage before execution, except a proposal that changes the guardian.
 * Anyone else, or a proposal past that, is refused in one line with nothing sent.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { shortId } from "./lib/errors.js";
import { findProposal, stateOf } from "./lib/proposals.js";
import { send } from "./lib/send.js";

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
}

const FINAL = ["Canceled", "Expired", "Executed"];

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(ctx, m, args.proposalId);
  const id = shortId(p.proposalId);
  const state = await stateOf(m, p.proposalId);
  if (FINAL.includes(state)) {
    throw new TaskInputError(
      `--proposal-id: proposal ${id} is ${state}; only a proposal not yet executed, canceled or expired can be canceled`,
    );
  }
  const sender = ctx.safe ?? ctx.signer.address;
  const guardian = await m.governor.proposalGuardian();
  const isGuardian = guardian !== ZeroAddress && sender === guardian;
  if (!isGuardian && sender !== p.proposer) {
    throw new TaskInputError(
      `--signer: ${sender} may not cancel proposal ${id}: only its proposer (${p.proposer}) while it is Pending, or ` +
        (guardian === ZeroAddress ? `the guardian (model #${m.modelId} has none)` : `the guardian (${guardian})`),
    );
  }
  if (!isGuardian && state !== "Pending") {
    throw new TaskInputError(
      `--proposal-id: proposal ${id} is ${state}; its proposer may cancel it only while it is Pending (before voting opens)`,
    );
  }
  await send(ctx, m.governor, "cancel", [p.targets, p.values, p.calldatas, p.descriptionHash], {
    argument: "proposal-id",
  });
  output(
    args.json,
    { proposalId: p.proposalId, shortId: id, state: "Canceled", by: isGuardian ? "guardian" : "proposer" },
    () => `canceled proposal ${id} on model #${m.modelId} (as its ${isGuardian ? "guardian" : "proposer"})`,
  );
});
