/**
 * Every action a model's holders govern, through the full Governor lifecycle (propose, vote, queue, execute) on
 * the simulated chain, built with the same `governance/` builders users run; plus every way a proposal can end.
 */
import { expect } from "chai";
import hre from "hardhat";

import {
  changeSettings,
  combine,
  issueFractions,
  setGuardian,
  setRoyalty,
  spendErc20,
  spendEth,
  spendFractions,
  updateMetadata,
} from "../../../governance/index.js";
import { protocolWithModel } from "../../helpers/fixtures.js";
import { GovernanceHelper, ProposalState, VoteType } from "../../helpers/governance.js";

const { ethers, networkHelpers } = await hre.network.create();
const DAY = 86400n;

async function fixture() {
  const f = await protocolWithModel(ethers);
  const token = await ethers.deployContract("TestToken", ["Test USD", "tUSD", 6]);
  await token.mint(await f.model.timelock.getAddress(), 1_000_000n);
  await f.admin.sendTransaction({ to: await f.model.timelock.getAddress(), value: ethers.parseEther("3") });
  return { ...f, token };
}

describe("ModelGovernor lifecycle", function () {
  describe("governed actions (each through propose, vote, queue, execute)", function () {
    it("issues new fractions to a new member, who then votes with them", async function () {
      const { shares, model, labA, labB, outsider } = await networkHelpers.loadFixture(fixture);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 250n,
        description: "Admit lab D",
      });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA, labB]);
      expect(await shares.balanceOf(outsider.address, model.modelId)).to.equal(250n);
      expect(await model.votes.getVotes(outsider.address)).to.equal(250n);
    });

    it("issues fractions to the treasury without adding votes or moving the quorum base", async function () {
      const { shares, model, labA } = await networkHelpers.loadFixture(fixture);
      const timelock = await model.timelock.getAddress();
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: timelock,
        amount: 400n,
        description: "Reserve for grants",
      });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect(await shares.balanceOf(timelock, model.modelId)).to.equal(400n);
      expect(await model.votes.votableSupply()).to.equal(1000n);
    });

    it("updates metadata URI and content hash in one proposal", async function () {
      const { shares, registry, model, labA } = await networkHelpers.loadFixture(fixture);
      const p = await updateMetadata({
        shares,
        registry,
        modelId: model.modelId,
        uri: "ipfs://vision-7b-v2",
        contentHash: ethers.id("v2"),
        description: "Release v2",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      await h.waitForSnapshot();
      await h.vote(labA);
      await h.waitForDeadline();
      await h.queue();
      await h.waitForEta();
      await expect(h.execute())
        .to.emit(shares, "URI")
        .withArgs("ipfs://vision-7b-v2", model.modelId)
        .and.to.emit(registry, "ContentHashUpdated");
      expect(await shares.uri(model.modelId)).to.equal("ipfs://vision-7b-v2");
      expect((await registry.model(model.modelId)).contentHash).to.equal(ethers.id("v2"));
    });

    it("sets the ERC-2981 royalty", async function () {
      const { shares, model, labA } = await networkHelpers.loadFixture(fixture);
      const timelock = await model.timelock.getAddress();
      const p = await setRoyalty({
        shares,
        modelId: model.modelId,
        receiver: timelock,
        feeBps: 250n,
        description: "2.5% royalty",
      });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect(await shares.royaltyInfo(model.modelId, 10_000n)).to.deep.equal([timelock, 250n]);
    });

    it("spends treasury ETH", async function () {
      const { model, labA, outsider } = await networkHelpers.loadFixture(fixture);
      const p = spendEth({ to: outsider.address, amount: ethers.parseEther("1"), description: "Pay for GPUs" });
      const before = await ethers.provider.getBalance(outsider.address);
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect(await ethers.provider.getBalance(outsider.address)).to.equal(before + ethers.parseEther("1"));
      expect(await ethers.provider.getBalance(await model.timelock.getAddress())).to.equal(ethers.parseEther("2"));
    });

    it("spends a treasury ERC-20", async function () {
      const { model, token, labA, outsider } = await networkHelpers.loadFixture(fixture);
      const p = await spendErc20({ token, to: outsider.address, amount: 123_456n, description: "Grant" });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect(await token.balanceOf(outsider.address)).to.equal(123_456n);
    });

    it("spends treasury fractions, which then carry votes", async function () {
      const { shares, model, labA, outsider } = await networkHelpers.loadFixture(fixture);
      const timelock = await model.timelock.getAddress();
      const mint = await issueFractions({
        shares,
        modelId: model.modelId,
        to: timelock,
        amount: 100n,
        description: "Reserve",
      });
      await new GovernanceHelper(model.governor, mint, networkHelpers).pass(labA, [labA]);
      const p = await spendFractions({
        shares,
        timelock: model.timelock,
        modelId: model.modelId,
        to: outsider.address,
        amount: 60n,
        description: "Reward a contributor",
      });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect(await shares.balanceOf(outsider.address, model.modelId)).to.equal(60n);
      expect(await model.votes.getVotes(outsider.address)).to.equal(60n);
      expect(await model.votes.votableSupply()).to.equal(1060n);
    });

    it("changes every governance setting in one proposal", async function () {
      const { model, labA } = await networkHelpers.loadFixture(fixture);
      const p = await changeSettings({
        governor: model.governor,
        timelock: model.timelock,
        change: {
          votingDelay: 7200n,
          votingPeriod: 5n * DAY,
          proposalThreshold: 10n,
          quorumNumerator: 20n,
          lateQuorumExtension: 2n * DAY,
          timelockDelay: 3n * DAY,
        },
        description: "Tighten governance",
      });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect(await model.governor.votingDelay()).to.equal(7200n);
      expect(await model.governor.votingPeriod()).to.equal(5n * DAY);
      expect(await model.governor.proposalThreshold()).to.equal(10n);
      expect(await model.governor["quorumNumerator()"]()).to.equal(20n);
      expect(await model.governor.lateQuorumVoteExtension()).to.equal(2n * DAY);
      expect(await model.timelock.getMinDelay()).to.equal(3n * DAY);
    });

    it("keeps settings within bounds even by vote: the out-of-bounds proposal fails at execution", async function () {
      const { model, labA } = await networkHelpers.loadFixture(fixture);
      const p = await changeSettings({
        governor: model.governor,
        timelock: model.timelock,
        change: { quorumNumerator: 0n },
        description: "No quorum",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      await h.waitForSnapshot();
      await h.vote(labA);
      await h.waitForDeadline();
      await h.queue();
      await h.waitForEta();
      await expect(h.execute())
        .to.be.revertedWithCustomError(model.governor, "GovernanceParameterOutOfBounds")
        .withArgs("quorumNumerator", 0n, 1n, 100n);
      expect(await model.governor["quorumNumerator()"]()).to.equal(4n);
    });
  });

  describe("how proposals end", function () {
    it("is defeated when more vote against", async function () {
      const { shares, model, labA, labB, outsider } = await networkHelpers.loadFixture(fixture);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "Contested",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labB);
      await h.waitForSnapshot();
      await h.vote(labA, VoteType.Against);
      await h.vote(labB, VoteType.For);
      await h.waitForDeadline();
      expect(await h.state()).to.equal(ProposalState.Defeated);
      await expect(h.queue()).to.be.revertedWithCustomError(model.governor, "GovernorUnexpectedProposalState");
    });

    it("is defeated when quorum is not reached", async function () {
      const { shares, model, labA, labC, outsider } = await networkHelpers.loadFixture(fixture);
      // 20% quorum: Lab C's 200 of 1000 reaches it; 199 For does not.
      const settings = await changeSettings({
        governor: model.governor,
        timelock: model.timelock,
        change: { quorumNumerator: 21n },
        description: "21% quorum",
      });
      await new GovernanceHelper(model.governor, settings, networkHelpers).pass(labA, [labA]);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "Low turnout",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labC);
      await h.waitForSnapshot();
      await h.vote(labC, VoteType.For);
      await h.waitForDeadline();
      expect(await model.governor.quorum(await model.governor.proposalSnapshot(h.id))).to.equal(210n);
      expect(await h.state()).to.equal(ProposalState.Defeated);
    });

    it("is cancelled by its proposer while pending, and then cannot be voted on", async function () {
      const { shares, model, labA, outsider } = await networkHelpers.loadFixture(fixture);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "Withdrawn",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      await h.cancel(labA);
      expect(await h.state()).to.equal(ProposalState.Canceled);
      await h.waitForSnapshot();
      await expect(h.vote(labA)).to.be.revertedWithCustomError(model.governor, "GovernorUnexpectedProposalState");
    });

    it("expires when not queued within the grace period", async function () {
      const { shares, model, labA, outsider } = await networkHelpers.loadFixture(fixture);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "Forgotten",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      await h.waitForSnapshot();
      await h.vote(labA);
      await h.waitForDeadline();
      expect(await h.state()).to.equal(ProposalState.Succeeded);
      await networkHelpers.time.increase(14n * DAY);
      expect(await h.state()).to.equal(ProposalState.Expired);
      await expect(h.queue()).to.be.revertedWithCustomError(model.governor, "GovernorUnexpectedProposalState");
    });

    it("expires when queued but not executed within the grace period after it became ready", async function () {
      const { shares, model, labA, outsider } = await networkHelpers.loadFixture(fixture);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "Stale",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      await h.waitForSnapshot();
      await h.vote(labA);
      await h.waitForDeadline();
      await h.queue();
      await h.waitForEta(14n * DAY + 1n);
      expect(await h.state()).to.equal(ProposalState.Expired);
      await expect(h.execute()).to.be.revertedWithCustomError(model.governor, "GovernorUnexpectedProposalState");
      expect(await shares.balanceOf(outsider.address, model.modelId)).to.equal(0n);
    });

    it("extends the deadline when quorum is reached late (PreventLateQuorum)", async function () {
      const { shares, model, labA, labC, outsider } = await networkHelpers.loadFixture(fixture);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "Sniped",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      const deadline = await model.governor.proposalDeadline(h.id);
      await networkHelpers.time.increaseTo(deadline - 10n);
      await expect(h.vote(labC)).to.emit(model.governor, "ProposalExtended");
      const extended = await model.governor.proposalDeadline(h.id);
      expect(extended).to.be.greaterThan(deadline);
      expect(extended).to.be.closeTo(deadline - 10n + DAY, 5n);
      await networkHelpers.time.increaseTo(deadline + 1n);
      expect(await h.state()).to.equal(ProposalState.Active, "still open after the original deadline");
    });
  });

  describe("guardian", function () {
    async function withGuardian() {
      const f = await protocolWithModel(ethers, { guardian: (await ethers.getSigners())[5].address });
      return f;
    }

    it("may cancel an active or queued proposal, but never execute it", async function () {
      const { shares, model, labA, guardian, outsider } = await networkHelpers.loadFixture(withGuardian);
      expect(await model.governor.proposalGuardian()).to.equal(guardian.address);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "Suspicious",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      await h.waitForSnapshot();
      await h.vote(labA);
      await h.waitForDeadline();
      await h.queue();
      await h.cancel(guardian);
      expect(await h.state()).to.equal(ProposalState.Canceled);
      await h.waitForEta();
      await expect(h.execute(guardian)).to.be.revertedWithCustomError(
        model.governor,
        "GovernorUnexpectedProposalState",
      );
      const second = new GovernanceHelper(model.governor, { ...p, description: "Again" }, networkHelpers);
      await second.propose(labA);
      await second.waitForSnapshot();
      await second.cancel(guardian);
      expect(await second.state()).to.equal(ProposalState.Canceled);
    });

    it("is removed by vote, and then cannot cancel", async function () {
      const { shares, model, labA, labB, guardian, outsider } = await networkHelpers.loadFixture(withGuardian);
      const removal = await setGuardian({
        governor: model.governor,
        guardian: ethers.ZeroAddress,
        description: "Remove guardian",
      });
      await new GovernanceHelper(model.governor, removal, networkHelpers).pass(labA, [labA, labB]);
      expect(await model.governor.proposalGuardian()).to.equal(ethers.ZeroAddress);
      const p = await issueFractions({
        shares,
        modelId: model.modelId,
        to: outsider.address,
        amount: 1n,
        description: "After removal",
      });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(labA);
      await h.waitForSnapshot();
      await expect(h.cancel(guardian)).to.be.revertedWithCustomError(model.governor, "GovernorUnableToCancel");
    });

    it("cannot cancel a proposal that changes the guardian, which then passes; it can cancel its own", async function () {
      const { shares, model, labA, labB, guardian, outsider } = await networkHelpers.loadFixture(withGuardian);
      const removal = await setGuardian({
        governor: model.governor,
        guardian: ethers.ZeroAddress,
        description: "Remove guardian",
      });
      const h = new GovernanceHelper(model.governor, removal, networkHelpers);
      await h.propose(labA);
      await expect(h.cancel(guardian))
        .to.be.revertedWithCustomError(model.governor, "ModelGovernorGuardianCannotCancel")
        .withArgs(h.id);
      await h.waitForSnapshot();
      await h.vote(labA);
      await h.vote(labB);
      await expect(h.cancel(guardian))
        .to.be.revertedWithCustomError(model.governor, "ModelGovernorGuardianCannotCancel")
        .withArgs(h.id);
      await h.waitForDeadline();
      await h.queue();
      await expect(h.cancel(guardian))
        .to.be.revertedWithCustomError(model.governor, "ModelGovernorGuardianCannotCancel")
        .withArgs(h.id);
      // Hidden among other calls it is still a guardian change.
      const bundled = combine("Grant and replace the guardian", [
        await issueFractions({ shares, modelId: model.modelId, to: outsider.address, amount: 1n, description: "g" }),
        await setGuardian({ governor: model.governor, guardian: outsider.address, description: "r" }),
      ]);
      const b = new GovernanceHelper(model.governor, bundled, networkHelpers);
      await b.propose(labB);
      await expect(b.cancel(guardian))
        .to.be.revertedWithCustomError(model.governor, "ModelGovernorGuardianCannotCancel")
        .withArgs(b.id);
      expect(await b.state()).to.equal(ProposalState.Pending);
      await h.waitForEta();
      await h.execute();
      expect(await model.governor.proposalGuardian()).to.equal(ethers.ZeroAddress);
      expect(await h.state()).to.equal(ProposalState.Executed);
    });

    it("may cancel a guardian change it proposed itself", async function () {
      const { model, guardian, outsider } = await networkHelpers.loadFixture(withGuardian);
      const p = await setGuardian({ governor: model.governor, guardian: outsider.address, description: "Hand over" });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.propose(guardian); // threshold 0: anyone may propose
      await h.waitForSnapshot();
      await h.cancel(guardian);
      expect(await h.state()).to.equal(ProposalState.Canceled);
    });

    it("is replaced by vote", async function () {
      const { model, labA, outsider } = await networkHelpers.loadFixture(withGuardian);
      const p = await setGuardian({
        governor: model.governor,
        guardian: outsider.address,
        description: "New guardian",
      });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect(await model.governor.proposalGuardian()).to.equal(outsider.address);
    });
  });
});
