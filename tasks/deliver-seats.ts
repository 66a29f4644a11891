/**
 * `ws deliver-seats --raise-id N [--backer ADDRESS]`: buys a backer's licence seats of a raise that succeeded from
 * the offer its DAO named (`ws propose --action set-access-offer`), as licences to the backer (anyone may deliver
 * them). What the offer costs less than the seat price becomes refundable to the backer (`ws refund`).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output, TaskInputError } from "./lib/cli.js";
import { actor, context, type CommonArgs } from "./lib/context.js";
import { raiseIdArg, raisesOf, raiseView } from "./lib/raises.js";
import { send } from "./lib/send.js";
import { money } from "./lib/tokens.js";
import { timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  raiseId: string;
  backer: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const given = args.backer === "" ? undefined : address("backer", args.backer);
  const ctx = await context(hre, args);
  const raises = await raisesOf(ctx);
  const raiseId = await raiseIdArg(raises, args.raiseId);
  const { account, option } = actor(ctx);
  const backer = given ?? account;
  const who = given === undefined ? option : "backer";
  const v = await raiseView(ctx, raises, raiseId, backer);
  if (v.terms.seats === 0n) throw new TaskInputError(`--raise-id: raise #${raiseId} sells no licence seats`);
  if (v.status !== "Succeeded") {
    throw new TaskInputError(`--raise-id: raise #${raiseId} is ${v.status}; seats are delivered only after success`);
  }
  if (v.state.accessOfferId === 0n) {
    throw new TaskInputError(
      `--raise-id: the DAO has not named the offer the seats of raise #${raiseId} are delivered from (ws propose --action set-access-offer, by ${timeText(v.terms.accessDeadline)})`,
    );
  }
  const b = v.backer!;
  if (b.seats === 0n) throw new TaskInputError(`--${who}: ${backer} bought no seats of raise #${raiseId}`);
  if (b.seatsDelivered) throw new TaskInputError(`--${who}: the seats of ${backer} were delivered already`);
  if (b.seatsRefunded) {
    throw new TaskInputError(`--${who}: the seats of ${backer} were refunded (undelivered by the access deadline)`);
  }
  const receipt = await send(ctx, raises, "deliverSeats", [raiseId, backer], { argument: "raise-id" });
  const raisesAddress = await raises.getAddress();
  const delivered = receipt?.logs
    .filter((log) => log.address === raisesAddress)
    .map((log) => raises.interface.parseLog(log))
    .find((e) => e?.name === "SeatsDelivered");
  const licenceIds = [...((delivered?.args.licenceIds as bigint[] | undefined) ?? [])];
  const paid = money((delivered?.args.paid as bigint | undefined) ?? 0n, v.tokenInfo);
  output(
    args.json,
    { raiseId, modelId: v.terms.modelId, backer, offerId: v.state.accessOfferId, licenceIds, paid },
    () =>
      `delivered ${licenceIds.length} licence${licenceIds.length === 1 ? "" : "s"} of model #${v.terms.modelId} to ${backer} ` +
      `(${licenceIds.map((id) => `#${id}`).join(", ")}) from offer ${v.state.accessOfferId}, paying ${paid.formatted}`,
  );
});
