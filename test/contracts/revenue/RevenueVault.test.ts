/**
 * RevenueVault: deposits split exactly; contributors, holders and the treasury each pull what they are owed; a
 * transfer moves future revenue only; configuration changes never take earned revenue; hostile payees and tokens
 * cannot take or block anything.
 *
 * Configuration normally arrives by proposal (one test below does exactly that); the other tests act as the
 * model's timelock directly, by impersonating it on the simulated chain, to keep each test about one thing.
 */
import { expect } from "chai";
import hre from "hardhat";

import { combine, setContributors, setPaymentToken, setRevenueSplit, setRoyalty } from "../../../governance/index.js";
import { defaultGovernance, registerModel } from "../../../sdk/index.js";
import { protocolWithModel } from "../../helpers/fixtures.js";
import { GovernanceHelper } from "../../helpers/governance.js";

const { ethers, networkHelpers } = await hre.network.create();
const ETH = ethers.ZeroAddress;
const ONE = ethers.parseEther("1");

async function fixture() {
  const f = await protocolWithModel(ethers);
  const [, , , , , , c1, c2, buyer, payer] = f.signers;
  const timelockAddress = await f.model.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelockAddress);
  await networkHelpers.setBalance(timelockAddress, ONE);
  const timelock = await ethers.getSigner(timelockAddress);
  const usd = await ethers.deployContract("TestToken", ["Test USD", "tUSD", 6]);
  const fee = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1% burnt per transfer
  const vault = f.vault.connect(timelock);
  await vault.setPaymentToken(f.model.modelId, ETH, true);
  await vault.setPaymentToken(f.model.modelId, await usd.getAddress(), true);
  await vault.setSplit(f.model.modelId, 2000n, 5000n); // 20% contributors, 50% holders, 30% treasury
  await vault.setContributors(f.model.modelId, [c1.address, c2.address], [3n, 1n]);
  for (const t of [usd, fee]) {
    await t.mint(payer.address, 10n ** 30n);
    await t.connect(payer).approve(await f.vault.getAddress(), ethers.MaxUint256);
  }
  return { ...f, timelock, timelockAddress, usd, fee, c1, c2, buyer, payer };
}

describe("RevenueVault", function () {
  describe("deposit and split", function () {
    it("splits an ETH deposit exactly between contributors, holders and treasury", async function () {
      const { vault, model, payer } = await networkHelpers.loadFixture(fixture);
      await expect(vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE }))
        .to.emit(vault, "Deposited")
        .withArgs(model.modelId, ETH, payer.address, ONE, ONE / 5n, ONE / 2n, (ONE * 3n) / 10n);
      expect(await vault.totalDeposited(model.modelId, ETH)).to.equal(ONE);
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal((ONE * 3n) / 10n);
    });

    it("pays holders pro rata, contributors by share, and the treasury its cut, once each", async function () {
      const { vault, model, labA, labB, labC, c1, c2, payer, timelockAddress } =
        await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE });
      const half = ONE / 2n;
      for (const [lab, part] of [
        [labA, 500n],
        [labB, 300n],
        [labC, 200n],
      ] as const) {
        expect(await vault.claimable(model.modelId, ETH, lab.address)).to.equal((half * part) / 1000n);
        await expect(vault.connect(lab).claim(model.modelId, ETH)).to.changeEtherBalances(
          ethers,
          [lab, vault],
          [(half * part) / 1000n, -(half * part) / 1000n],
        );
        await expect(vault.connect(lab).claim(model.modelId, ETH)).to.be.revertedWithCustomError(
          vault,
          "RevenueVaultNothingToRelease",
        );
      }
      const fifth = ONE / 5n;
      await expect(vault.release(model.modelId, ETH, c1.address)).to.changeEtherBalance(ethers, c1, (fifth * 3n) / 4n);
      await expect(vault.release(model.modelId, ETH, c2.address)).to.changeEtherBalance(ethers, c2, fifth / 4n);
      await expect(vault.release(model.modelId, ETH, c1.address)).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultNothingToRelease",
      );
      await expect(vault.releaseTreasury(model.modelId, ETH)).to.changeEtherBalance(
        ethers,
        timelockAddress,
        (ONE * 3n) / 10n,
      );
      expect(await ethers.provider.getBalance(await vault.getAddress())).to.equal(0n, "nothing left behind");
    });

    it("credits an ERC-20 by what arrived, and a fee-on-transfer token net of its fee", async function () {
      const { vault, model, usd, fee, payer, timelock } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, await usd.getAddress(), 1_000_000n);
      expect(await vault.totalDeposited(model.modelId, await usd.getAddress())).to.equal(1_000_000n);
      await vault.connect(timelock).setPaymentToken(model.modelId, await fee.getAddress(), true);
      await expect(vault.connect(payer).deposit(model.modelId, await fee.getAddress(), 10_000n))
        .to.emit(vault, "Deposited")
        .withArgs(model.modelId, await fee.getAddress(), payer.address, 9_900n, 1_980n, 4_950n, 2_970n);
      expect(await fee.balanceOf(await vault.getAddress())).to.equal(9_900n);
    });

    it("rejects tokens off the allow-list, wrong ETH amounts, and deposits where nothing arrives", async function () {
      const { vault, model, fee, payer } = await networkHelpers.loadFixture(fixture);
      const feeAddress = await fee.getAddress();
      await expect(vault.connect(payer).deposit(model.modelId, feeAddress, 1n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultTokenNotAllowed")
        .withArgs(model.modelId, feeAddress);
      await expect(vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: 1n }))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidAmount")
        .withArgs(ONE, 1n);
      await expect(vault.connect(payer).deposit(model.modelId, ETH, 0n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultNothingArrived")
        .withArgs(model.modelId, ETH);
      await expect(vault.connect(payer).deposit(9n, ETH, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(vault, "RevenueVaultTokenNotAllowed")
        .withArgs(9n, ETH);
      await expect(payer.sendTransaction({ to: await vault.getAddress(), value: 1n })).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultUnexpectedEth",
      );
    });

    it("gives the holder cut to the treasury when every fraction sits in the treasury", async function () {
      const { vault, shares, model, labA, labB, labC, payer } = await networkHelpers.loadFixture(fixture);
      const t = await model.timelock.getAddress();
      for (const lab of [labA, labB, labC]) {
        await shares
          .connect(lab)
          .safeTransferFrom(lab.address, t, model.modelId, await shares.balanceOf(lab.address, model.modelId), "0x");
      }
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal(800n);
      expect(await vault.claimable(model.modelId, ETH, t)).to.equal(0n);
    });
  });

  describe("revenue follows the fractions", function () {
    it("moves only future revenue with a transfer; a buyer before a large deposit earns only from then on", async function () {
      const { vault, shares, model, labA, buyer, payer } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n }); // holders: 500
      const aBefore = await vault.claimable(model.modelId, ETH, labA.address);
      await shares.connect(labA).safeTransferFrom(labA.address, buyer.address, model.modelId, 250n, "0x");
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(aBefore, "seller keeps what it earned");
      expect(await vault.claimable(model.modelId, ETH, buyer.address)).to.equal(0n, "buyer earned nothing yet");
      await vault.connect(payer).deposit(model.modelId, ETH, 1_000_000n, { value: 1_000_000n }); // holders: 500,000
      expect(await vault.claimable(model.modelId, ETH, buyer.address)).to.equal(125_000n);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(aBefore + 125_000n);
    });

    it("excludes treasury fractions from the holder base", async function () {
      const { vault, shares, model, labA, payer, timelock } = await networkHelpers.loadFixture(fixture);
      await shares.connect(timelock).mint(await model.timelock.getAddress(), model.modelId, 9000n, "0x");
      await vault.connect(payer).deposit(model.modelId, ETH, 2000n, { value: 2000n }); // holders: 1000 over 1000 fractions
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(500n);
    });

    it("claims across several models and tokens in one call", async function () {
      const { vault, registry, model, usd, labA, labB, payer } = await networkHelpers.loadFixture(fixture);
      const second = await registerModel(ethers, registry, {
        name: "Second",
        symbol: "S",
        contentHash: ethers.ZeroHash,
        metadataURI: "",
        members: [
          { account: labA.address, amount: 1n },
          { account: labB.address, amount: 1n },
        ],
        governance: defaultGovernance(),
      });
      const t2 = await second.timelock.getAddress();
      await networkHelpers.impersonateAccount(t2);
      await networkHelpers.setBalance(t2, ONE);
      const v2 = vault.connect(await ethers.getSigner(t2));
      await v2.setPaymentToken(second.modelId, ETH, true);
      await v2.setSplit(second.modelId, 0n, 10_000n);
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      await vault.connect(payer).deposit(model.modelId, await usd.getAddress(), 1000n);
      await vault.connect(payer).deposit(second.modelId, ETH, 1000n, { value: 1000n });
      const amounts = await vault
        .connect(labA)
        .claimMany.staticCall([model.modelId, model.modelId, second.modelId], [ETH, await usd.getAddress(), ETH]);
      expect(amounts).to.deep.equal([250n, 250n, 500n]);
      await vault
        .connect(labA)
        .claimMany([model.modelId, model.modelId, second.modelId], [ETH, await usd.getAddress(), ETH]);
      expect(await usd.balanceOf(labA.address)).to.equal(250n);
      await expect(vault.connect(labA).claimMany([1n], []))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidClaim")
        .withArgs(1n, 0n);
    });
  });

  describe("configuration never takes earned revenue", function () {
    it("keeps what old contributors earned releasable after the contributors change", async function () {
      const { vault, model, c1, c2, buyer, payer, timelock } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, 1001n, { value: 1001n }); // contributors: 200
      await vault.connect(timelock).setContributors(model.modelId, [buyer.address], [1n]);
      expect(await vault.releasable(model.modelId, ETH, c1.address)).to.equal(150n);
      expect(await vault.releasable(model.modelId, ETH, c2.address)).to.equal(50n);
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      expect(await vault.releasable(model.modelId, ETH, buyer.address)).to.equal(200n);
      expect(await vault.releasable(model.modelId, ETH, c1.address)).to.equal(
        150n,
        "no new revenue for a removed contributor",
      );
      await expect(vault.release(model.modelId, ETH, c1.address)).to.changeEtherBalance(ethers, c1, 150n);
      expect(await vault.contributorsOf(model.modelId)).to.deep.equal([[buyer.address], [1n]]);
    });

    it("applies a split change to new revenue only", async function () {
      const { vault, model, labA, payer, timelock } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      await vault.connect(timelock).setSplit(model.modelId, 0n, 0n);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(250n);
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(250n);
      expect(await vault.splitOf(model.modelId)).to.deep.equal([0n, 0n, 10_000n]);
    });

    it("keeps a token that earned revenue following the fractions after deposits in it stop", async function () {
      const { vault, shares, model, usd, labA, buyer, payer, timelock } = await networkHelpers.loadFixture(fixture);
      const u = await usd.getAddress();
      await vault.connect(payer).deposit(model.modelId, u, 1000n);
      await vault.connect(timelock).setPaymentToken(model.modelId, u, false);
      await expect(vault.connect(payer).deposit(model.modelId, u, 1n)).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultTokenNotAllowed",
      );
      await shares.connect(labA).safeTransferFrom(labA.address, buyer.address, model.modelId, 500n, "0x");
      expect(await vault.claimable(model.modelId, u, buyer.address)).to.equal(0n);
      expect(await vault.claimable(model.modelId, u, labA.address)).to.equal(250n);
      expect((await vault.paymentTokensOf(model.modelId))[0]).to.include(u);
      // A token that never earned anything leaves the list; with none left the transfer path stops calling the vault.
      await vault.connect(timelock).setPaymentToken(model.modelId, ETH, false);
      expect((await vault.paymentTokensOf(model.modelId))[0]).to.deep.equal([u]);
      expect(await shares.revenueTracked(model.modelId)).to.equal(true);
    });

    it("caps payment tokens and validates split and contributors", async function () {
      const { vault, model, c1, timelock } = await networkHelpers.loadFixture(fixture);
      for (const t of ["0x0000000000000000000000000000000000000A01", "0x0000000000000000000000000000000000000A02"]) {
        await vault.connect(timelock).setPaymentToken(model.modelId, t, true);
      }
      await expect(
        vault.connect(timelock).setPaymentToken(model.modelId, "0x0000000000000000000000000000000000000A03", true),
      )
        .to.be.revertedWithCustomError(vault, "RevenueVaultTooManyTokens")
        .withArgs(model.modelId, 4n);
      await expect(vault.connect(timelock).setSplit(model.modelId, 6000n, 4001n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidSplit")
        .withArgs(6000n, 4001n, 10_000n);
      await expect(vault.connect(timelock).setContributors(model.modelId, [c1.address, c1.address], [1n, 1n]))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidContributor")
        .withArgs(1n, c1.address, 1n);
      await expect(vault.connect(timelock).setContributors(model.modelId, [c1.address], [0n]))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidContributor")
        .withArgs(0n, c1.address, 0n);
      await expect(vault.connect(timelock).setContributors(model.modelId, [c1.address], []))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidContributors")
        .withArgs(1n, 0n, 32n);
    });

    it("refuses configuration from anyone but the model's timelock, and the hook from anyone but ModelShares", async function () {
      const { vault, model, labA } = await networkHelpers.loadFixture(fixture);
      await expect(vault.connect(labA).setSplit(model.modelId, 0n, 0n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultUnauthorizedTimelock")
        .withArgs(labA.address, model.modelId);
      await expect(vault.connect(labA).setContributors(model.modelId, [], [])).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultUnauthorizedTimelock",
      );
      await expect(vault.connect(labA).setPaymentToken(model.modelId, ETH, true)).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultUnauthorizedTimelock",
      );
      await expect(vault.connect(labA).setSplit(77n, 0n, 0n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultUnknownModel")
        .withArgs(77n);
      await expect(vault.connect(labA).beforeSharesMoved(model.modelId, labA.address, labA.address, 1n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultUnauthorizedShares")
        .withArgs(labA.address);
    });
  });

  describe("royalties", function () {
    it("credits ETH sent with a 2,300-gas transfer and ERC-20s to the model's royalty receiver", async function () {
      const { vault, shares, model, usd, labA, payer } = await networkHelpers.loadFixture(fixture);
      const receiver = await vault.royaltyReceiverOf(model.modelId);
      // Governance points the model's ERC-2981 royalty at its receiver.
      const p = await setRoyalty({
        shares,
        modelId: model.modelId,
        receiver,
        feeBps: 500n,
        description: "Royalties to revenue",
      });
      await new GovernanceHelper(model.governor, p, networkHelpers).pass(labA, [labA]);
      expect((await shares.royaltyInfo(model.modelId, 10_000n))[0]).to.equal(receiver);
      const sender = await ethers.deployContract("StipendSender");
      await sender.send(receiver, { value: 1000n }); // Solidity `transfer`: 2,300 gas
      await usd.connect(payer).transfer(receiver, 400n);
      await expect(vault.collectRoyalties(model.modelId, ETH))
        .to.emit(vault, "RoyaltiesCollected")
        .withArgs(model.modelId, ETH, 1000n);
      await vault.collectRoyalties(model.modelId, await usd.getAddress());
      expect(await vault.totalDeposited(model.modelId, ETH)).to.equal(1000n);
      expect(await vault.totalDeposited(model.modelId, await usd.getAddress())).to.equal(400n);
      await expect(vault.collectRoyalties(model.modelId, ETH)).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultNothingArrived",
      );
      const receiverContract = await ethers.getContractAt("RoyaltyReceiver", receiver);
      await expect(receiverContract.connect(labA).sweep(ETH))
        .to.be.revertedWithCustomError(receiverContract, "RoyaltyReceiverUnauthorized")
        .withArgs(labA.address);
    });
  });

  describe("hostile payees", function () {
    async function hostileHolder(mode: bigint) {
      const f = await networkHelpers.loadFixture(fixture);
      const hostile = await ethers.deployContract("HostilePayee", [await f.vault.getAddress()]);
      await hostile.configure(mode, f.model.modelId);
      await f.shares
        .connect(f.labA)
        .safeTransferFrom(f.labA.address, await hostile.getAddress(), f.model.modelId, 500n, "0x");
      await f.vault.connect(f.payer).deposit(f.model.modelId, ETH, 1000n, { value: 1000n });
      return { ...f, hostile };
    }

    it("a payee that reverts or burns all gas only fails its own claim", async function () {
      for (const mode of [1n, 2n]) {
        const { vault, model, hostile, labB } = await hostileHolder(mode);
        await expect(hostile.claim(ETH, { gasLimit: 1_000_000n })).to.be.revert(ethers); // no gas estimation of an endless loop
        expect(await vault.claimable(model.modelId, ETH, await hostile.getAddress())).to.equal(250n, "still owed");
        await expect(vault.connect(labB).claim(model.modelId, ETH)).to.changeEtherBalance(ethers, labB, 150n);
      }
    });

    it("cannot re-enter claim or release from its ETH receive", async function () {
      const { vault, model, hostile } = await hostileHolder(3n);
      await expect(hostile.claim(ETH)).to.changeEtherBalance(ethers, hostile, 250n);
      expect(await hostile.reentryAttempts()).to.equal(1n);
      expect(await hostile.reentryBlocked()).to.equal(true);
      expect(await vault.claimable(model.modelId, ETH, await hostile.getAddress())).to.equal(0n);
    });

    it("claims nothing extra from inside an ERC-1155 receiver hook while receiving fractions", async function () {
      const { vault, shares, model, hostile, labB } = await hostileHolder(4n);
      await shares.connect(labB).safeTransferFrom(labB.address, await hostile.getAddress(), model.modelId, 300n, "0x");
      expect(await hostile.claimedInHook()).to.equal(250n, "only what its first 500 fractions earned");
      expect(await vault.claimable(model.modelId, ETH, await hostile.getAddress())).to.equal(0n);
      expect(await vault.claimable(model.modelId, ETH, labB.address)).to.equal(150n, "seller keeps its revenue");
    });
  });

  it("is configured by proposal in one vote (builders used by tasks and the demo)", async function () {
    const { ethers: e, networkHelpers: nh } = await hre.network.create();
    const f = await protocolWithModel(e);
    const [, , , , , , c1] = f.signers;
    const p = combine("Configure revenue", [
      await setPaymentToken({
        vault: f.vault,
        modelId: f.model.modelId,
        token: ETH,
        allowed: true,
        description: "ETH",
      }),
      await setRevenueSplit({
        vault: f.vault,
        modelId: f.model.modelId,
        contributorsBps: 1000n,
        holdersBps: 6000n,
        description: "split",
      }),
      await setContributors({
        vault: f.vault,
        modelId: f.model.modelId,
        contributors: [{ account: c1.address, shares: 1n }],
        description: "c",
      }),
    ]);
    await new GovernanceHelper(f.model.governor, p, nh).pass(f.labA, [f.labA, f.labB]);
    expect(await f.vault.splitOf(f.model.modelId)).to.deep.equal([1000n, 6000n, 3000n]);
    expect(await f.shares.revenueTracked(f.model.modelId)).to.equal(true);
    await f.vault.deposit(f.model.modelId, ETH, 100n, { value: 100n });
    expect(await f.vault.releasable(f.model.modelId, ETH, c1.address)).to.equal(10n);
  });
});
