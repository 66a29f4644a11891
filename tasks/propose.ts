/**
 * `ws propose --model-id N --action ACTION [action options] --description TEXT`: proposes a governed action, built
 * with the same `governance/` builders tests and the demo use, checked before anything is sent (bounds, sums,
 * balances, offers and tokens that exist), then simulated and sent through `send`. Amounts are in the asset's own
 * units (ETH, the token's decimals); durations take `7d`, `12h`, `90m`. Actions:
 * - issue-fractions --to ADDRESS --amount N
 * - spend-eth --to ADDRESS --amount ETH; spend-erc20 --token T --to ADDRESS --amount UNITS (in the token's units);
 *   spend-fractions --to ADDRESS --amount N (treasury fractions). When the treasury holds less than it sends now,
 *   refused unless --force (`ws release-treasury` pays the treasury its cut from the vault).
 * - add-offer --price P [--token T] [--days D] [--credits N] [--cap N] [--transferable] [--derivatives]
 *   [--commercial-use yes|no] --terms-uri URI [--terms-file PATH] [--terms-hash 0x…]: a licence offer, on sale,
 *   priced in ETH or in ERC-20 T (refused unless --force when the model does not accept T: purchases would revert).
 *   --days is a duration, a bare number in days, 0 = perpetual; --cap 0 = unlimited.
 * - set-price --offer-id N --price P (in the offer's token); withdraw-offer --offer-id N; put-on-sale --offer-id N
 * - set-split --contributors-bps N --holders-bps N (contributors + holders <= 10,000 bps; the treasury takes the rest)
 * - set-contributors --contributors ADDRESS:SHARES,ADDRESS:SHARES (each once, at least 1 share)
 * - allow-eth; allow-token --token T; remove-token --token T (the payment tokens the model accepts)
 * - set-unlock-window --days D (how long the holders' cut of each payment takes to unlock: 1 hour to 365 days)
 * - recover-token --token T (a token the model does not accept, stuck in its royalty receiver, to the treasury)
 * - update-metadata --uri URI [--file PATH] [--content-hash 0x…]
 * - set-royalty --to RECEIVER --amount BPS (the zero address removes it)
 * - set-guardian --to ADDRESS (the zero address removes it); set-operator --to ADDRESS (the model's gateway)
 * - change-setting --setting NAME --amount VALUE: votingDelay, votingPeriod, lateQuorumExtension, timelockDelay
 *   (durations with their unit: `2d`, `12h`, `3600s`; a bare number is refused), quorumNumerator (percent), proposalThreshold (votes, at most
 *   the votable supply), each within GovernanceBounds.
 * - open-raise --price P [--token T] --goal N --cap N [--account-cap N] [--opens TIME] --closes TIME --terms FILE
 *   [--tranches 30,30,40] [--seat-price P --seats N --access-deadline TIME] [--allowlist FILE]: grants the Raises
 *   contract minting of the cap and opens a raise (tasks/lib/actions/raises.ts); cancel-raise, release-tranche,
 *   fail-milestone --raise-id N; set-access-offer --raise-id N --offer-id O
 * - open-sale --amount N --price P [--end-price P] [--token T] [--opens TIME] --closes TIME: lets the FractionSales
 *   contract move treasury fractions and opens a sale (tasks/lib/actions/sales.ts); stop-sale --sale-id N
 * - attest-provenance --manifest-hash 0x… --kind training-data|evaluation|model-card --uri URI: the treasury attests
 *   on EAS to what a model version's manifest hash stands for; revoke-provenance --uid 0x…; set-evaluator --to
 *   ADDRESS [--remove]: names (or drops) an evaluator who attests without a vote (tasks/lib/actions/attestations.ts)
 * - register-derivative --licences 3,4: registers the model as a derivative through derivative licences its treasury
 *   holds, one per parent (tasks/lib/actions/lineage.ts)
 *
 * Content hashes (`--terms-hash`, `--content-hash`) are keccak256 of the document's exact bytes: read from
 * --terms-file / --file, or else from the URI when it is file://, a local path or http(s)://. A hash given as well
 * must match; when the document cannot be read (ipfs:// with no gateway) the hash given is used as is.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { descriptionHash, withProposer } from "../governance/index.js";
import { ACTIONS, BUILDERS, type ProposeArgs } from "./lib/actions/index.js";
import { action, confirm, oneOf, output, TaskInputError } from "./lib/cli.js";
import { chainNow, context, model } from "./lib/context.js";
import { describeCalls, oneLine, protocolView } from "./lib/describe.js";
import { shortId } from "./lib/errors.js";
import { send } from "./lib/send.js";
import { firstRefusedCall, shortfalls, shortfallText } from "./lib/treasury.js";
import { timeText } from "./lib/units.js";

export default action(async (args: ProposeArgs, hre: HardhatRuntimeEnvironment) => {
  const data = await fileProposal(args, hre);
  output(args.json, data, () => proposalText(data));
});

/** What `fileProposal` filed: what `ws propose --json` prints. */
export type FiledProposal = Awaited<ReturnType<typeof fileProposal>>;

/**
 * Checks, simulates and files the proposal `args` describe (the whole of `ws propose` but its printing), for other
 * tasks that file one (`ws publish --propose`). Throws `TaskInputError` for a bad argument, naming it.
 */
export async function fileProposal(args: ProposeArgs, hre: HardhatRuntimeEnvironment) {
  const act = oneOf("action", args.action, ACTIONS);
  if (args.description.trim() === "") throw new TaskInputError("--description: expected a non-empty description");
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const proposer = ctx.safe ?? ctx.signer.address;
  // The proposer's address in the description: nobody can front-run it with a copy.
  const proposal = withProposer(await BUILDERS[act](ctx, m, args), proposer);
  const calls = await describeCalls(ctx, await protocolView(ctx, m), proposal);
  // A spend the treasury cannot pay now: refused unless --force (it may be paid before execution, e.g. by
  // ws release-treasury). The same check as ws execute's, on what the built proposal really sends.
  for (const s of await shortfalls(ctx, m, calls, proposal.values)) {
    confirm(args, "amount", await shortfallText(ctx, m, s, "this proposal"));
  }

  const votes = await m.votes.getVotes(proposer);
  const threshold = await m.governor.proposalThreshold();
  if (votes < threshold) {
    throw new TaskInputError(`--signer: ${proposer} has ${votes} votes; proposing needs ${threshold}`);
  }
  // The governor counts the votes held a second before the block it runs in: votes that arrived in the latest block
  // count from the next one.
  const now = await chainNow(ctx);
  const past = await m.votes.getPastVotes(proposer, now - 1n);
  if (past < threshold) {
    throw new TaskInputError(
      `--signer: ${proposer} has held ${votes} votes only since the latest block (${timeText(now)}); proposing counts the votes held before it (${past}), so retry after the next block`,
    );
  }
  const refused = await firstRefusedCall(ctx, m, proposal);
  if (refused !== null) {
    confirm(
      args,
      "action",
      `executed now, call ${refused.index + 1} (${oneLine([calls[refused.index]])}) would be refused: ${refused.reason}`,
    );
  }

  await send(
    ctx,
    m.governor,
    "propose",
    [proposal.targets, proposal.values, proposal.calldatas, proposal.description],
    {
      argument: "description",
    },
  );
  const proposalId = await m.governor.getProposalId(
    proposal.targets,
    proposal.values,
    proposal.calldatas,
    descriptionHash(proposal),
  );
  const data = {
    modelId: m.modelId,
    proposalId,
    shortId: shortId(proposalId),
    action: act,
    calls,
    snapshot: await m.governor.proposalSnapshot(proposalId),
    deadline: await m.governor.proposalDeadline(proposalId),
  };
  return data;
}

/** `ws propose`'s lines for a filed proposal. */
export function proposalText(data: FiledProposal): string {
  return [
    `proposed ${data.action} on model #${data.modelId}: proposal ${data.shortId} (ws proposal shows the full id)`,
    ...data.calls.map((c) => `  ${oneLine([c])}`),
    `voting opens ${timeText(data.snapshot)}, closes ${timeText(data.deadline)}`,
  ].join("\n");
}
