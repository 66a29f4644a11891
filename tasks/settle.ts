/**
 * `ws settle --receipts FILE`: the model's operator (signer) settles cumulative usage receipts (`ws receipt`) on the
 * UsageMeter in one transaction. Each charges its licence `total - settled` credits; an empty signature ("0x")
 * reuses the widest authorisation the meter already verified for that licence.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { action, address, jsonFile, output, TaskInputError, uint } from "./lib/cli.js";
import { context, type CommonArgs } from "./lib/context.js";
import { send } from "./lib/send.js";

interface Args extends CommonArgs {
  receipts: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.receipts === "") throw new TaskInputError("--receipts: expected a JSON file with a list of signed receipts");
  const list = jsonFile("receipts", args.receipts);
  if (!Array.isArray(list) || list.length === 0)
    throw new TaskInputError(`--receipts: expected a non-empty list in ${args.receipts}`);
  const receipts = list.map((r: Record<string, unknown>, i: number) => {
    if (typeof r.signature !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(r.signature)) {
      throw new TaskInputError(`--receipts: receipt ${i} has no hex "signature" ("0x" to reuse a verified one)`);
    }
    return {
      licenceId: uint(`receipts[${i}].licenceId`, String(r.licenceId)),
      signer: address(`receipts[${i}].signer`, String(r.signer)),
      cap: uint(`receipts[${i}].cap`, String(r.cap), 2n ** 64n - 1n),
      deadline: uint(`receipts[${i}].deadline`, String(r.deadline), 2n ** 48n - 1n),
      total: uint(`receipts[${i}].total`, String(r.total), 2n ** 64n - 1n),
      signature: r.signature,
    };
  });
  const ctx = await context(hre, args);
  const receipt = await send(ctx, ctx.meter, "settle", [receipts], { argument: "receipts" });
  const settled = (receipt?.logs ?? [])
    .map((log) => ctx.meter.interface.parseLog(log))
    .filter((e) => e?.name === "UsageSettled")
    .map((e) => ({
      licenceId: e!.args.licenceId as bigint,
      charged: e!.args.charged as bigint,
      settled: e!.args.settled as bigint,
      creditsLeft: e!.args.creditsLeft as bigint,
    }));
  const charged = settled.reduce((sum, s) => sum + s.charged, 0n);
  output(
    args.json,
    { settled: receipts.length, charged, licences: settled, gasUsed: receipt?.gasUsed },
    () =>
      `settled ${receipts.length} receipts: charged ${charged} credits (${receipt?.gasUsed} gas)\n` +
      settled
        .map((s) => `licence #${s.licenceId}: charged ${s.charged}, ${s.settled} settled in all, ${s.creditsLeft} left`)
        .join("\n"),
  );
});
