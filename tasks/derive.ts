/**
 * `ws derive --model-id N --licences 3,4`: registers new model N as a derivative of the models whose derivative
 * licences the signer holds (one licence per parent), as the model's creator while it holds every fraction (its
 * treasury does the same by vote: ws propose --action register-derivative, or with --safe when it is a Safe).
 * Everything the lineage registry checks in the model and the licences is checked first (client/lineage.ts
 * `derivativeProblem`: each licence exists, is the signer's, is live, is a derivative licence and has registered
 * nothing yet; the model is new; the creator holds every fraction; the parents' shares stay within the cap), and
 * refused in one line naming the argument, with nothing sent; the registry's own refusals (the depth and routes
 * caps, parents' floors in different tokens) come back in plain words from the simulation. Prints the parents, the
 * share of every payment into the model each takes, and the least the model's licences must cost from now on.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bpsPercent, derivativeProblem, derivativeRegistrations, type LineageParent } from "../client/lineage.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { actor, context, model, type CommonArgs } from "./lib/context.js";
import { licencesArg, lineageRequired } from "./lib/lineage.js";
import { send } from "./lib/send.js";
import { money } from "./lib/tokens.js";
import { tokenInfo } from "./lib/units.js";

interface Args extends CommonArgs {
  modelId: string;
  licences: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  if (args.modelId === "") {
    throw new TaskInputError("--model-id: expected the id of the new model to register as a derivative");
  }
  const licenceIds = licencesArg(args.licences);
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const lineage = await lineageRequired(ctx);
  const { account, option } = actor(ctx);
  const problem = await derivativeProblem(
    { registry: ctx.registry, licenses: ctx.licenses, vault: ctx.vault, lineage },
    account,
    m.modelId,
    licenceIds,
  );
  if (problem !== null) {
    const [field, message] = problem;
    throw new TaskInputError(`--${{ model: "model-id", licences: "licences", account: option }[field]}: ${message}`);
  }
  const receipt = await send(ctx, lineage, "registerDerivative", [m.modelId, licenceIds], { argument: "licences" });
  const registered = derivativeRegistrations(receipt?.logs ?? [], await lineage.getAddress()).find(
    (r) => r.modelId === m.modelId,
  );
  if (registered === undefined) throw new TaskInputError("--licences: mined, but the registry recorded no derivative");
  const name = async (id: bigint) => (await ctx.registry.model(id)).name;
  const parents: (LineageParent & { name: string; share: string })[] = [];
  for (const p of registered.parents) {
    parents.push({ ...p, name: await name(p.modelId), share: bpsPercent(p.shareBps) });
  }
  const parentShareBps = parents.reduce((sum, p) => sum + p.shareBps, 0n);
  const floor =
    registered.floor.price === 0n ? null : money(registered.floor.price, await tokenInfo(ctx, registered.floor.token));
  const [depth, routes] = await lineage.depthOf(m.modelId);
  output(
    args.json,
    {
      modelId: m.modelId,
      name: await name(m.modelId),
      registrant: registered.registrant,
      parents,
      parentShareBps,
      parentShare: bpsPercent(parentShareBps),
      floor,
      depth,
      routes,
      transactionHash: receipt?.hash,
    },
    () =>
      [
        `registered model #${m.modelId} as a derivative of:`,
        ...parents.map((p) => `  #${p.modelId} "${p.name}": ${p.share} of its revenue (licence #${p.licenceId})`),
        `its parents take ${bpsPercent(parentShareBps)} of every payment into it, before its own split`,
        floor === null
          ? "no price floor: its licences may cost anything"
          : `price floor: its licences must cost at least ${floor.formatted}`,
      ].join("\n"),
  );
});
