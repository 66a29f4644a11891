/**
 * `ws execute --model-id N --proposal-id P`: executes a queued proposal once its timelock delay has passed. Checked
 * ahead: the treasury must hold the ETH, ERC-20s and fractions the proposal's calls send (otherwise the timelock
 * reverts with a bare FailedCall), and a call the treasury's target would refuse is named with its reason.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { chainNow, context, model, type CommonArgs } from "./lib/context.js";
import { describeCalls, oneLine, protocolView } from "./lib/describe.js";
import { shortId } from "./lib/errors.js";
import { findProposal, requireState } from "./lib/proposals.js";
import { send } from "./lib/send.js";
import { firstRefusedCall, shortfalls, shortfallText } from "./lib/treasury.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  proposalId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const p = await findProposal(ctx, m, args.proposalId);
  const id = shortId(p.proposalId);
  await requireState(m, p.proposalId, ["Queued"]);
  const eta = await m.governor.proposalEta(p.proposalId);
  const now = await chainNow(ctx);
  if (now < eta) {
    throw new TaskInputError(`--proposal-id: proposal ${id} is queued until ${timeText(eta)}; now is ${timeText(now)}`);
  }
  const calls = await describeCalls(ctx, await protocolView(ctx, m), p);
  const short = await shortfalls(ctx, m, calls, p.values);
  if (short.length > 0) {
    const texts = await Promise.all(short.map((s) => shortfallText(ctx, m, s, `proposal ${id}`)));
    throw new TaskInputError(`--proposal-id: ${texts.join("; ")}`);
  }
  try {
    await m.governor.execute.staticCall(p.targets, p.values, p.calldatas, p.descriptionHash, {
      from: ctx.safe ?? ctx.signer.address,
    });
  } catch {
    const refused = await firstRefusedCall(ctx, m, p);
    if (refused !== null) {
      throw new TaskInputError(
        `--proposal-id: call ${refused.index + 1} of proposal ${id} (${oneLine([calls[refused.index]])}) is refused: ${refused.reason}`,
      );
    }
  }
  await send(ctx, m.governor, "execute", [p.targets, p.values, p.calldatas, p.descriptionHash], {
    argument: "proposal-id",
  });
  output(args.json, { proposalId: p.proposalId, shortId: id, state: "Executed", calls }, () =>
    [`executed proposal ${id}:`, ...calls.map((c) => `  ${oneLine([c])}`)].join("\n"),
  );
});
