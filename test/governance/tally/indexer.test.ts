/**
 * The Tally indexer rebuilds a model's governor, proposals and delegates from events alone. After a full set of
 * lifecycles on the simulated chain (executed, defeated, cancelled, active, expired, pending, quorum-starved), every
 * proposal's status, vote stats and quorum and every delegate's power are cross-checked with the chain's own
 * `state`, `proposalVotes`, `quorum` and `getVotes`, at several moments.
 */
import { expect } from "chai";
import hre from "hardhat";

import { issueFractions, spendEth, spendFractions } from "../../../governance/index.js";
import { PROPOSAL_STATES, indexModel, type TallyView } from "../../../governance/tally/index.js";
import { GovernanceHelper, VoteType } from "../../helpers/governance.js";
import { protocolWithModel } from "../../helpers/fixtures.js";

describe("Tally indexer (events → Tally view)", function () {
  async function setup() {
    const connection = await hre.network.create();
    const { ethers, networkHelpers } = connection;
    const fx = await protocolWithModel(ethers);
    const fromBlock = await ethers.provider.getBlockNumber();
    const timelock = await fx.model.timelock.getAddress();
    await fx.admin.sendTransaction({ to: timelock, value: ethers.parseEther("3") });
    const make = (n: number) =>
      new GovernanceHelper(
        fx.model.governor,
        spendEth({
          to: fx.outsider.address,
          amount: BigInt(n),
          description: `# Spend ${n} wei\nProposal number ${n}.`,
        }),
        networkHelpers,
      );
    const view = () =>
      indexModel(ethers.provider, {
        governor: fx.model.governor.target as string,
        token: fx.model.votes.target as string,
        fromBlock,
      });
    return { ...fx, ethers, networkHelpers, make, view, fromBlock };
  }

  /** Every indexed proposal and delegate equals what the contracts answer right now. */
  async function crossCheck(fx: Awaited<ReturnType<typeof setup>>, v: TallyView, voters: string[]) {
    const { governor, votes } = fx.model;
    for (const p of v.proposals) {
      const onchain = PROPOSAL_STATES[Number(await governor.state(p.onchainId))].toLowerCase();
      expect(p.status, `status of ${p.metadata.title}`).to.equal(onchain);
      const [against, forVotes, abstain] = await governor.proposalVotes(p.onchainId);
      expect(p.voteStats.map((s) => [s.type, s.votesCount])).to.deep.equal([
        ["against", against.toString()],
        ["for", forVotes.toString()],
        ["abstain", abstain.toString()],
      ]);
      expect(p.end.timestamp).to.equal(Number(await governor.proposalDeadline(p.onchainId)));
      expect(p.start.timestamp).to.equal(Number(await governor.proposalSnapshot(p.onchainId)));
      if (BigInt(p.start.timestamp) < BigInt(v.at.timestamp)) {
        expect(p.quorum).to.equal((await governor.quorum(p.start.timestamp)).toString());
      }
    }
    for (const account of voters) {
      const d = v.delegates.find((x) => x.account.address === account);
      expect(BigInt(d?.votesCount ?? 0), `votes of ${account}`).to.equal(await votes.getVotes(account));
    }
    expect(v.governor.token.supply).to.equal((await votes.totalSupply()).toString());
  }

  it("matches state, proposalVotes, quorum and getVotes through every lifecycle", async function () {
    const fx = await setup();
    const { labA, labB, labC, outsider, make, view, networkHelpers, model, shares } = fx;
    const voters = [labA.address, labB.address, labC.address, outsider.address];
    await model.votes.connect(labC).delegate(labB.address);

    const executed = make(1);
    const defeated = make(2);
    const canceled = make(3);
    const expired = make(4);
    await executed.propose(labA);
    await defeated.propose(labA);
    await canceled.propose(labB);
    await expired.propose(labB);
    await canceled.cancel(labB);
    await crossCheck(fx, await view(), voters); // pending and canceled

    await executed.waitForSnapshot();
    await executed.vote(labA, VoteType.For);
    await defeated.vote(labA, VoteType.Against);
    await defeated.vote(labB, VoteType.For);
    await expired.vote(labB, VoteType.Abstain);
    await expired.vote(labA, VoteType.For);
    // A holder moves fractions mid-vote: the delegates' power changes, the proposals' weights do not.
    await shares.connect(labA).safeTransferFrom(labA.address, outsider.address, model.modelId, 100n, "0x");
    await crossCheck(fx, await view(), voters); // active

    await executed.waitForDeadline();
    await crossCheck(fx, await view(), voters); // succeeded / defeated
    await executed.queue();
    await executed.waitForEta(1n);
    await executed.execute();
    const late = make(5);
    await late.propose(outsider);
    let v = await view();
    await crossCheck(fx, v, voters); // executed, pending

    await networkHelpers.time.increase(15n * 86400n);
    v = await view();
    await crossCheck(fx, v, voters); // expired; the late one defeated for want of quorum
    // Read in 3-block requests (as against an RPC that caps eth_getLogs ranges): the same view.
    const chunked = await indexModel(fx.ethers.provider, {
      governor: fx.model.governor.target as string,
      token: fx.model.votes.target as string,
      fromBlock: fx.fromBlock,
      toBlock: v.at.block,
      maxBlockRange: 3,
    });
    expect(chunked.proposals).to.deep.equal(v.proposals);
    const byTitle = Object.fromEntries(v.proposals.map((p) => [p.metadata.title, p.status]));
    expect(byTitle).to.deep.equal({
      "Spend 1 wei": "executed",
      "Spend 2 wei": "defeated",
      "Spend 3 wei": "canceled",
      "Spend 4 wei": "expired",
      "Spend 5 wei": "defeated",
    });
    expect(v.governor.proposalStats).to.deep.equal({ total: 5, active: 0, failed: 4, passed: 1 });
    const first = v.proposals[0];
    expect(first.metadata.description).to.equal("Proposal number 1.");
    expect(first.executableCalls).to.deep.equal([
      { target: outsider.address, value: "1", calldata: "0x", signature: "" },
    ]);
    expect(first.eta).to.equal(Number(await model.governor.proposalEta(first.onchainId)));
    const forStat = first.voteStats.find((s) => s.type === "for")!;
    expect([forStat.votersCount, forStat.percent]).to.deep.equal([1, 100]);
  });

  it("shows the votable supply as the token supply while the treasury issues, spends and receives fractions", async function () {
    const fx = await setup();
    const { shares, model, labA, labB, outsider, view, networkHelpers } = fx;
    const treasury = await model.timelock.getAddress();
    const voters = [labA.address, labB.address, outsider.address];
    const issue = await issueFractions({
      shares,
      modelId: model.modelId,
      to: treasury,
      amount: 400n,
      description: "Reserve",
    });
    await new GovernanceHelper(model.governor, issue, networkHelpers).pass(labA, [labA, labB]);
    expect(await shares["totalSupply(uint256)"](model.modelId)).to.equal(1400n);
    let v = await view();
    expect(v.governor.token.supply).to.equal("1000", "treasury fractions are not in the ERC-20 supply");
    await crossCheck(fx, v, voters);
    const grant = await spendFractions({
      shares,
      timelock: model.timelock,
      modelId: model.modelId,
      to: outsider.address,
      amount: 60n,
      description: "Grant",
    });
    await new GovernanceHelper(model.governor, grant, networkHelpers).pass(labA, [labA, labB]);
    await shares.connect(labB).safeTransferFrom(labB.address, treasury, model.modelId, 100n, "0x");
    v = await view();
    expect(v.governor.token.supply).to.equal("960");
    expect(v.governor.quorum).to.equal(((960n * 4n) / 100n).toString());
    await crossCheck(fx, v, voters);
  });

  it("describes the governor and token as Tally does (CAIP ids, delegates by power)", async function () {
    const fx = await setup();
    const { labA, labB, labC, model, view } = fx;
    await model.votes.connect(labC).delegate(labB.address);
    await model.votes.connect(labA).delegate(labB.address);
    const v = await view();
    const chain = (await fx.ethers.provider.getNetwork()).chainId;
    expect(v.governor).to.deep.include({
      id: `eip155:${chain}:${model.governor.target}`,
      chainId: `eip155:${chain}`,
      name: await model.governor.name(),
      kind: "openzeppelingovernor",
      timelockId: `eip155:${chain}:${model.timelock.target}`,
    });
    expect(v.governor.token).to.deep.equal({
      id: `eip155:${chain}/erc20:${model.votes.target}`,
      type: "ERC20",
      name: await model.votes.name(),
      symbol: await model.votes.symbol(),
      decimals: 0,
      supply: "1000",
    });
    expect(v.delegates[0]).to.deep.equal({
      account: { address: labB.address },
      votesCount: "1000",
      delegatorsCount: 3,
    });
    expect(v.governor.quorum).to.equal(
      (((await model.votes.votableSupply()) * (await model.governor["quorumNumerator()"]())) / 100n).toString(),
    );
  });
});
