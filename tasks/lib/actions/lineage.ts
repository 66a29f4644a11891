/**
 * `ws propose` actions on derivative models (issue #15):
 * - register-derivative --licences 3,4: the treasury registers its model as a derivative of the models whose
 *   derivative licences it holds (one per parent; `ws buy --recipient TREASURY` buys one for it). Its parents then
 *   take their shares of every payment into the model, and its licences must cost at least their floor.
 * Every check the lineage registry makes of the model and the licences is made first with the treasury as the
 * registrant and holder (client/lineage.ts `derivativeProblem`), so a proposal that could not run is not filed.
 */
import { derivativeProblem } from "../../../client/lineage.js";
import { registerDerivative } from "../../../governance/index.js";
import { TaskInputError } from "../cli.js";
import { licencesArg, lineageRequired } from "../lineage.js";
import type { Build } from "./common.js";

export const LINEAGE_ACTIONS: Record<string, Build> = {
  "register-derivative": async (ctx, m, args) => {
    const treasury = await m.timelock.getAddress();
    const whose = `the treasury of model #${m.modelId} holds`;
    const licenceIds = licencesArg(args.licences, whose, `ws licences --account ${treasury} lists them`);
    const lineage = await lineageRequired(ctx);
    const problem = await derivativeProblem(
      { registry: ctx.registry, licenses: ctx.licenses, vault: ctx.vault, lineage },
      treasury,
      m.modelId,
      licenceIds,
      whose,
    );
    if (problem !== null) {
      const [field, message] = problem;
      throw new TaskInputError(`--${field === "licences" ? "licences" : "model-id"}: ${message}`);
    }
    return registerDerivative({ lineage, modelId: m.modelId, licenceIds, description: args.description });
  },
};
