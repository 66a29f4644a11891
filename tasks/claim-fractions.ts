/**
 * `ws claim-fractions --raise-id N [--backer ADDRESS] [--to ADDRESS]`: mints a backer's fractions of a raise that
 * succeeded (its pro rata allocation when the raise was oversubscribed). Anyone may claim a backer's fractions to the
 * backer; only the backer (the signer, or `--safe`) may have them minted to another address with `--to`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output, TaskInputError } from "./lib/cli.js";
import { actor, context, type CommonArgs } from "./lib/context.js";
import { raiseIdArg, raisesOf, raiseView } from "./lib/raises.js";
import { send } from "./lib/send.js";

interface Args extends CommonArgs {
  raiseId: string;
  backer: string;
  to: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const given = args.backer === "" ? undefined : address("backer", args.backer);
  const to = args.to === "" ? undefined : address("to", args.to);
  const ctx = await context(hre, args);
  const raises = await raisesOf(ctx);
  const raiseId = await raiseIdArg(raises, args.raiseId);
  const { account, option } = actor(ctx);
  const backer = given ?? account;
  const receiver = to ?? backer;
  if (receiver !== backer && backer !== account) {
    throw new TaskInputError(
      `--to: only the backer (${backer}) may have its fractions minted to another address; leave --to out to mint them to the backer`,
    );
  }
  const v = await raiseView(ctx, raises, raiseId, backer);
  if (v.status !== "Succeeded") {
    const hint =
      v.status === "Closed"
        ? " (ws finalize-raise settles it)"
        : v.status === "Failed" || v.status === "Cancelled"
          ? "; its backers take their money back with ws refund"
          : "";
    throw new TaskInputError(
      `--raise-id: raise #${raiseId} is ${v.status}; fractions are minted only from a raise that succeeded${hint}`,
    );
  }
  const b = v.backer!;
  const who = given === undefined ? option : "backer";
  if (b.claimed) throw new TaskInputError(`--${who}: ${backer} has claimed its ${b.allocation} fractions already`);
  if (b.allocation === 0n) throw new TaskInputError(`--${who}: ${backer} has no fractions in raise #${raiseId}`);
  const receipt = await send(ctx, raises, "claimFractions", [raiseId, backer, receiver], { argument: "raise-id" });
  const raisesAddress = await raises.getAddress();
  const claimed = receipt?.logs
    .filter((log) => log.address === raisesAddress)
    .map((log) => raises.interface.parseLog(log))
    .find((e) => e?.name === "FractionsClaimed");
  const fractions = (claimed?.args.fractions as bigint | undefined) ?? 0n;
  output(
    args.json,
    { raiseId, modelId: v.terms.modelId, backer, to: receiver, fractions },
    () =>
      `minted ${fractions} fractions of model #${v.terms.modelId} to ${receiver}` +
      (receiver === backer ? "" : ` (backer ${backer})`) +
      ` from raise #${raiseId}`,
  );
});
