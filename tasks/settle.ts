/** `ws settle --receipts FILE`: the model's operator (signer) settles signed usage receipts in one transaction. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, contractError, jsonFile, output, TaskInputError, uint } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";

interface Args extends CommonArgs {
  receipts: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.receipts === "") throw new TaskInputError("--receipts: expected a JSON file with a list of signed receipts");
  const list = jsonFile("receipts", args.receipts);
  if (!Array.isArray(list) || list.length === 0)
    throw new TaskInputError(`--receipts: expected a non-empty list in ${args.receipts}`);
  const receipts = list.map((r: Record<string, unknown>, i: number) => {
    if (typeof r.signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(r.signature)) {
      throw new TaskInputError(`--receipts: receipt ${i} has no hex "signature"`);
    }
    return {
      licenceId: uint(`receipts[${i}].licenceId`, String(r.licenceId)),
      amount: uint(`receipts[${i}].amount`, String(r.amount)),
      nonce: uint(`receipts[${i}].nonce`, String(r.nonce)),
      deadline: uint(`receipts[${i}].deadline`, String(r.deadline)),
      signature: r.signature,
    };
  });
  const ctx = await context(hre, args);
  try {
    await ctx.licenses.settleUsage.staticCall(receipts);
  } catch (error) {
    throw new TaskInputError(
      `--receipts: the licence manager refuses them: ${contractError(ctx.licenses.interface, error)}`,
    );
  }
  const receipt = await (await ctx.licenses.settleUsage(receipts)).wait();
  output(
    args.json,
    { settled: receipts.length, gasUsed: receipt?.gasUsed },
    () => `settled ${receipts.length} receipts (${receipt?.gasUsed} gas)`,
  );
});
