/**
 * RevenueVault: deposits split exactly; contributors and the treasury are credited at once, while the holders' cut
 * unlocks linearly over the model's unlock window (7 days by default), so fractions held for a moment earn only that
 * moment's share; contributors, holders and the treasury each pull what they are owed; a transfer moves future
 * revenue only; configuration changes never take earned revenue; hostile payees and tokens cannot take or block
 * anything; tokens off the allow-list that reach the royalty receiver can be recovered to the treasury.
 *
 * Configuration normally arrives by proposal (one test below does exactly that); the other tests act as the
 * model's timelock directly, by impersonating it on the simulated chain, to keep each test about one thing.
 */
import { expect } from "chai";
import hre from "hardhat";

import {
  combine,
  recoverToken,
  setContributors,
  setPaymentToken,
  setRevenueSplit,
  setRoyalty,
  setUnlockWindow,
} from "../../../governance/index.js";
import { defaultGovernance, registerModel } from "../../../sdk/index.js";
import { protocolWithModel } from "../../helpers/fixtures.js";
import { GovernanceHelper } from "../../helpers/governance.js";

const { ethers, networkHelpers } = await hre.network.create();
const ETH = ethers.ZeroAddress;
const ONE = ethers.parseEther("1");
const HOUR = 3600n;
const DAY = 86400n;
const WINDOW = 7n * DAY; // DEFAULT_UNLOCK_WINDOW

/** Lets everything deposited so far unlock (each deposit's holder cut unlocks within one window). */
const unlockAll = () => networkHelpers.time.increase(WINDOW);

/** Mines the next transaction at exactly `timestamp`. */
const nextAt = (timestamp: bigint) => networkHelpers.time.setNextBlockTimestamp(timestamp);

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
    it("splits an ETH deposit exactly: contributors and treasury at once, the holders' cut starts unlocking", async function () {
      const { vault, model, labA, c1, payer } = await networkHelpers.loadFixture(fixture);
      const tx = vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE });
      await expect(tx)
        .to.emit(vault, "Deposited")
        .withArgs(model.modelId, ETH, payer.address, ONE, ONE / 5n, ONE / 2n, (ONE * 3n) / 10n);
      const t0 = BigInt(await networkHelpers.time.latest());
      await expect(tx)
        .to.emit(vault, "HolderRevenueUnlocking")
        .withArgs(model.modelId, ETH, ONE / 2n, t0 + WINDOW);
      expect(await vault.totalDeposited(model.modelId, ETH)).to.equal(ONE);
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal((ONE * 3n) / 10n);
      expect(await vault.releasable(model.modelId, ETH, c1.address)).to.equal((ONE / 5n / 4n) * 3n);
      expect(await vault.unlocking(model.modelId, ETH)).to.deep.equal([ONE / 2n, t0 + WINDOW, WINDOW]);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(0n, "nothing unlocked yet");
      // One second later, one second's share of the window has unlocked (labA holds half the votable supply).
      await nextAt(t0 + 1n);
      await expect(vault.connect(labA).claim(model.modelId, ETH))
        .to.emit(vault, "HolderClaimed")
        .withArgs(model.modelId, ETH, labA.address, ONE / 2n / WINDOW / 2n);
    });

    it("pays holders pro rata once the window has passed, contributors by share, and the treasury its cut, once each", async function () {
      const { vault, model, labA, labB, labC, c1, c2, payer, timelockAddress } =
        await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE });
      await unlockAll();
      expect(await vault.unlocking(model.modelId, ETH)).to.deep.equal([0n, 0n, WINDOW]);
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

    it("floors each payee's amount: the dust left behind stays below one wei per payee", async function () {
      const { vault, model, labA, labB, labC, c1, c2, payer } = await networkHelpers.loadFixture(fixture);
      // 15 wei: contributors 3 (c1 2.25, c2 0.75), holders 7 (A 3.5, B 2.1, C 1.4), treasury 5.
      await vault.connect(payer).deposit(model.modelId, ETH, 15n, { value: 15n });
      await unlockAll();
      const owed = [
        await vault.claimable(model.modelId, ETH, labA.address),
        await vault.claimable(model.modelId, ETH, labB.address),
        await vault.claimable(model.modelId, ETH, labC.address),
        await vault.releasable(model.modelId, ETH, c1.address),
        await vault.releasable(model.modelId, ETH, c2.address),
        await vault.treasuryReleasable(model.modelId, ETH),
      ];
      expect(owed).to.deep.equal([3n, 2n, 1n, 2n, 0n, 5n]);
      for (const lab of [labA, labB, labC]) await vault.connect(lab).claim(model.modelId, ETH);
      await vault.release(model.modelId, ETH, c1.address);
      await vault.releaseTreasury(model.modelId, ETH);
      const dust = await ethers.provider.getBalance(await vault.getAddress());
      expect(dust).to.equal(2n, "holders 7 - 6, contributors 3 - 2");
      expect(dust).to.be.lessThan(5n, "below one wei per payee (3 holders, 2 contributors)");
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
      expect((await vault.unlocking(model.modelId, await fee.getAddress()))[0]).to.equal(4_950n);
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
      expect(await vault.totalDeposited(model.modelId, ETH)).to.equal(0n, "nothing credited");
      expect(await ethers.provider.getBalance(await vault.getAddress())).to.equal(0n, "nothing arrived");
    });

    it("gives the holder cut, as it unlocks, to the treasury when every fraction sits in the treasury", async function () {
      const { vault, shares, model, labA, labB, labC, payer, timelockAddress } =
        await networkHelpers.loadFixture(fixture);
      for (const lab of [labA, labB, labC]) {
        await shares
          .connect(lab)
          .safeTransferFrom(
            lab.address,
            timelockAddress,
            model.modelId,
            await shares.balanceOf(lab.address, model.modelId),
            "0x",
          );
      }
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      const t0 = BigInt(await networkHelpers.time.latest());
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal(300n, "the treasury's own cut, at once");
      await networkHelpers.time.increaseTo(t0 + WINDOW / 2n);
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal(300n + 250n, "and what has unlocked");
      await networkHelpers.time.increaseTo(t0 + WINDOW);
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal(800n);
      expect(await vault.claimable(model.modelId, ETH, timelockAddress)).to.equal(0n);
      await expect(vault.releaseTreasury(model.modelId, ETH))
        .to.emit(vault, "UnlockedToTreasury")
        .withArgs(model.modelId, ETH, 500n)
        .and.to.emit(vault, "TreasuryReleased")
        .withArgs(model.modelId, ETH, timelockAddress, 800n);
      expect(await ethers.provider.getBalance(await vault.getAddress())).to.equal(200n, "the contributors' cut");
    });
  });

  describe("unlocking over the window", function () {
    it("unlocks the holders' cut linearly: a quarter of the window unlocks a quarter", async function () {
      const { vault, model, labA, labB, payer } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE }); // holders: ONE / 2
      const t0 = BigInt(await networkHelpers.time.latest());
      await nextAt(t0 + WINDOW / 4n);
      const quarter = ONE / 2n / 4n;
      await expect(vault.connect(labA).claim(model.modelId, ETH))
        .to.emit(vault, "HolderClaimed")
        .withArgs(model.modelId, ETH, labA.address, quarter / 2n);
      expect(await vault.unlocking(model.modelId, ETH)).to.deep.equal([ONE / 2n - quarter, t0 + WINDOW, WINDOW]);
      await networkHelpers.time.increaseTo(t0 + WINDOW / 2n);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(quarter / 2n);
      expect(await vault.claimable(model.modelId, ETH, labB.address)).to.equal((2n * quarter * 3n) / 10n);
      await networkHelpers.time.increaseTo(t0 + WINDOW);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(ONE / 4n - quarter / 2n);
      expect(await vault.claimable(model.modelId, ETH, labB.address)).to.equal((ONE / 2n / 10n) * 3n);
      await networkHelpers.time.increase(WINDOW);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(
        ONE / 4n - quarter / 2n,
        "nothing more after the window",
      );
    });

    it("pays a holder for the part of the window it held; the buyer earns the rest", async function () {
      const { vault, shares, model, labA, buyer, payer } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE }); // holders: ONE / 2
      const t0 = BigInt(await networkHelpers.time.latest());
      await nextAt(t0 + WINDOW / 2n);
      await shares.connect(labA).safeTransferFrom(labA.address, buyer.address, model.modelId, 500n, "0x");
      await networkHelpers.time.increaseTo(t0 + WINDOW);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(ONE / 8n, "half the window");
      expect(await vault.claimable(model.modelId, ETH, buyer.address)).to.equal(ONE / 8n, "the other half");
    });

    it("gives fractions bought just before a large payment and sold just after only what unlocked meanwhile", async function () {
      const { vault, shares, model, labA, buyer, payer } = await networkHelpers.loadFixture(fixture);
      const t = BigInt(await networkHelpers.time.latest()) + 100n;
      await nextAt(t);
      await shares.connect(labA).safeTransferFrom(labA.address, buyer.address, model.modelId, 500n, "0x");
      await nextAt(t + 1n);
      await vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE }); // holders: ONE / 2
      await nextAt(t + 2n);
      await shares.connect(buyer).safeTransferFrom(buyer.address, labA.address, model.modelId, 500n, "0x");
      // One second of a 7-day window unlocked while the buyer held half the votable supply.
      const due = ONE / 2n / WINDOW;
      expect(await vault.claimable(model.modelId, ETH, buyer.address)).to.equal(due / 2n);
      expect(due / 2n).to.be.lessThan(ONE / 4n / 600_000n, "instead of half the holders' cut, ONE / 4");
      await unlockAll();
      const a = await vault.claimable(model.modelId, ETH, labA.address);
      expect(a + (await vault.claimable(model.modelId, ETH, buyer.address))).to.be.within(ONE / 4n - 1n, ONE / 4n);
    });

    it("moves the end of the window to the amount-weighted average, so dust cannot delay earlier revenue", async function () {
      const { vault, model, payer } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE }); // holders: ONE / 2
      const t0 = BigInt(await networkHelpers.time.latest());
      // Half unlocked (ONE / 4 left, half a window to go) when ONE / 2 more arrives for the holders:
      // (ONE/4 * W/2 + ONE/2 * W) / (3 ONE/4) = 5W/6 from now.
      const t1 = t0 + WINDOW / 2n;
      const end = t1 + (5n * WINDOW) / 6n;
      await nextAt(t1);
      await expect(vault.connect(payer).deposit(model.modelId, ETH, ONE, { value: ONE }))
        .to.emit(vault, "HolderRevenueUnlocking")
        .withArgs(model.modelId, ETH, (ONE * 3n) / 4n, end);
      // Ten seconds later a 1-wei holder cut arrives: the end does not move.
      await nextAt(t1 + 10n);
      await vault.connect(payer).deposit(model.modelId, ETH, 2n, { value: 2n });
      const left = (ONE * 3n) / 4n - (((ONE * 3n) / 4n) * 10n) / ((5n * WINDOW) / 6n);
      expect(await vault.unlocking(model.modelId, ETH)).to.deep.equal([left + 1n, end, WINDOW]);
    });

    it("lets the DAO set the window within [1 hour, 365 days] for payments from then on", async function () {
      const { vault, model, labA, payer, timelock } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      const [, end] = await vault.unlocking(model.modelId, ETH);
      await expect(vault.connect(timelock).setUnlockWindow(model.modelId, HOUR - 1n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidUnlockWindow")
        .withArgs(HOUR - 1n, HOUR, 365n * DAY);
      await expect(vault.connect(timelock).setUnlockWindow(model.modelId, 365n * DAY + 1n))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidUnlockWindow")
        .withArgs(365n * DAY + 1n, HOUR, 365n * DAY);
      await expect(vault.connect(labA).setUnlockWindow(model.modelId, HOUR))
        .to.be.revertedWithCustomError(vault, "RevenueVaultUnauthorizedTimelock")
        .withArgs(labA.address, model.modelId);
      expect((await vault.unlocking(model.modelId, ETH))[2]).to.equal(WINDOW, "unchanged by refused calls");
      await expect(vault.connect(timelock).setUnlockWindow(model.modelId, HOUR))
        .to.emit(vault, "UnlockWindowSet")
        .withArgs(model.modelId, HOUR);
      const [, endNow, window] = await vault.unlocking(model.modelId, ETH);
      expect([endNow, window]).to.deep.equal([end, HOUR], "what is unlocking keeps its schedule");
      // The next payment, once nothing is unlocking, unlocks within the hour.
      await unlockAll();
      await vault.connect(labA).claim(model.modelId, ETH); // the first payment: 250
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      const t1 = BigInt(await networkHelpers.time.latest());
      expect((await vault.unlocking(model.modelId, ETH))[1]).to.equal(t1 + HOUR);
      await networkHelpers.time.increaseTo(t1 + HOUR);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(250n);
    });
  });

  describe("revenue follows the fractions", function () {
    it("moves only future revenue with a transfer; a buyer before a large deposit earns only from then on", async function () {
      const { vault, shares, model, labA, buyer, payer } = await networkHelpers.loadFixture(fixture);
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n }); // holders: 500
      await unlockAll();
      const aBefore = await vault.claimable(model.modelId, ETH, labA.address);
      expect(aBefore).to.equal(250n);
      await shares.connect(labA).safeTransferFrom(labA.address, buyer.address, model.modelId, 250n, "0x");
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(aBefore, "seller keeps what it earned");
      expect(await vault.claimable(model.modelId, ETH, buyer.address)).to.equal(0n, "buyer earned nothing yet");
      await vault.connect(payer).deposit(model.modelId, ETH, 1_000_000n, { value: 1_000_000n }); // holders: 500,000
      await unlockAll();
      expect(await vault.claimable(model.modelId, ETH, buyer.address)).to.equal(125_000n);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(aBefore + 125_000n);
    });

    it("excludes treasury fractions from the holder base", async function () {
      const { vault, shares, model, labA, payer, timelock } = await networkHelpers.loadFixture(fixture);
      await shares.connect(timelock).mint(await model.timelock.getAddress(), model.modelId, 9000n, "0x");
      await vault.connect(payer).deposit(model.modelId, ETH, 2000n, { value: 2000n }); // holders: 1000 over 1000 fractions
      await unlockAll();
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
      await unlockAll();
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

    it("pays a holder's claim and a contributor's release to another recipient (claimTo, releaseTo)", async function () {
      const { vault, model, usd, labA, c1, buyer, payer } = await networkHelpers.loadFixture(fixture);
      const u = await usd.getAddress();
      await vault.connect(payer).deposit(model.modelId, u, 1000n);
      await unlockAll();
      await expect(vault.connect(labA).claimTo(model.modelId, u, ETH))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidRecipient")
        .withArgs(ETH);
      await expect(vault.connect(c1).releaseTo(model.modelId, u, ETH))
        .to.be.revertedWithCustomError(vault, "RevenueVaultInvalidRecipient")
        .withArgs(ETH);
      await expect(vault.connect(labA).claimTo(model.modelId, u, buyer.address))
        .to.emit(vault, "HolderClaimed")
        .withArgs(model.modelId, u, labA.address, 250n);
      await expect(vault.connect(c1).releaseTo(model.modelId, u, buyer.address))
        .to.emit(vault, "ContributorReleased")
        .withArgs(model.modelId, u, c1.address, 150n);
      expect(await usd.balanceOf(buyer.address)).to.equal(400n);
      expect([await usd.balanceOf(labA.address), await usd.balanceOf(c1.address)]).to.deep.equal([0n, 0n]);
      expect(await vault.claimable(model.modelId, u, labA.address)).to.equal(0n);
      expect(await vault.releasable(model.modelId, u, c1.address)).to.equal(0n);
      await expect(vault.connect(labA).claimTo(model.modelId, u, buyer.address))
        .to.be.revertedWithCustomError(vault, "RevenueVaultNothingToRelease")
        .withArgs(model.modelId, u, labA.address);
      await expect(vault.connect(buyer).releaseTo(model.modelId, u, buyer.address))
        .to.be.revertedWithCustomError(vault, "RevenueVaultNothingToRelease")
        .withArgs(model.modelId, u, buyer.address);
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
      await unlockAll();
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(250n, "still unlocks to holders");
      await vault.connect(payer).deposit(model.modelId, ETH, 1000n, { value: 1000n });
      await unlockAll();
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(250n);
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal(300n + 1000n);
      expect(await vault.splitOf(model.modelId)).to.deep.equal([0n, 0n, 10_000n]);
    });

    it("keeps a token whose holder revenue is still unlocking, or was paid, following the fractions", async function () {
      const { vault, shares, model, usd, labA, buyer, payer, timelock } = await networkHelpers.loadFixture(fixture);
      const u = await usd.getAddress();
      await vault.connect(payer).deposit(model.modelId, u, 1000n);
      // Nothing has unlocked yet (holderAcc is 0), but 500 is locked for the holders: the token stays listed.
      await vault.connect(timelock).setPaymentToken(model.modelId, u, false);
      expect(await vault.paymentTokensOf(model.modelId)).to.deep.equal([
        [ETH, u],
        [true, false],
      ]);
      await expect(vault.connect(payer).deposit(model.modelId, u, 1n)).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultTokenNotAllowed",
      );
      await unlockAll();
      await shares.connect(labA).safeTransferFrom(labA.address, buyer.address, model.modelId, 500n, "0x");
      expect(await vault.claimable(model.modelId, u, buyer.address)).to.equal(0n);
      expect(await vault.claimable(model.modelId, u, labA.address)).to.equal(250n);
      // A token that never earned anything leaves the list; with none left the transfer path stops calling the vault.
      await vault.connect(timelock).setPaymentToken(model.modelId, ETH, false);
      expect((await vault.paymentTokensOf(model.modelId))[0]).to.deep.equal([u]);
      expect(await shares.revenueTracked(model.modelId)).to.equal(true);
    });

    it("removes a token that never paid holders or current contributors, after deposits that went only to the treasury", async function () {
      const { vault, shares, model, usd, payer, timelock, timelockAddress } = await networkHelpers.loadFixture(fixture);
      const u = await usd.getAddress();
      await vault.connect(timelock).setSplit(model.modelId, 0n, 0n); // everything to the treasury
      await vault.connect(payer).deposit(model.modelId, u, 1000n);
      await vault.connect(payer).deposit(model.modelId, ETH, 700n, { value: 700n });
      await expect(vault.connect(timelock).setPaymentToken(model.modelId, u, false))
        .to.emit(vault, "PaymentTokenSet")
        .withArgs(model.modelId, u, false);
      expect((await vault.paymentTokensOf(model.modelId))[0]).to.deep.equal([ETH], "u left the list");
      await vault.connect(timelock).setPaymentToken(model.modelId, ETH, false);
      expect(await vault.paymentTokensOf(model.modelId)).to.deep.equal([[], []]);
      expect(await shares.revenueTracked(model.modelId)).to.equal(false, "transfers no longer call the vault");
      // What the treasury is owed in them stays releasable.
      expect(await vault.treasuryReleasable(model.modelId, u)).to.equal(1000n);
      await vault.releaseTreasury(model.modelId, u);
      expect(await usd.balanceOf(timelockAddress)).to.equal(1000n);
      await expect(vault.releaseTreasury(model.modelId, ETH)).to.changeEtherBalance(ethers, timelockAddress, 700n);
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
      for (const call of [
        vault.connect(labA).setContributors(model.modelId, [], []),
        vault.connect(labA).setPaymentToken(model.modelId, ETH, true),
        vault.connect(labA).setUnlockWindow(model.modelId, DAY),
        vault.connect(labA).recoverToken(model.modelId, labA.address),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(vault, "RevenueVaultUnauthorizedTimelock")
          .withArgs(labA.address, model.modelId);
      }
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
        .withArgs(model.modelId, ETH, 1000n)
        .and.to.emit(vault, "Deposited")
        .withArgs(model.modelId, ETH, receiver, 1000n, 200n, 500n, 300n);
      await vault.collectRoyalties(model.modelId, await usd.getAddress());
      expect(await vault.totalDeposited(model.modelId, ETH)).to.equal(1000n);
      expect(await vault.totalDeposited(model.modelId, await usd.getAddress())).to.equal(400n);
      await expect(vault.collectRoyalties(model.modelId, ETH))
        .to.be.revertedWithCustomError(vault, "RevenueVaultNothingArrived")
        .withArgs(model.modelId, ETH);
      const receiverContract = await ethers.getContractAt("RoyaltyReceiver", receiver);
      expect(await receiverContract.VAULT()).to.equal(await vault.getAddress());
      await expect(receiverContract.connect(labA).sweep(ETH, labA.address))
        .to.be.revertedWithCustomError(receiverContract, "RoyaltyReceiverUnauthorized")
        .withArgs(labA.address);
    });

    it("accepts a 2,300-gas transfer in a later transaction, once deployed, and collectRoyalties credits it", async function () {
      const { vault, model, usd, labA, payer, timelockAddress } = await networkHelpers.loadFixture(fixture);
      const receiver = await vault.royaltyReceiverOf(model.modelId);
      // Deployed (CREATE2, salt = model id) and pinned when the model first allowed a payment token, so a
      // marketplace can pay it before anyone collects, and later vault upgrades keep finding it.
      await usd.connect(payer).transfer(receiver, 10n);
      await vault.collectRoyalties(model.modelId, await usd.getAddress());
      const code = await ethers.provider.getCode(receiver);
      expect(code).to.not.equal("0x", "deployed");
      expect(code.length).to.be.greaterThan(200, "a complete contract, not a delegating proxy");
      // A marketplace paying with Solidity's `transfer` in a fresh transaction: the receive() fits the stipend.
      const sender = await ethers.deployContract("StipendSender");
      await expect(sender.send(receiver, { value: 1000n })).to.changeEtherBalance(ethers, receiver, 1000n);
      await expect(vault.collectRoyalties(model.modelId, ETH))
        .to.emit(vault, "RoyaltiesCollected")
        .withArgs(model.modelId, ETH, 1000n);
      expect(await ethers.provider.getBalance(receiver)).to.equal(0n);
      expect(await vault.totalDeposited(model.modelId, ETH)).to.equal(1000n);
      expect(await vault.treasuryReleasable(model.modelId, ETH)).to.equal(300n);
      await unlockAll();
      expect(await vault.claimable(model.modelId, ETH, timelockAddress)).to.equal(0n);
      expect(await vault.claimable(model.modelId, ETH, labA.address)).to.equal(250n);
    });

    it("recovers a fifth token paid to the royalty receiver to the treasury, by vote only, never an allowed token", async function () {
      const { vault, model, usd, labA, labB, payer, timelock, timelockAddress } =
        await networkHelpers.loadFixture(fixture);
      // Four allowed tokens (ETH, tUSD and two more): the allow-list is full.
      for (const name of ["A", "B"]) {
        const t = await ethers.deployContract("TestToken", [name, name, 18]);
        await vault.connect(timelock).setPaymentToken(model.modelId, await t.getAddress(), true);
      }
      expect((await vault.paymentTokensOf(model.modelId))[0]).to.have.length(4);
      const fifth = await ethers.deployContract("TestToken", ["Fifth", "FIF", 18]);
      const f = await fifth.getAddress();
      await expect(vault.connect(timelock).setPaymentToken(model.modelId, f, true)).to.be.revertedWithCustomError(
        vault,
        "RevenueVaultTooManyTokens",
      );
      const receiver = await vault.royaltyReceiverOf(model.modelId);
      await fifth.mint(payer.address, 5000n);
      await fifth.connect(payer).transfer(receiver, 5000n);
      await usd.connect(payer).transfer(receiver, 40n);
      // It is not revenue: it cannot be collected.
      await expect(vault.collectRoyalties(model.modelId, f))
        .to.be.revertedWithCustomError(vault, "RevenueVaultTokenNotAllowed")
        .withArgs(model.modelId, f);
      // Only the model's timelock recovers, and never an allowed token (that one is collected as revenue).
      await expect(vault.connect(labA).recoverToken(model.modelId, f))
        .to.be.revertedWithCustomError(vault, "RevenueVaultUnauthorizedTimelock")
        .withArgs(labA.address, model.modelId);
      for (const allowed of [await usd.getAddress(), ETH]) {
        await expect(vault.connect(timelock).recoverToken(model.modelId, allowed))
          .to.be.revertedWithCustomError(vault, "RevenueVaultTokenAllowed")
          .withArgs(model.modelId, allowed);
      }
      expect(await fifth.balanceOf(receiver)).to.equal(5000n, "nothing moved");
      expect(await usd.balanceOf(receiver)).to.equal(40n, "nothing moved");
      // By vote (the proposal builder the tasks use): the timelock calls recoverToken.
      const p = await recoverToken({ vault, modelId: model.modelId, token: f, description: "Recover FIF" });
      const h = new GovernanceHelper(model.governor, p, networkHelpers);
      await h.readyToExecute(labA, [labA, labB]);
      await expect(h.execute()).to.emit(vault, "TokenRecovered").withArgs(model.modelId, f, timelockAddress, 5000n);
      expect(await fifth.balanceOf(timelockAddress)).to.equal(5000n);
      expect(await fifth.balanceOf(receiver)).to.equal(0n);
      expect(await vault.totalDeposited(model.modelId, f)).to.equal(0n, "recovered, not split as revenue");
      await expect(vault.connect(timelock).recoverToken(model.modelId, f))
        .to.be.revertedWithCustomError(vault, "RevenueVaultNothingArrived")
        .withArgs(model.modelId, f);
      // The allowed token is still collected as revenue.
      await vault.collectRoyalties(model.modelId, await usd.getAddress());
      expect(await vault.totalDeposited(model.modelId, await usd.getAddress())).to.equal(40n);
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
      await unlockAll();
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
      await setUnlockWindow({ vault: f.vault, modelId: f.model.modelId, seconds: DAY, description: "1-day unlock" }),
    ]);
    await new GovernanceHelper(f.model.governor, p, nh).pass(f.labA, [f.labA, f.labB]);
    expect(await f.vault.splitOf(f.model.modelId)).to.deep.equal([1000n, 6000n, 3000n]);
    expect(await f.shares.revenueTracked(f.model.modelId)).to.equal(true);
    await f.vault.deposit(f.model.modelId, ETH, 100n, { value: 100n });
    const t0 = BigInt(await nh.time.latest());
    expect(await f.vault.releasable(f.model.modelId, ETH, c1.address)).to.equal(10n);
    expect(await f.vault.unlocking(f.model.modelId, ETH)).to.deep.equal([60n, t0 + DAY, DAY]);
    await nh.time.increaseTo(t0 + DAY);
    expect(await f.vault.claimable(f.model.modelId, ETH, f.labA.address)).to.equal(30n);
  });
});
