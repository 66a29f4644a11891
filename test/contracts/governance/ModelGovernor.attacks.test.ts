/**
 * Hostile scenarios against model governance: flash-acquired votes, votes crossing models, quorum manipulation by
 * issuance, proposal front-running, re-initialisation of clones and implementations, moving the treasury away
 * from the model, and a proposal threshold no holder can reach.
 */
import { expect } from "chai";
import hre from "hardhat";

import { changeSettings, issueFractions, withProposer, type Proposal } from "../../../governance/index.js";
import { defaultGovernance, registerModel } from "../../../sdk/index.js";
import { protocolWithModel } from "../../helpers/fixtures.js";
import { GovernanceHelper, ProposalState, VoteType } from "../../helpers/governance.js";

const { ethers, networkHelpers } = await hre.network.create();

async function fixture() {
  return protocolWithModel(ethers);
}

describe("ModelGovernor attacks", function () {
  it("gives zero weight to fractions acquired and delegated after the snapshot", async function () {
    const { shares, model, labA, labB, outsider } = await networkHelpers.loadFixture(fixture);
    const p = await issueFractions({
      shares,
      modelId: model.modelId,
      to: outsider.address,
      amount: 1n,
      description: "Late buyer",
    });
    const h = new GovernanceHelper(model.governor, p, networkHelpers);
    await h.propose(labA);
    await h.waitForSnapshot();
    await shares.connect(labB).safeTransferFrom(labB.address, outsider.address, model.modelId, 300n, "0x");
    expect(await model.votes.getVotes(outsider.address)).to.equal(300n);
    await h.vote(outsider, VoteType.Against);
    const [against, forVotes] = await model.governor.proposalVotes(h.id);
    expect(against).to.equal(0n);
    expect(forVotes).to.equal(0n);
    // The seller still votes with what it held at the snapshot: votes follow the snapshot, never the present.
    await h.vote(labB, VoteType.For);
    expect((await model.governor.proposalVotes(h.id))[1]).to.equal(300n);
  });

  it("gives zero weight to a flash loan of fractions voted inside one transaction", async function () {
    const { shares, model, labA } = await networkHelpers.loadFixture(fixture);
    const p = await issueFractions({
      shares,
      modelId: model.modelId,
      to: labA.address,
      amount: 1n,
      description: "Flash",
    });
    const h = new GovernanceHelper(model.governor, p, networkHelpers);
    await h.propose(labA);
    await h.waitForSnapshot();
    const attacker = await ethers.deployContract("FlashVoter", [await model.governor.getAddress()]);
    await attacker.aim(h.id);
    // Lab A "lends" all 500 fractions: received, voted with, and returned in the same transaction.
    await shares.connect(labA).safeTransferFrom(labA.address, await attacker.getAddress(), model.modelId, 500n, "0x");
    expect(await attacker.voted()).to.equal(true);
    expect(await attacker.weightCounted()).to.equal(0n);
    expect((await model.governor.proposalVotes(h.id))[1]).to.equal(0n);
    expect(await shares.balanceOf(labA.address, model.modelId)).to.equal(500n);
  });

  it("does not move an active proposal's quorum when fractions are issued during the vote", async function () {
    const { shares, model, labA, labC, outsider } = await networkHelpers.loadFixture(fixture);
    const target = await issueFractions({
      shares,
      modelId: model.modelId,
      to: outsider.address,
      amount: 1n,
      description: "Target",
    });
    const dilute = await issueFractions({
      shares,
      modelId: model.modelId,
      to: outsider.address,
      amount: 100_000n,
      description: "Dilute",
    });
    const t = new GovernanceHelper(model.governor, target, networkHelpers);
    // The dilution passes first and executes while the target proposal is being voted on.
    const d = new GovernanceHelper(model.governor, dilute, networkHelpers);
    await d.propose(labA);
    await d.waitForSnapshot();
    await d.vote(labA);
    await d.waitForDeadline();
    await d.queue();
    await t.propose(labC);
    await t.waitForSnapshot();
    const snapshot = await model.governor.proposalSnapshot(t.id);
    const quorumBefore = await model.governor.quorum(snapshot);
    await d.waitForEta();
    await d.execute();
    expect(await shares["totalSupply(uint256)"](model.modelId)).to.equal(101_000n);
    expect(await model.governor.quorum(snapshot)).to.equal(quorumBefore);
    expect(quorumBefore).to.equal(40n);
    await t.vote(labC);
    await t.waitForDeadline();
    expect(await t.state()).to.equal(ProposalState.Succeeded);
  });

  it("rejects a front-run copy of a proposal that carries the #proposer= suffix", async function () {
    const { shares, model, labA, labB, outsider } = await networkHelpers.loadFixture(fixture);
    const p = withProposer(
      await issueFractions({ shares, modelId: model.modelId, to: outsider.address, amount: 1n, description: "Mine" }),
      labA.address,
    );
    await expect(model.governor.connect(labB).propose(p.targets, p.values, p.calldatas, p.description))
      .to.be.revertedWithCustomError(model.governor, "GovernorRestrictedProposer")
      .withArgs(labB.address);
    await expect(model.governor.connect(labA).propose(p.targets, p.values, p.calldatas, p.description)).to.emit(
      model.governor,
      "ProposalCreated",
    );
  });

  it("keeps three models with overlapping holders and parallel proposals apart", async function () {
    const { shares, registry, model, labA, labB, labC, outsider } = await networkHelpers.loadFixture(fixture);
    const second = await registerModel(ethers, registry, {
      name: "Speech",
      symbol: "wsSPE",
      contentHash: ethers.ZeroHash,
      metadataURI: "",
      members: [
        { account: labA.address, amount: 10n },
        { account: labB.address, amount: 990n },
      ],
      governance: defaultGovernance(),
    });
    const third = await registerModel(ethers, registry, {
      name: "Audio",
      symbol: "wsAUD",
      contentHash: ethers.ZeroHash,
      metadataURI: "",
      members: [
        { account: labC.address, amount: 1n },
        { account: outsider.address, amount: 5n },
      ],
      governance: defaultGovernance(),
    });
    const models = [model, second, third];
    const helpers = [];
    for (const m of models) {
      const p = await issueFractions({
        shares,
        modelId: m.modelId,
        to: outsider.address,
        amount: 1n,
        description: `Parallel ${m.modelId}`,
      });
      const h = new GovernanceHelper(m.governor, p, networkHelpers);
      await h.propose(labA);
      helpers.push(h);
    }
    await helpers[0].waitForSnapshot();
    for (const h of helpers) {
      await h.vote(labA, VoteType.For);
      await h.vote(labC, VoteType.Against).catch(() => undefined);
    }
    const votes = await Promise.all(helpers.map((h, i) => models[i].governor.proposalVotes(h.id)));
    // Model 1: A=500 for, C=200 against. Model 2: A=10 for, C holds none. Model 3: A holds none, C=1 against.
    expect(votes[0].map(BigInt)).to.deep.equal([200n, 500n, 0n]);
    expect(votes[1].map(BigInt)).to.deep.equal([0n, 10n, 0n]);
    expect(votes[2].map(BigInt)).to.deep.equal([1n, 0n, 0n]);
    expect(await second.governor.hasVoted(helpers[1].id, labC.address)).to.equal(true);
    // A proposal id from one model does not exist in another.
    await expect(second.governor.state(helpers[0].id)).to.be.revertedWithCustomError(
      second.governor,
      "GovernorNonexistentProposal",
    );
  });

  it("cannot re-initialise any clone or implementation", async function () {
    const { shares, model, labA, implementations } = await networkHelpers.loadFixture(fixture);
    const settings = {
      votingDelay: 0n,
      votingPeriod: 3600n,
      proposalThreshold: 0n,
      quorumNumerator: 1n,
      lateQuorumExtension: 0n,
      guardian: labA.address,
    };
    const votes = await model.votes.getAddress();
    const governorImpl = await ethers.getContractAt("ModelGovernor", implementations.governor);
    const timelockImpl = await ethers.getContractAt("ModelTimelock", implementations.timelock);
    for (const governor of [model.governor, governorImpl]) {
      await expect(
        governor.connect(labA).initialize("evil", votes, labA.address, settings),
      ).to.be.revertedWithCustomError(governor, "InvalidInitialization");
    }
    for (const timelock of [model.timelock, timelockImpl]) {
      await expect(
        timelock.connect(labA).initialize(0n, [labA.address], [labA.address], labA.address),
      ).to.be.revertedWithCustomError(timelock, "InvalidInitialization");
    }
    await expect(model.votes.connect(labA).initialize("evil", "EVIL")).to.be.revertedWithCustomError(
      model.votes,
      "InvalidInitialization",
    );
    const sharesImpl = await ethers.getContractAt("ModelShares", implementations.shares);
    await expect(sharesImpl.initialize(labA.address, implementations.votes)).to.be.revertedWithCustomError(
      shares,
      "InvalidInitialization",
    );
  });

  it("cannot replace its timelock, the model's treasury: not directly, not by vote", async function () {
    const { model, labA, labB, outsider } = await networkHelpers.loadFixture(fixture);
    const timelock = await model.timelock.getAddress();
    await expect(model.governor.connect(labA).updateTimelock(outsider.address)).to.be.revertedWithCustomError(
      model.governor,
      "ModelGovernorTimelockFixed",
    );
    const g = await model.governor.getAddress();
    const p: Proposal = {
      targets: [g],
      values: [0n],
      calldatas: [model.governor.interface.encodeFunctionData("updateTimelock", [outsider.address])],
      description: "Move the treasury",
    };
    const h = new GovernanceHelper(model.governor, p, networkHelpers);
    await h.readyToExecute(labA, [labA, labB]);
    await expect(h.execute()).to.be.revertedWithCustomError(model.governor, "ModelGovernorTimelockFixed");
    expect(await model.governor.timelock()).to.equal(timelock);
    expect(await h.state()).to.equal(ProposalState.Queued, "not executed");
  });

  it("refuses by vote a proposal threshold above the votable supply", async function () {
    const { model, labA, labB } = await networkHelpers.loadFixture(fixture);
    const p = await changeSettings({
      governor: model.governor,
      timelock: model.timelock,
      change: { proposalThreshold: 1001n },
      description: "Nobody may propose",
    });
    const h = new GovernanceHelper(model.governor, p, networkHelpers);
    await h.readyToExecute(labA, [labA, labB]);
    await expect(h.execute())
      .to.be.revertedWithCustomError(model.governor, "GovernanceParameterOutOfBounds")
      .withArgs("proposalThreshold", 1001n, 0n, 1000n);
    expect(await model.governor.proposalThreshold()).to.equal(0n);
  });

  it("caps the threshold in force at the votable supply, so holders can still propose after it shrinks", async function () {
    const { shares, model, labA, labB, labC, outsider } = await networkHelpers.loadFixture(fixture);
    const p = await changeSettings({
      governor: model.governor,
      timelock: model.timelock,
      change: { proposalThreshold: 900n },
      description: "High threshold",
    });
    await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA, labB]);
    expect(await model.governor.proposalThreshold()).to.equal(900n);
    // Lab A hands its 500 fractions to the treasury: 500 votes remain in the model.
    await shares
      .connect(labA)
      .safeTransferFrom(labA.address, await model.timelock.getAddress(), model.modelId, 500n, "0x");
    expect(await model.votes.votableSupply()).to.equal(500n);
    expect(await model.governor.proposalThreshold()).to.equal(500n, "min(900, votable supply)");
    const next = await issueFractions({
      shares,
      modelId: model.modelId,
      to: outsider.address,
      amount: 1n,
      description: "Still governed",
    });
    await expect(model.governor.connect(labC).propose(next.targets, next.values, next.calldatas, next.description))
      .to.be.revertedWithCustomError(model.governor, "GovernorInsufficientProposerVotes")
      .withArgs(labC.address, 200n, 500n);
    // Pooled by delegation, the remaining holders reach it.
    await model.votes.connect(labC).delegate(labB.address);
    await networkHelpers.time.increase(1);
    await expect(
      model.governor.connect(labB).propose(next.targets, next.values, next.calldatas, next.description),
    ).to.emit(model.governor, "ProposalCreated");
  });

  it("lets only the timelock change its delay, and only within bounds", async function () {
    const { model, labA } = await networkHelpers.loadFixture(fixture);
    await expect(model.timelock.connect(labA).updateDelay(3600n))
      .to.be.revertedWithCustomError(model.timelock, "TimelockUnauthorizedCaller")
      .withArgs(labA.address);
  });
});
