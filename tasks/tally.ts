/**
 * `ws tally --model-id N`: what to enter in Tally to add the model's DAO (chain, governor, token, start block), and
 * the model's proposals and delegates as Tally will show them, rebuilt from chain events by governance/tally.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { indexModel } from "../governance/tally/index.js";
import { table } from "../sdk/index.js";
import { action, output } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { registrationBlock } from "./lib/tally.js";

interface Args extends CommonArgs {
  modelId: string;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const startBlock = await registrationBlock(ctx, m);
  const network = await ctx.connection.ethers.provider.getNetwork();
  const governor = await m.governor.getAddress();
  const token = await m.votes.getAddress();
  const view = await indexModel(ctx.connection.ethers.provider, { governor, token, fromBlock: startBlock });
  const addDao = {
    chain: `eip155:${network.chainId}`,
    chainName: network.name,
    governor,
    governorType: "OpenZeppelin Governor",
    token,
    tokenType: "ERC-20; ModelVotes: EIP-5805 votes, timestamp clock",
    startBlock,
  };
  output(args.json, { addDao, ...view }, () =>
    [
      `Add model #${m.modelId} to Tally (tally.xyz → Add a DAO):`,
      `  chain         ${addDao.chain} (${addDao.chainName})`,
      `  governor      ${governor}  (${addDao.governorType})`,
      `  token         ${token}  (${addDao.tokenType})`,
      `  start block   ${startBlock}`,
      "",
      `Tally view (from events up to block ${view.at.block}): ${view.governor.name}, quorum ${view.governor.quorum}, ` +
        `supply ${view.governor.token.supply} ${view.governor.token.symbol}`,
      view.proposals.length === 0
        ? "no proposals yet"
        : table(
            ["proposal", "status", "for", "against", "abstain", "quorum", "title"],
            view.proposals.map((p) => [
              `${p.onchainId.slice(0, 10)}…`,
              p.status,
              p.voteStats[1].votesCount,
              p.voteStats[0].votesCount,
              p.voteStats[2].votesCount,
              p.quorum,
              p.metadata.title,
            ]),
          ),
      table(
        ["delegate", "votes", "delegators"],
        view.delegates.map((d) => [d.account.address, d.votesCount, d.delegatorsCount]),
      ),
    ].join("\n"),
  );
});
