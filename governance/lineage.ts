/**
 * The typed proposal builder for derivative models (issue #15) that a model's treasury makes by vote: registering
 * the model as a derivative of the models whose derivative licences the treasury holds (one licence per parent).
 * The lineage registry takes the model's treasury as the registrant, or its creator only while the creator holds
 * every fraction; a model whose fractions others hold (or whose licences were bought for its treasury) registers
 * this way. The task (`ws propose --action
 * register-derivative`), tests and the demo share it, so a proposal built in a test is the bytes a task sends.
 */
import { registerDerivativeCall } from "../client/lineage.js";
import type { IModelLineage, ModelLineage } from "../types/ethers-contracts/index.js";
import type { Proposal } from "./proposals.js";

/**
 * Register `modelId` as a derivative through `licenceIds`, as the model's treasury (which must hold every licence
 * when the proposal executes). Its parents then take their shares of every payment into the model, and its
 * licences must cost at least the floor its parents' licences set.
 */
export async function registerDerivative(args: {
  lineage: IModelLineage | ModelLineage;
  modelId: bigint;
  licenceIds: readonly bigint[];
  description: string;
}): Promise<Proposal> {
  if (args.licenceIds.length === 0) throw new Error("registerDerivative: expected at least one licence");
  const call = registerDerivativeCall(await args.lineage.getAddress(), args.modelId, args.licenceIds);
  return { targets: [call.to], values: [call.value], calldatas: [call.data], description: args.description };
}
