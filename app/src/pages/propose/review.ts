/**
 * Building a proposal from the form and reading it back: the action's builder makes the calls, the decoder
 * (governance/decode.ts) turns them into the sentences `ws proposal` prints, and the proposer's votes are checked
 * against the governor's threshold, all before the wallet opens.
 */
import { keccak256, toBytes, type Address } from "viem";
import { getBlock } from "wagmi/actions";

import { decodeCalls, tokensUsed, type DecodedCall } from "../../../../governance/decode.ts";
import { withProposer, type Proposal } from "../../../../governance/proposals.ts";
import { modelGovernorAbi, modelVotesAbi } from "../../generated.ts";
import type { ActionSpec, Values } from "./action.ts";
import { protocolView, read, tokenUnits, type ProposeContext } from "./chain.ts";
import { bad, type TokenUnits } from "./fields.ts";

/** A proposal ready to file: its calls in words, what to know first, and its id. */
export interface Reviewed {
  proposal: Proposal;
  calls: DecodedCall[];
  warnings: string[];
  proposalId: bigint;
}

export const DESCRIPTION = { name: "description", label: "Description" };

/** Builds and decodes the proposal the form describes; throws FieldError naming a bad field. */
export async function review(
  ctx: ProposeContext,
  spec: ActionSpec,
  values: Values,
  description: string,
  proposer: Address | undefined,
): Promise<Reviewed> {
  if (description.trim() === "") bad(DESCRIPTION, "expected a non-empty description");
  const warnings: string[] = [];
  const built = await spec.build(ctx, values, description, (message) => warnings.push(message));
  // The proposer's address in the description: nobody can front-run it with a copy (as `ws propose` does).
  const proposal = proposer === undefined ? built : withProposer(built, proposer);
  const tokens = new Map<string, TokenUnits>();
  for (const token of tokensUsed(proposal, protocolView(ctx, tokens))) {
    tokens.set(token.toLowerCase(), await tokenUnits(ctx, token as Address));
  }
  const calls = decodeCalls(proposal, protocolView(ctx, tokens));
  const proposalId = await read<bigint>(ctx, ctx.model.governor, modelGovernorAbi, "getProposalId", [
    proposal.targets,
    proposal.values,
    proposal.calldatas,
    keccak256(toBytes(proposal.description)),
  ]);
  return { proposal, calls, warnings, proposalId };
}

/**
 * Why `account` cannot propose now (too few votes, or votes that count only from the next block), or null. The
 * same sentences as `ws propose`.
 */
export async function proposerProblem(ctx: ProposeContext, account: Address): Promise<string | null> {
  const [votes, threshold] = await Promise.all([
    read<bigint>(ctx, ctx.model.votes, modelVotesAbi, "getVotes", [account]),
    read<bigint>(ctx, ctx.model.governor, modelGovernorAbi, "proposalThreshold"),
  ]);
  if (votes < threshold) {
    return `Your account ${account} has ${votes} votes; proposing needs ${threshold}. Holders can delegate their votes to you on the model's page.`;
  }
  const now = (await getBlock(ctx.wagmi, { chainId: ctx.chainId })).timestamp;
  const past = await read<bigint>(ctx, ctx.model.votes, modelVotesAbi, "getPastVotes", [account, now - 1n]);
  if (past < threshold) {
    return `Your account ${account} has held ${votes} votes only since the latest block; proposing counts the votes held before it (${past}), so try again after the next block.`;
  }
  return null;
}
