/**
 * `ws receipt --licence-id L --amount N [--cap TOTAL] [--valid-for SECONDS]`: the licence holder (signer) signs a
 * cumulative usage receipt for the UsageMeter: "this licence may be charged up to a running total of `cap` credits
 * until the deadline". `--amount` is the credits used now, so the receipt charges up to `settled + amount`; `--cap`
 * (default: that total) authorises more ahead of use. Prints the JSON `ws settle` takes (a list of these).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { receiptDomain, signReceipt } from "../sdk/index.js";
import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { chainNow, context, licenceId, type CommonArgs } from "./lib/context.js";

const MAX_UINT64 = 2n ** 64n - 1n;

interface Args extends CommonArgs {
  licenceId: string;
  cap: string;
  amount: string;
  validFor: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.amount === "" && args.cap === "")
    throw new TaskInputError("--amount: expected the credits used (or --cap, the running total to authorise)");
  const amount = uint("amount", args.amount === "" ? "0" : args.amount, MAX_UINT64);
  const ctx = await context(hre, args);
  const id = await licenceId(ctx, args.licenceId);
  const owner = await ctx.licenses.ownerOf(id);
  if (owner !== ctx.signer.address)
    throw new TaskInputError(`--signer: ${ctx.signer.address} does not hold licence #${id} (${owner} does)`);
  const { settled } = await ctx.meter.usageOf(id);
  const total = settled + amount;
  if (total > MAX_UINT64)
    throw new TaskInputError(
      `--amount: ${settled} credits are settled already; expected at most ${MAX_UINT64 - settled}`,
    );
  const cap = args.cap === "" ? total : uint("cap", args.cap, MAX_UINT64);
  if (cap < total)
    throw new TaskInputError(`--cap: expected at least ${total} (${settled} settled so far + --amount ${amount})`);
  if (cap <= settled)
    throw new TaskInputError(`--cap: expected more than ${settled}, the credits settled so far on licence #${id}`);
  // The meter accepts deadlines at most RECEIPT_WINDOW after the signer stops holding the licence live.
  const window = await ctx.meter.RECEIPT_WINDOW();
  const validFor = uint("valid-for", args.validFor === "" ? "3600" : args.validFor, window);
  if (validFor === 0n) throw new TaskInputError("--valid-for: expected at least 1 second");
  const now = await chainNow(ctx);
  const deadline = now + validFor;
  const { expiry } = await ctx.licenses.licence(id);
  if (expiry !== 0n && deadline > expiry + window) {
    throw new TaskInputError(
      `--valid-for: licence #${id} expires at ${expiry}; a receipt may run at most ${window} s past that (until ${expiry + window})`,
    );
  }
  const receipt = await signReceipt(
    ctx.signer,
    await receiptDomain(ctx.meter),
    { licenceId: id, cap, deadline },
    total,
  );
  output(true, receipt, () => "");
});
