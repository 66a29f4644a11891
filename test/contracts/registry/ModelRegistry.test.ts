/**
 * ModelRegistry: one permissionless transaction registers a model with its votes, governor and timelock at
 * predicted addresses, wired so that the governor alone proposes/cancels/executes and the registry keeps no role.
 * Every bad parameter reverts with an error naming it, and nothing is minted or deployed.
 */
import { expect } from "chai";
import hre from "hardhat";

import {
  defaultGovernance,
  deployProtocol,
  registerModel,
  registrationArgs,
  type ModelRegistration,
} from "../../../sdk/index.js";
import { MEMBER_AMOUNTS, protocolWithModel } from "../../helpers/fixtures.js";

const { ethers, networkHelpers } = await hre.network.create();

async function fixture() {
  return protocolWithModel(ethers);
}

describe("ModelRegistry", function () {
  describe("registerModel", function () {
    it("deploys votes, governor and timelock at the addresses predicted before the call", async function () {
      const { registry, labA, labB } = await networkHelpers.loadFixture(fixture);
      expect(await registry.registrationsOf(labB.address)).to.equal(0n);
      const predicted = await registry.predictAddresses(labB.address);
      expect(predicted.modelId).to.equal(2n);
      for (const address of [predicted.votes, predicted.governor, predicted.timelock]) {
        expect(await ethers.provider.getCode(address)).to.equal("0x");
      }
      const second = await registerModel(
        ethers,
        registry,
        {
          name: "Speech-1B",
          symbol: "wsSPE",
          contentHash: ethers.id("speech"),
          metadataURI: "ipfs://speech",
          members: [
            { account: labA.address, amount: 10n },
            { account: labB.address, amount: 20n },
          ],
          governance: defaultGovernance(),
        },
        labB, // permissionless: anyone registers
      );
      expect(second.modelId).to.equal(predicted.modelId);
      expect(await second.votes.getAddress()).to.equal(predicted.votes);
      expect(await second.governor.getAddress()).to.equal(predicted.governor);
      expect(await second.timelock.getAddress()).to.equal(predicted.timelock);
      expect((await registry.model(2n)).creator).to.equal(labB.address);
      expect(await registry.registrationsOf(labB.address)).to.equal(1n);
      // The registrant's next model gets new addresses.
      const next = await registry.predictAddresses(labB.address);
      expect(next.modelId).to.equal(3n);
      expect(next.governor).to.not.equal(predicted.governor);
      expect(next.timelock).to.not.equal(predicted.timelock);
    });

    it("keeps a registrant's predicted (and funded) treasury and governor when someone else registers first", async function () {
      const { registry, labA, labB, outsider } = await networkHelpers.loadFixture(fixture);
      const predicted = await registry.predictAddresses(labB.address);
      // The consortium funds its future treasury before registering.
      await labB.sendTransaction({ to: predicted.timelock, value: 1000n });
      const registration = (name: string, account: string): ModelRegistration => ({
        name,
        symbol: "X",
        contentHash: ethers.ZeroHash,
        metadataURI: "",
        members: [{ account, amount: 1n }],
        governance: defaultGovernance(),
      });
      // Someone else registers first and takes id 2, but neither of labB's addresses.
      const first = await registerModel(ethers, registry, registration("Front-runner", outsider.address), outsider);
      expect(first.modelId).to.equal(2n);
      expect(await first.timelock.getAddress()).to.not.equal(predicted.timelock);
      expect(await first.governor.getAddress()).to.not.equal(predicted.governor);
      // Only the id (and the votes address, which holds nothing) moved on.
      const now = await registry.predictAddresses(labB.address);
      expect([now.modelId, now.governor, now.timelock]).to.deep.equal([3n, predicted.governor, predicted.timelock]);
      expect(now.votes).to.not.equal(predicted.votes);
      const mine = await registerModel(ethers, registry, registration("Mine", labA.address), labB);
      expect(mine.modelId).to.equal(3n);
      expect(await mine.timelock.getAddress()).to.equal(predicted.timelock);
      expect(await mine.governor.getAddress()).to.equal(predicted.governor);
      expect(await mine.votes.getAddress()).to.equal(now.votes);
      expect(await ethers.provider.getBalance(predicted.timelock)).to.equal(1000n, "the funds reached its treasury");
    });

    it("stores the record and mints the initial fractions with their votes", async function () {
      const { registry, shares, model, admin, labA, labB, labC } = await networkHelpers.loadFixture(fixture);
      const record = await registry.model(model.modelId);
      expect(record.name).to.equal("Vision-7B");
      expect(record.creator).to.equal(admin.address);
      expect(record.contentHash).to.equal(ethers.id("vision-7b weights v1"));
      expect(record.createdAt).to.be.greaterThan(0n);
      expect(await registry.modelCount()).to.equal(1n);
      expect(await shares.uri(model.modelId)).to.equal("ipfs://vision-7b");
      expect(await shares.treasuryOf(model.modelId)).to.equal(record.timelock);
      for (const [i, lab] of [labA, labB, labC].entries()) {
        expect(await shares.balanceOf(lab.address, model.modelId)).to.equal(MEMBER_AMOUNTS[i]);
        expect(await model.votes.getVotes(lab.address)).to.equal(MEMBER_AMOUNTS[i]);
      }
      expect(await model.votes.name()).to.equal("Vision-7B Votes");
      expect(await model.votes.symbol()).to.equal("wsVIS");
    });

    it("wires roles: the governor alone proposes, cancels and executes; the timelock administers itself", async function () {
      const { registry, shares, model, admin } = await networkHelpers.loadFixture(fixture);
      const { timelock, governor } = model;
      const [proposer, canceller, executor, adminRole] = await Promise.all([
        timelock.PROPOSER_ROLE(),
        timelock.CANCELLER_ROLE(),
        timelock.EXECUTOR_ROLE(),
        timelock.DEFAULT_ADMIN_ROLE(),
      ]);
      const g = await governor.getAddress();
      const t = await timelock.getAddress();
      expect(await timelock.hasRole(proposer, g)).to.equal(true);
      expect(await timelock.hasRole(canceller, g)).to.equal(true);
      expect(await timelock.hasRole(executor, g)).to.equal(true);
      expect(await timelock.hasRole(adminRole, t)).to.equal(true);
      expect(await timelock.hasRole(executor, ethers.ZeroAddress)).to.equal(false, "execution is not open");
      for (const outsider of [await registry.getAddress(), admin.address, await shares.getAddress()]) {
        for (const role of [proposer, canceller, executor, adminRole]) {
          expect(await timelock.hasRole(role, outsider)).to.equal(false);
        }
      }
      expect(await governor.timelock()).to.equal(t);
      expect(await governor.token()).to.equal(await model.votes.getAddress());
      expect(await governor.name()).to.equal("Vision-7B");
      expect(await governor.votingDelay()).to.equal(3600n);
      expect(await governor.votingPeriod()).to.equal(3n * 86400n);
      expect(await governor["quorumNumerator()"]()).to.equal(4n);
      expect(await governor.lateQuorumVoteExtension()).to.equal(86400n);
      expect(await governor.proposalGuardian()).to.equal(ethers.ZeroAddress);
      expect(await timelock.getMinDelay()).to.equal(2n * 86400n);
      expect(await governor.CLOCK_MODE()).to.equal(await model.votes.CLOCK_MODE());
    });

    it("emits one ModelRegistered event with every address and parameter", async function () {
      const { registry, labA } = await networkHelpers.loadFixture(fixture);
      const registration: ModelRegistration = {
        name: "Audio",
        symbol: "wsAUD",
        contentHash: ethers.id("audio"),
        metadataURI: "ipfs://audio",
        members: [{ account: labA.address, amount: 7n }],
        governance: defaultGovernance({ guardian: labA.address }),
      };
      const predicted = await registry.predictAddresses(labA.address);
      expect(predicted.modelId).to.equal(2n);
      const tx = registry.connect(labA).registerModel(registrationArgs(registration));
      await expect(tx)
        .to.emit(registry, "ModelRegistered")
        .withArgs(2n, labA.address, predicted.governor, predicted.votes, predicted.timelock, (r: unknown) => {
          const reg = r as { name: string; members: string[]; amounts: bigint[]; timelockDelay: bigint };
          return (
            reg.name === "Audio" &&
            reg.members[0] === labA.address &&
            reg.amounts[0] === 7n &&
            reg.timelockDelay === 2n * 86400n
          );
        });
    });
  });

  describe("registerModel input validation (nothing minted or deployed on revert)", function () {
    const base = (labA: string): ModelRegistration => ({
      name: "Bad",
      symbol: "BAD",
      contentHash: ethers.ZeroHash,
      metadataURI: "",
      members: [{ account: labA, amount: 100n }],
      governance: defaultGovernance(),
    });
    const DAY = 86400n;
    const cases: [string, (r: ModelRegistration) => void, string, unknown[]][] = [
      [
        "votingDelay above 30 days",
        (r) => (r.governance.votingDelay = 30n * DAY + 1n),
        "GovernanceParameterOutOfBounds",
        ["votingDelay", 30n * DAY + 1n, 0n, 30n * DAY],
      ],
      [
        "votingPeriod below 1 hour",
        (r) => (r.governance.votingPeriod = 3599n),
        "GovernanceParameterOutOfBounds",
        ["votingPeriod", 3599n, 3600n, 90n * DAY],
      ],
      [
        "votingPeriod above 90 days",
        (r) => (r.governance.votingPeriod = 90n * DAY + 1n),
        "GovernanceParameterOutOfBounds",
        ["votingPeriod", 90n * DAY + 1n, 3600n, 90n * DAY],
      ],
      [
        "proposalThreshold above the initial supply",
        (r) => (r.governance.proposalThreshold = 101n),
        "GovernanceParameterOutOfBounds",
        ["proposalThreshold", 101n, 0n, 100n],
      ],
      [
        "quorum of 0%",
        (r) => (r.governance.quorumNumerator = 0n),
        "GovernanceParameterOutOfBounds",
        ["quorumNumerator", 0n, 1n, 100n],
      ],
      [
        "quorum above 100%",
        (r) => (r.governance.quorumNumerator = 101n),
        "GovernanceParameterOutOfBounds",
        ["quorumNumerator", 101n, 1n, 100n],
      ],
      [
        "late-quorum extension longer than the vote",
        (r) => (r.governance.lateQuorumExtension = r.governance.votingPeriod + 1n),
        "GovernanceParameterOutOfBounds",
        ["lateQuorumExtension", 3n * DAY + 1n, 0n, 3n * DAY],
      ],
      [
        "timelock delay below 1 hour",
        (r) => (r.governance.timelockDelay = 3599n),
        "GovernanceParameterOutOfBounds",
        ["timelockDelay", 3599n, 3600n, 30n * DAY],
      ],
      [
        "timelock delay above 30 days",
        (r) => (r.governance.timelockDelay = 30n * DAY + 1n),
        "GovernanceParameterOutOfBounds",
        ["timelockDelay", 30n * DAY + 1n, 3600n, 30n * DAY],
      ],
      ["an empty name", (r) => (r.name = ""), "ModelRegistryEmptyName", []],
      ["no members", (r) => (r.members = []), "ModelRegistryInvalidMembers", [0n, 0n]],
      [
        "the zero address as a member",
        (r) => (r.members[0].account = ethers.ZeroAddress),
        "ModelRegistryInvalidMember",
        [0n, ethers.ZeroAddress, 100n],
      ],
      [
        "a member with zero fractions",
        (r) => r.members.push({ account: r.members[0].account, amount: 0n }),
        "ModelRegistryInvalidMember",
        [1n, "MEMBER", 0n],
      ],
      [
        "a supply votes cannot count",
        (r) => (r.members[0].amount = 2n ** 208n),
        "ModelRegistryInvalidMember",
        [0n, "MEMBER", 2n ** 208n],
      ],
    ];

    for (const [what, mutate, error, args] of cases) {
      it(`rejects ${what}`, async function () {
        const { registry, shares, admin, labA } = await networkHelpers.loadFixture(fixture);
        const registration = base(labA.address);
        mutate(registration);
        const predicted = await registry.predictAddresses(admin.address); // the registrant: registry's signer
        const expected = args.map((a) => (a === "MEMBER" ? labA.address : a));
        const tx = registry.registerModel(registrationArgs(registration));
        if (expected.length === 0) await expect(tx).to.be.revertedWithCustomError(registry, error);
        else
          await expect(tx)
            .to.be.revertedWithCustomError(registry, error)
            .withArgs(...expected);
        expect(await registry.modelCount()).to.equal(1n);
        expect(await shares["totalSupply()"]()).to.equal(1000n, "nothing minted");
        expect(await registry.registrationsOf(admin.address)).to.equal(1n, "the registrant's count unchanged");
        for (const address of [predicted.votes, predicted.governor, predicted.timelock]) {
          expect(await ethers.provider.getCode(address)).to.equal("0x");
        }
      });
    }

    it("rejects members and amounts of different lengths", async function () {
      const { registry, labA } = await networkHelpers.loadFixture(fixture);
      const args = registrationArgs(base(labA.address));
      args.amounts = [1n, 2n];
      await expect(registry.registerModel(args))
        .to.be.revertedWithCustomError(registry, "ModelRegistryInvalidMembers")
        .withArgs(1n, 2n);
    });
  });

  describe("metadata and administration", function () {
    it("lets only the model's timelock set its content hash", async function () {
      const { registry, model, labA } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(labA).setContentHash(model.modelId, ethers.id("x")))
        .to.be.revertedWithCustomError(registry, "ModelRegistryUnauthorizedTimelock")
        .withArgs(labA.address, model.modelId);
      await expect(registry.setContentHash(9n, ethers.id("x")))
        .to.be.revertedWithCustomError(registry, "ModelRegistryUnknownModel")
        .withArgs(9n);
      await expect(registry.model(9n))
        .to.be.revertedWithCustomError(registry, "ModelRegistryUnknownModel")
        .withArgs(9n);
    });

    it("lets only the protocol admin change the implementations for new models, to deployed contracts", async function () {
      const { registry, labA, implementations } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(labA).setImplementations(implementations.governor, implementations.timelock))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(labA.address, ethers.ZeroHash);
      await expect(registry.setImplementations(labA.address, implementations.timelock))
        .to.be.revertedWithCustomError(registry, "ModelRegistryInvalidImplementation")
        .withArgs(labA.address);
      await expect(registry.setImplementations(implementations.governor, implementations.timelock))
        .to.emit(registry, "ImplementationsSet")
        .withArgs(implementations.governor, implementations.timelock);
    });

    it("refuses upgrades and re-initialisation from anyone, and its implementation is locked", async function () {
      const { registry, shares, labA, implementations } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(labA).upgradeToAndCall(implementations.registry, "0x"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(labA.address, ethers.ZeroHash);
      await expect(
        registry.initialize(
          labA.address,
          await shares.getAddress(),
          implementations.governor,
          implementations.timelock,
        ),
      ).to.be.revertedWithCustomError(registry, "InvalidInitialization");
      const impl = await ethers.getContractAt("ModelRegistry", implementations.registry);
      await expect(
        impl.initialize(labA.address, await shares.getAddress(), implementations.governor, implementations.timelock),
      ).to.be.revertedWithCustomError(registry, "InvalidInitialization");
    });

    it("deploys standalone too (the registry is the only model creator)", async function () {
      const { ethers: e } = await hre.network.create();
      const [admin] = await e.getSigners();
      const { shares, registry } = await deployProtocol(e, admin);
      const role = await shares.MODEL_CREATOR_ROLE();
      expect(await shares.hasRole(role, await registry.getAddress())).to.equal(true);
      expect(await shares.hasRole(role, admin.address)).to.equal(false);
    });
  });
});
