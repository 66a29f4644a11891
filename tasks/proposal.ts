/**
 * `ws proposal --model-id N --proposal-id P`: one proposal in any state: its short and full id, what each call does
 * (decoded as the `ws propose` action that makes it), state, votes, quorum (before voting opens: as it would be now,
 * fixed at the snapshot) and times (ISO and timestamp).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { oneLine, protocolView } from "./lib/describe.js";
import { findProposal } from "./lib/proposals.js";
import { proposalStatus, votesText } from "./lib/status.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(ctx, m, args.proposalId);
  const s = await proposalStatus(ctx, m, await protocolView(ctx, m), p);
  output(args.json, s, () =>
    [
      `proposal ${s.shortId} on model #${m.modelId}: ${s.state}`,
      `id ${s.hexId}`,
      `"${s.description}", proposed by ${s.proposer}`,
      ...s.calls.map((c, i) => `${i + 1}. ${oneLine([c])}`),
      `${votesText(s)}; quorum ${s.quorum}${s.quorumAt === "now" ? " (as of now; fixed when voting opens)" : ""}`,
      `voting opens ${timeText(s.snapshot)}, closes ${timeText(s.deadline)}`,
      ...(s.eta === 0n ? [] : [`executable from ${timeText(s.eta)}`]),
    ].join("\n"),
  );
});
