/**
 * `ws proposals --model-id N [--state Active]`: the model's proposals, oldest first, one line each: short id,
 * state, what it does (decoded), votes and voting deadline (ISO and timestamp).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { PROPOSAL_STATES } from "../governance/tally/abi.js";
import { action, oneOf, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { oneLine, protocolView } from "./lib/describe.js";
import { proposalEvents, storedProposal } from "./lib/proposals.js";
import { proposalStatus, votesText } from "./lib/status.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  state: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const state = args.state === "" ? undefined : oneOf("state", args.state, PROPOSAL_STATES);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const view = await protocolView(ctx, m);
  const events = await proposalEvents(ctx, m);
  const all = [];
  for (const e of events) all.push(await proposalStatus(ctx, m, view, storedProposal(e)));
  const shown = all.filter((s) => state === undefined || s.state === state);
  output(args.json, shown, () =>
    shown.length === 0
      ? `no ${state === undefined ? "" : `${state} `}proposals on model #${m.modelId}`
      : shown
          .map(
            (s) =>
              `${s.shortId}  ${s.state.padEnd(9)}  ${oneLine(s.calls)}  (${votesText(s)}; deadline ${timeText(s.deadline)})`,
          )
          .join("\n"),
  );
});
