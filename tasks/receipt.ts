/** `ws receipt --licence-id L --amount N [--valid-for SECONDS]`: the licence holder (signer) signs a usage receipt. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { receiptDomain, signReceipt } from "../sdk/index.js";
import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { context, licenceId, type CommonArgs } from "./lib/context.js";

interface Args extends CommonArgs {
  licenceId: string;
  amount: string;
  nonce: string;
  validFor: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const id = await licenceId(ctx, args.licenceId);
  const amount = uint("amount", args.amount, 2n ** 64n - 1n);
  const owner = await ctx.licenses.ownerOf(id);
  if (owner !== ctx.signer.address)
    throw new TaskInputError(`--signer: ${ctx.signer.address} does not hold licence #${id} (${owner} does)`);
  const l = await ctx.licenses.licence(id);
  const nonce = args.nonce === "" ? l.nonce : uint("nonce", args.nonce, 2n ** 32n - 1n);
  const now = BigInt((await ctx.connection.ethers.provider.getBlock("latest"))!.timestamp);
  const deadline = now + uint("valid-for", args.validFor === "" ? "3600" : args.validFor, 365n * 86400n);
  const receipt = await signReceipt(ctx.signer, await receiptDomain(ctx.licenses), {
    licenceId: id,
    amount,
    nonce,
    deadline,
  });
  output(true, receipt, () => "");
});
