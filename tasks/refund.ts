/**
 * `ws refund --raise-id N [--to ADDRESS]`: sends the signer (or `--safe`) what is refundable to it in a raise now:
 * everything it committed when the raise failed or was cancelled, the part above its pro rata allocation when the
 * raise was oversubscribed, its share of a failed milestone, seats' money not delivered by the access deadline, and
 * money that arrived beyond whole fractions. `--to` pays another address (an account that cannot receive ETH).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, output, TaskInputError } from "./lib/cli.js";
import { actor, context, type CommonArgs } from "./lib/context.js";
import { raiseIdArg, raisesOf, raiseView } from "./lib/raises.js";
import { send } from "./lib/send.js";
import { money } from "./lib/tokens.js";

interface Args extends CommonArgs {
  raiseId: string;
  to: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const to = args.to === "" ? undefined : address("to", args.to);
  const ctx = await context(hre, args);
  const raises = await raisesOf(ctx);
  const raiseId = await raiseIdArg(raises, args.raiseId);
  const { account: backer, option } = actor(ctx);
  const v = await raiseView(ctx, raises, raiseId, backer);
  const b = v.backer!;
  if (b.refundable === 0n) {
    const why =
      b.fractions === 0n && b.seats === 0n
        ? "it has not backed this raise"
        : v.status === "Open" || v.status === "Pending"
          ? "commitments are refunded once the raise fails or is cancelled, or above the cap after it closes"
          : v.status === "Closed"
            ? "the raise has closed and is not settled yet (ws finalize-raise settles it)"
            : b.refunded === 0n
              ? `the raise ${v.status === "Succeeded" ? "succeeded and its allocation is whole" : "owes it nothing more"}`
              : `it was refunded ${money(b.refunded, v.tokenInfo).formatted} already`;
    throw new TaskInputError(
      `--${option}: ${backer} has nothing refundable in raise #${raiseId} (${v.status}) now: ${why}`,
    );
  }
  const receiver = to ?? backer;
  const receipt = await send(ctx, raises, "refund", [raiseId, receiver], {
    argument: to === undefined ? "raise-id" : "to",
  });
  const raisesAddress = await raises.getAddress();
  const refunded = receipt?.logs
    .filter((log) => log.address === raisesAddress)
    .map((log) => raises.interface.parseLog(log))
    .find((e) => e?.name === "Refunded");
  const amount = money((refunded?.args.amount as bigint | undefined) ?? 0n, v.tokenInfo);
  output(
    args.json,
    { raiseId, status: v.status, backer, to: receiver, amount: amount.amount, refunded: amount },
    () => `refunded ${amount.formatted} of raise #${raiseId} (${v.status}) to ${receiver}`,
  );
});
