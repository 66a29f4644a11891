/**
 * `ws finalize-raise --raise-id N`: settles a raise that has closed (anyone may). If at least its goal was
 * committed it succeeded: its first tranche of money goes to the treasury, and backers claim their fractions
 * (`ws claim-fractions`) and any surplus above the cap (`ws refund`). Otherwise it failed and every backer takes back
 * exactly what it committed with `ws refund`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, output, TaskInputError } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";
import { raiseIdArg, raisesOf, raiseView } from "./lib/raises.js";
import { send } from "./lib/send.js";
import { money } from "./lib/tokens.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  raiseId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const raises = await raisesOf(ctx);
  const raiseId = await raiseIdArg(raises, args.raiseId);
  const v = await raiseView(ctx, raises, raiseId);
  if (v.status !== "Closed") {
    const why =
      v.status === "Pending" || v.status === "Open"
        ? `it closes at ${timeText(v.terms.closesAt)}`
        : v.status === "Cancelled"
          ? "it was cancelled (everything committed is refundable)"
          : "it was finalised already";
    throw new TaskInputError(`--raise-id: raise #${raiseId} is ${v.status}, not closed: ${why}`);
  }
  const receipt = await send(ctx, raises, "finalize", [raiseId], { argument: "raise-id" });
  const raisesAddress = await raises.getAddress();
  const logs = (receipt?.logs ?? [])
    .filter((log) => log.address === raisesAddress)
    .map((log) => raises.interface.parseLog(log));
  const settled = logs.find((e) => e?.name === "RaiseFinalized");
  if (settled == null) throw new TaskInputError("--raise-id: the settlement was mined but recorded nothing");
  const released = logs.find((e) => e?.name === "TrancheReleased");
  const succeeded = settled.args.succeeded as boolean;
  const raised = money(settled.args.raised as bigint, v.tokenInfo);
  const tranche = money((released?.args.amount as bigint | undefined) ?? 0n, v.tokenInfo);
  output(
    args.json,
    {
      raiseId,
      modelId: v.terms.modelId,
      succeeded,
      status: succeeded ? "Succeeded" : "Failed",
      committed: settled.args.committed as bigint,
      sold: settled.args.sold as bigint,
      raised,
      released: tranche,
    },
    () =>
      succeeded
        ? `raise #${raiseId} of model #${v.terms.modelId} succeeded: ${settled.args.sold} fractions sold for ${raised.formatted} ` +
          `(${settled.args.committed} committed); ${tranche.formatted} released to the treasury now` +
          `\nbackers claim their fractions with ws claim-fractions --raise-id ${raiseId}` +
          (settled.args.committed > v.terms.cap
            ? ` and the surplus above the cap with ws refund --raise-id ${raiseId}`
            : "")
        : `raise #${raiseId} of model #${v.terms.modelId} failed: ${settled.args.committed} of the ${v.terms.goal} fractions it needed were committed` +
          `\nevery backer takes back exactly what it committed with ws refund --raise-id ${raiseId}`,
  );
});
