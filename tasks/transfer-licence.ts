/**
 * `ws transfer-licence --licence-id L --to ADDRESS`: gives a licence to another account (ERC-721 safeTransferFrom).
 *
 * Refused before sending: a licence the sender does not hold, one whose terms make it non-transferable, and
 * (simulated) a receiver contract that cannot take ERC-721 tokens; to the sender itself only with `--force`. The
 * licence becomes the receiver's primary licence for its model unless the receiver's current one is live. Usage
 * receipts the previous holder signed keep authorising usage only until their deadlines, which the usage meter
 * bounds to its RECEIPT_WINDOW (1 day) after the transfer; from then on only the new holder's receipts count.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, confirm, output, TaskInputError } from "./lib/cli.js";
import { actor, chainNow, context, licenceId, requireHolder, type CommonArgs } from "./lib/context.js";
import { licenceInfo } from "./lib/licences.js";
import { send } from "./lib/send.js";
import { formatDuration, timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  licenceId: string;
  to: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.licenceId === "") throw new TaskInputError("--licence-id: expected the licence to transfer");
  if (args.to === "") throw new TaskInputError("--to: expected the address that receives the licence");
  const to = address("to", args.to);
  const ctx = await context(hre, args);
  const id = await licenceId(ctx, args.licenceId);
  const from = actor(ctx).account;
  const before = await licenceInfo(ctx, id, await chainNow(ctx));
  requireHolder(ctx, id, before.holder);
  if (!before.transferable) {
    throw new TaskInputError(
      `--licence-id: licence #${id} is not transferable under its terms (offer ${before.offerId} of model #${before.modelId})`,
    );
  }
  if (to === from) confirm(args, "to", `${to} already holds licence #${id}; transferring it to itself changes nothing`);
  const receipt = await send(ctx, ctx.licenses, "safeTransferFrom(address,address,uint256)", [from, to, id], {
    argument: "to",
  });
  const window = await ctx.meter.RECEIPT_WINDOW();
  const transferredAt = BigInt((await receipt!.getBlock()).timestamp);
  const primary = await ctx.licenses.primaryLicence(before.modelId, to);
  const data = {
    licenceId: id,
    modelId: before.modelId,
    from,
    to,
    transactionHash: receipt?.hash,
    receiverPrimary: primary === id,
    receiverPrimaryLicence: primary,
    senderAccess: await ctx.licenses.hasAccess(before.modelId, from),
    receiptWindow: window,
    oldReceiptsUntil: transferredAt + window,
    oldReceiptsUntilText: timeText(transferredAt + window),
  };
  output(args.json, data, () =>
    [
      `transferred licence #${id} (model #${before.modelId} "${before.model}") from ${from} to ${to}`,
      data.receiverPrimary
        ? `it is now ${to}'s primary licence for model #${before.modelId}`
        : `${to} keeps licence #${primary} as its primary licence for model #${before.modelId} (choose with ws primary-licence)`,
      `${from} ${data.senderAccess ? "still has" : "no longer has"} access to model #${before.modelId}`,
      `usage receipts signed by ${from} authorise usage only until their deadlines, at most ${formatDuration(window)} ` +
        `(the usage meter's receipt window) after this transfer: until ${data.oldReceiptsUntilText} at the latest`,
    ].join("\n"),
  );
});
