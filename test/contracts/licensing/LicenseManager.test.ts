/**
 * LicenseManager: governed offers, licences that keep the terms they were bought under, renewals that give what the
 * offer gives now, credits spent only by the UsageMeter (its receipts are tested in test/contracts/usage), access
 * checks, every payment credited to the revenue vault in the transaction that pays it, escaped metadata, and hostile
 * buyers and tokens.
 *
 * Offers normally arrive by proposal (the price-change test does exactly that); other tests act as the model's
 * timelock directly, by impersonating it on the simulated chain.
 */
import { expect } from "chai";
import hre from "hardhat";

import { updateOffer } from "../../../governance/index.js";
import { receiptDomain, signReceipt } from "../../../sdk/index.js";
import { offerTerms, protocolWithModel, timelockSigner } from "../../helpers/fixtures.js";
import { GovernanceHelper } from "../../helpers/governance.js";

const { ethers, networkHelpers } = await hre.network.create();
const ETH = ethers.ZeroAddress;
const DAY = 86400n;
const PRICE = ethers.parseEther("0.1");

const terms = offerTerms;

async function fixture() {
  const f = await protocolWithModel(ethers);
  const [, , , , , , buyer, operator, other, payer] = f.signers;
  const timelock = await timelockSigner({ ethers, networkHelpers }, f.model.timelock);
  const licenses = f.licenses.connect(timelock);
  await licenses.addOffer(f.model.modelId, terms()); // offer 1: metered, 30 days, non-transferable
  await licenses.addOffer(
    f.model.modelId,
    terms({ credits: 0n, duration: 0n, transferable: true, price: PRICE * 10n }),
  ); // offer 2
  await f.meter.connect(timelock).setOperator(f.model.modelId, operator.address);
  await f.vault.connect(timelock).setPaymentToken(f.model.modelId, ETH, true);
  return { ...f, timelock, buyer, operator, other, payer };
}

/** The fixture's buyer buys one licence of `offerId` (licence ids start at 1). */
async function buy(f: Awaited<ReturnType<typeof fixture>>, offerId = 1n, value = PRICE): Promise<void> {
  await (
    await f.licenses.connect(f.buyer).purchase(f.model.modelId, offerId, f.buyer.address, value, { value })
  ).wait();
}

describe("LicenseManager", function () {
  describe("offers (the model's timelock only)", function () {
    it("refuses offer and operator changes from anyone else, and validates offers", async function () {
      const { licenses, model, other, timelock } = await networkHelpers.loadFixture(fixture);
      for (const call of [
        licenses.connect(other).addOffer(model.modelId, terms()),
        licenses.connect(other).updateOffer(model.modelId, 1n, terms()),
        licenses.connect(other).setOnSale(model.modelId, 1n, false),
        licenses.connect(other).setLicenceRoyalty(model.modelId, 1n),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(licenses, "LicenseManagerUnauthorizedTimelock")
          .withArgs(other.address, model.modelId);
      }
      await expect(licenses.connect(other).addOffer(99n, terms()))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerUnknownModel")
        .withArgs(99n);
      await expect(licenses.connect(timelock).updateOffer(model.modelId, 9n, terms()))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerUnknownOffer")
        .withArgs(model.modelId, 9n);
      await expect(licenses.connect(timelock).addOffer(model.modelId, terms({ termsURI: "" })))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerInvalidOffer")
        .withArgs("termsURI");
      await expect(licenses.connect(timelock).addOffer(model.modelId, terms({ termsHash: ethers.ZeroHash })))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerInvalidOffer")
        .withArgs("termsHash");
      expect(await licenses.offerCount(model.modelId)).to.equal(2n, "no offer added");
    });

    it("refuses a terms URI with a control character (it would break the licence's JSON), naming where", async function () {
      const { licenses, model, timelock } = await networkHelpers.loadFixture(fixture);
      for (const [uri, index, char] of [
        ["ipfs://terms\n", 12n, "0x0a"],
        ["\u0000ipfs://terms", 0n, "0x00"],
        ["ipfs://te\u001frms", 9n, "0x1f"],
        ["ipfs://terms\u007f", 12n, "0x7f"],
      ] as const) {
        await expect(licenses.connect(timelock).addOffer(model.modelId, terms({ termsURI: uri })))
          .to.be.revertedWithCustomError(licenses, "LicenseManagerInvalidTermsURI")
          .withArgs(index, char);
        await expect(licenses.connect(timelock).updateOffer(model.modelId, 1n, terms({ termsURI: uri })))
          .to.be.revertedWithCustomError(licenses, "LicenseManagerInvalidTermsURI")
          .withArgs(index, char);
      }
      expect(await licenses.offerCount(model.modelId)).to.equal(2n, "no offer added");
      const [termsId] = await licenses.offer(model.modelId, 1n);
      expect((await licenses.terms(termsId)).termsURI).to.equal("ipfs://licence-terms-v1", "offer 1 unchanged");
    });
  });

  describe("purchase", function () {
    it("mints a licence recording the terms, expiry and credits, refunds excess ETH, and grants access", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const { licenses, model, buyer } = f;
      expect(await licenses.hasAccess(model.modelId, buyer.address)).to.equal(false);
      const tx = licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, PRICE * 2n, { value: PRICE * 2n });
      await expect(tx).to.changeEtherBalances(ethers, [buyer, licenses, f.vault], [-PRICE, 0n, PRICE]);
      await expect(tx).to.emit(licenses, "LicencePurchased");
      const l = await licenses.licence(1n);
      expect(l.modelId).to.equal(model.modelId);
      expect(l.credits).to.equal(1000n);
      expect(l.metered).to.equal(true);
      expect(l.expiry).to.equal(BigInt(await networkHelpers.time.latest()) + 30n * DAY);
      expect(await licenses.ownerOf(1n)).to.equal(buyer.address);
      expect(await licenses.hasAccess(model.modelId, buyer.address)).to.equal(true);
      expect((await licenses.offer(model.modelId, 1n)).sold).to.equal(1n);
      // The payment is credited to the model's revenue in the same transaction: nothing waits in the manager.
      await expect(tx)
        .to.emit(f.vault, "Deposited")
        .withArgs(model.modelId, ETH, await licenses.getAddress(), PRICE, 0n, 0n, PRICE);
      expect(await f.vault.totalDeposited(model.modelId, ETH)).to.equal(PRICE);
      expect(await licenses.pendingRevenue(model.modelId, ETH)).to.equal(0n);
      expect(await ethers.provider.getBalance(await licenses.getAddress())).to.equal(0n);
    });

    it("rejects a price above maxPrice, underpayment, sales off or sold out, a zero recipient, and ETH for an ERC-20 offer; nothing moves", async function () {
      const { licenses, vault, model, buyer, timelock } = await networkHelpers.loadFixture(fixture);
      const before = await ethers.provider.getBalance(buyer.address);
      await expect(licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, PRICE - 1n, { value: PRICE }))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerPriceAboveMax")
        .withArgs(PRICE, PRICE - 1n);
      await expect(licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, PRICE, { value: PRICE - 1n }))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerInsufficientPayment")
        .withArgs(PRICE, PRICE - 1n);
      await expect(licenses.connect(buyer).purchase(model.modelId, 1n, ETH, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerInvalidRecipient")
        .withArgs(ETH);
      await expect(licenses.connect(buyer).purchase(model.modelId, 7n, buyer.address, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerUnknownOffer")
        .withArgs(model.modelId, 7n);
      await licenses.connect(timelock).setOnSale(model.modelId, 1n, false);
      await expect(licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerNotOnSale")
        .withArgs(model.modelId, 1n);
      const usd = await ethers.deployContract("TestToken", ["USD", "USD", 6]);
      await vault.connect(timelock).setPaymentToken(model.modelId, await usd.getAddress(), true);
      const id = await licenses
        .connect(timelock)
        .addOffer.staticCall(model.modelId, terms({ paymentToken: await usd.getAddress(), price: 5n, cap: 1n }));
      await licenses
        .connect(timelock)
        .addOffer(model.modelId, terms({ paymentToken: await usd.getAddress(), price: 5n, cap: 1n }));
      await expect(licenses.connect(buyer).purchase(model.modelId, id, buyer.address, 5n, { value: 1n }))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerUnexpectedEth")
        .withArgs(1n);
      await usd.mint(buyer.address, 10n);
      await usd.connect(buyer).approve(await licenses.getAddress(), 10n);
      await licenses.connect(buyer).purchase(model.modelId, id, buyer.address, 5n);
      await expect(licenses.connect(buyer).purchase(model.modelId, id, buyer.address, 5n))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerSoldOut")
        .withArgs(model.modelId, id, 1n);
      expect(await usd.balanceOf(buyer.address)).to.equal(5n, "only the one sale moved tokens");
      expect(await usd.balanceOf(await vault.getAddress())).to.equal(5n, "credited to the model's revenue");
      expect(await vault.totalDeposited(model.modelId, ETH)).to.equal(0n, "no ETH sale went through");
      expect(await licenses.balanceOf(buyer.address)).to.equal(1n);
      expect(before - (await ethers.provider.getBalance(buyer.address))).to.be.lessThan(
        PRICE / 10n,
        "only gas spent in ETH",
      );
    });

    it("buys with an EIP-2612 permit, and still works when the permit was front-run", async function () {
      const { licenses, vault, model, buyer, timelock } = await networkHelpers.loadFixture(fixture);
      const token = await ethers.deployContract("PermitToken");
      await token.mint(buyer.address, 100n);
      await vault.connect(timelock).setPaymentToken(model.modelId, await token.getAddress(), true);
      const offerId = 3n;
      await licenses
        .connect(timelock)
        .addOffer(model.modelId, terms({ paymentToken: await token.getAddress(), price: 40n }));
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const domain = {
        name: "Permit USD",
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await token.getAddress(),
      };
      const types = {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      };
      const sig = ethers.Signature.from(
        await buyer.signTypedData(domain, types, {
          owner: buyer.address,
          spender: await licenses.getAddress(),
          value: 40n,
          nonce: 0n,
          deadline,
        }),
      );
      await token.permit(buyer.address, await licenses.getAddress(), 40n, deadline, sig.v, sig.r, sig.s); // front-run
      await licenses
        .connect(buyer)
        .purchaseWithPermit(model.modelId, offerId, buyer.address, 40n, deadline, sig.v, sig.r, sig.s);
      expect(await token.balanceOf(buyer.address)).to.equal(60n);
      expect(await licenses.ownerOf(1n)).to.equal(buyer.address);
      expect(await vault.totalDeposited(model.modelId, await token.getAddress())).to.equal(40n);
    });

    it("rejects a fee-on-transfer token with a clear error and accepts a token without return values", async function () {
      const { licenses, vault, model, buyer, timelock } = await networkHelpers.loadFixture(fixture);
      const fee = await ethers.deployContract("FeeOnTransferToken", [100n]);
      await licenses
        .connect(timelock)
        .addOffer(model.modelId, terms({ paymentToken: await fee.getAddress(), price: 10_000n }));
      await fee.mint(buyer.address, 10_000n);
      await fee.connect(buyer).approve(await licenses.getAddress(), 10_000n);
      await expect(licenses.connect(buyer).purchase(model.modelId, 3n, buyer.address, 10_000n))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerUnderpaid")
        .withArgs(await fee.getAddress(), 10_000n, 9_900n);
      expect(await fee.balanceOf(buyer.address)).to.equal(10_000n, "nothing moved");
      const bare = await ethers.deployContract("NoReturnToken");
      await vault.connect(timelock).setPaymentToken(model.modelId, await bare.getAddress(), true);
      await licenses
        .connect(timelock)
        .addOffer(model.modelId, terms({ paymentToken: await bare.getAddress(), price: 7n }));
      await bare.mint(buyer.address, 7n);
      await bare.connect(buyer).approve(await licenses.getAddress(), 7n);
      await licenses.connect(buyer).purchase(model.modelId, 4n, buyer.address, 7n);
      expect(await bare.balanceOf(await licenses.getAddress())).to.equal(0n);
      expect(await bare.balanceOf(await vault.getAddress())).to.equal(7n, "credited in the same transaction");
      expect(await vault.totalDeposited(model.modelId, await bare.getAddress())).to.equal(7n);
    });
  });

  it("a price change by vote: existing licences keep terms and expiry; a racing purchase with the old maxPrice reverts and moves nothing", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const { licenses, model, other, labA, labB } = f;
    await buy(f);
    const before = await licenses.licence(1n);
    const raised = await updateOffer({
      licenses: f.licenses,
      modelId: model.modelId,
      offerId: 1n,
      terms: terms({
        price: PRICE * 2n,
        duration: 10n * DAY,
        credits: 5n,
        termsURI: "ipfs://licence-terms-v2",
        termsHash: ethers.id("v2"),
      }),
      description: "Double the price",
    });
    await new GovernanceHelper(model.governor, raised, networkHelpers).pass(labA, [labA, labB]);
    const after = await licenses.licence(1n);
    expect(after).to.deep.equal(before, "the existing licence is untouched");
    expect((await licenses.terms(after.termsId)).price).to.equal(PRICE);
    const balance = await ethers.provider.getBalance(other.address);
    await expect(licenses.connect(other).purchase(model.modelId, 1n, other.address, PRICE, { value: PRICE }))
      .to.be.revertedWithCustomError(licenses, "LicenseManagerPriceAboveMax")
      .withArgs(PRICE * 2n, PRICE);
    expect(await licenses.balanceOf(other.address)).to.equal(0n);
    expect(balance - (await ethers.provider.getBalance(other.address))).to.be.lessThan(PRICE / 10n);
    await licenses.connect(other).purchase(model.modelId, 1n, other.address, PRICE * 2n, { value: PRICE * 2n });
    const second = await licenses.licence(2n);
    expect(second.credits).to.equal(5n);
    expect((await licenses.terms(second.termsId)).termsURI).to.equal("ipfs://licence-terms-v2");
  });

  describe("expiry, credits and renewal", function () {
    it("loses access on expiry and regains it on renewal from the later of now and expiry", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      await networkHelpers.time.increase(30n * DAY + 1n);
      expect(await f.licenses.hasAccess(f.model.modelId, f.buyer.address)).to.equal(false);
      expect(await f.licenses.isLive(1n)).to.equal(false);
      const renewal = f.licenses.connect(f.other).renew(1n, PRICE, { value: PRICE }); // anyone may pay
      await expect(renewal).to.changeEtherBalances(ethers, [f.other, f.vault], [-PRICE, PRICE]);
      const now = BigInt(await networkHelpers.time.latest());
      await expect(renewal)
        .to.emit(f.licenses, "LicenceRenewed")
        .withArgs(1n, f.other.address, PRICE, now + 30n * DAY, 2000n);
      expect((await f.licenses.licence(1n)).expiry).to.equal(now + 30n * DAY);
      expect(await f.licenses.hasAccess(f.model.modelId, f.buyer.address)).to.equal(true);
      expect((await f.licenses.licence(1n)).credits).to.equal(2000n);
      expect(await f.vault.totalDeposited(f.model.modelId, ETH)).to.equal(2n * PRICE, "both payments credited");
    });

    it("extends a live licence from its expiry, not from now", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      const { expiry } = await f.licenses.licence(1n);
      await networkHelpers.time.increase(10n * DAY);
      await f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE });
      expect((await f.licenses.licence(1n)).expiry).to.equal(expiry + 30n * DAY);
    });

    it("loses access when credits run out and regains it with a top-up", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      const domain = await receiptDomain(f.meter);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      await f.meter
        .connect(f.operator)
        .settle([await signReceipt(f.buyer, domain, { licenceId: 1n, cap: 1000n, deadline })]);
      expect((await f.licenses.licence(1n)).credits).to.equal(0n);
      expect(await f.licenses.hasAccess(f.model.modelId, f.buyer.address)).to.equal(false);
      await expect(f.licenses.connect(f.buyer).renew(1n, PRICE - 1n, { value: PRICE }))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerPriceAboveMax")
        .withArgs(PRICE, PRICE - 1n);
      expect((await f.licenses.licence(1n)).credits).to.equal(0n, "nothing moved");
      await f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE });
      expect((await f.licenses.licence(1n)).credits).to.equal(1000n);
      expect(await f.licenses.hasAccess(f.model.modelId, f.buyer.address)).to.equal(true);
    });

    it("renews to what the offer gives now: a perpetual, unmetered offer makes the licence perpetual and unmetered", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f); // 30 days, 1,000 credits
      await f.licenses
        .connect(f.timelock)
        .updateOffer(f.model.modelId, 1n, terms({ duration: 0n, credits: 0n, termsURI: "ipfs://v2" }));
      await expect(f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE }))
        .to.emit(f.licenses, "LicenceRenewed")
        .withArgs(1n, f.buyer.address, PRICE, 0n, 1000n);
      const l = await f.licenses.licence(1n);
      expect([l.expiry, l.metered]).to.deep.equal([0n, false]);
      expect((await f.licenses.terms(l.termsId)).termsURI).to.equal("ipfs://licence-terms-v1", "keeps its terms");
      await networkHelpers.time.increase(365n * DAY);
      expect(await f.licenses.isLive(1n)).to.equal(true);
      // Renewing again would take the price and give nothing: refused, nothing moves.
      const deposited = await f.vault.totalDeposited(f.model.modelId, ETH);
      await expect(f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerRenewalGivesNothing")
        .withArgs(1n);
      expect(await f.vault.totalDeposited(f.model.modelId, ETH)).to.equal(deposited);
      expect(await f.licenses.licence(1n)).to.deep.equal(l);
    });

    it("renews a metered licence of a perpetual offer with credits and no expiry; refuses a perpetual unmetered one", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await f.licenses.connect(f.timelock).addOffer(f.model.modelId, terms({ duration: 0n, credits: 50n })); // offer 3
      await buy(f, 3n);
      await f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE });
      const l = await f.licenses.licence(1n);
      expect([l.expiry, l.metered, l.credits]).to.deep.equal([0n, true, 100n]);
      // Offer 2 is perpetual and unmetered: its licences have nothing to renew.
      await buy(f, 2n, PRICE * 10n);
      const balance = await ethers.provider.getBalance(f.other.address);
      await expect(f.licenses.connect(f.other).renew(2n, PRICE * 10n, { value: PRICE * 10n }))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerRenewalGivesNothing")
        .withArgs(2n);
      expect(balance - (await ethers.provider.getBalance(f.other.address))).to.be.lessThan(PRICE / 10n, "gas only");
    });

    it("renews a metered licence to unmetered, keeping its expiry rule, when the offer became unmetered", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      const { expiry } = await f.licenses.licence(1n);
      await f.licenses.connect(f.timelock).updateOffer(f.model.modelId, 1n, terms({ credits: 0n }));
      await f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE });
      const l = await f.licenses.licence(1n);
      expect([l.expiry, l.metered]).to.deep.equal([expiry + 30n * DAY, false]);
      // An unmetered licence with an expiry still renews (its expiry moves).
      await f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE });
      expect((await f.licenses.licence(1n)).expiry).to.equal(expiry + 60n * DAY);
    });

    it("cannot renew a withdrawn offer; fraction holders have access without a licence", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      await f.licenses.connect(f.timelock).setOnSale(f.model.modelId, 1n, false);
      await expect(f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerNotOnSale")
        .withArgs(f.model.modelId, 1n);
      expect(await f.licenses.hasAccess(f.model.modelId, f.labC.address)).to.equal(true);
    });
  });

  describe("transfers", function () {
    it("refuses to transfer a non-transferable licence; a transferable one carries access with it", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      await expect(f.licenses.connect(f.buyer).transferFrom(f.buyer.address, f.other.address, 1n))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerNonTransferable")
        .withArgs(1n);
      await f.licenses
        .connect(f.buyer)
        .purchase(f.model.modelId, 2n, f.buyer.address, PRICE * 10n, { value: PRICE * 10n });
      await f.licenses.connect(f.buyer).transferFrom(f.buyer.address, f.other.address, 2n);
      expect(await f.licenses.hasAccess(f.model.modelId, f.other.address)).to.equal(true);
      expect(await f.licenses.primaryLicence(f.model.modelId, f.other.address)).to.equal(2n);
      await expect(f.licenses.connect(f.buyer).usePrimaryLicence(2n)).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerNotLicenceOwner",
      );
    });
  });

  describe("credits are spent by the usage meter only", function () {
    it("refuses spendCredits from anyone but the meter, and lets only the protocol admin name the meter", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      expect(await f.licenses.usageMeter()).to.equal(await f.meter.getAddress());
      for (const caller of [f.operator, f.buyer, f.timelock]) {
        await expect(f.licenses.connect(caller).spendCredits(1n, 10n, f.buyer.address))
          .to.be.revertedWithCustomError(f.licenses, "LicenseManagerNotUsageMeter")
          .withArgs(caller.address);
      }
      expect((await f.licenses.licence(1n)).credits).to.equal(1000n, "nothing spent");
      await expect(f.licenses.connect(f.other).setUsageMeter(f.other.address))
        .to.be.revertedWithCustomError(f.licenses, "AccessControlUnauthorizedAccount")
        .withArgs(f.other.address, ethers.ZeroHash);
      expect(await f.licenses.usageMeter()).to.equal(await f.meter.getAddress());
      // The V1 per-call receipt API is gone; the V1 nonce field stays 0.
      const api = f.licenses.interface as unknown as { getFunction(name: string): unknown };
      expect(api.getFunction("settleUsage")).to.equal(null);
      expect(api.getFunction("setOperator")).to.equal(null);
      expect((await f.licenses.licence(1n)).nonce).to.equal(0n);
    });
  });

  describe("hostile buyers", function () {
    it("cannot re-enter purchase from onERC721Received or from the ETH refund", async function () {
      const { licenses, model } = await networkHelpers.loadFixture(fixture);
      for (const mode of [1n, 2n]) {
        const attacker = await ethers.deployContract("ReentrantLicenceBuyer", [await licenses.getAddress()]);
        const count = await licenses.balanceOf(await attacker.getAddress());
        await attacker.buy(mode, model.modelId, 1n, PRICE, { value: PRICE * 3n });
        expect(await attacker.attempts()).to.equal(1n);
        expect(await attacker.blocked()).to.equal(true);
        expect(await licenses.balanceOf(await attacker.getAddress())).to.equal(count + 1n, "one payment, one licence");
        expect(await ethers.provider.getBalance(await attacker.getAddress())).to.equal(
          PRICE * 2n,
          "refund arrived, nothing kept",
        );
      }
    });
  });

  describe("revenue and metadata", function () {
    it("credits every payment to the revenue vault in the transaction that pays it; nothing is left to flush", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const purchase = f.licenses
        .connect(f.buyer)
        .purchase(f.model.modelId, 1n, f.buyer.address, PRICE, { value: PRICE });
      await expect(purchase)
        .to.emit(f.vault, "Deposited")
        .withArgs(f.model.modelId, ETH, await f.licenses.getAddress(), PRICE, 0n, 0n, PRICE);
      expect(await f.vault.totalDeposited(f.model.modelId, ETH)).to.equal(PRICE);
      expect(await f.licenses.pendingRevenue(f.model.modelId, ETH)).to.equal(0n);
      await expect(f.licenses.flushRevenue(f.model.modelId, ETH))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerNothingToFlush")
        .withArgs(f.model.modelId, ETH);
      await expect(f.licenses.connect(f.other).setRevenueSink(ETH)).to.be.revertedWithCustomError(
        f.licenses,
        "AccessControlUnauthorizedAccount",
      );
      await f.licenses.setRevenueSink(ETH); // admin: no sink, pay treasuries directly
      const treasury = await f.model.timelock.getAddress();
      const direct = f.licenses
        .connect(f.other)
        .purchase(f.model.modelId, 1n, f.other.address, PRICE, { value: PRICE });
      await expect(direct).to.changeEtherBalances(ethers, [f.other, treasury, f.vault], [-PRICE, PRICE, 0n]);
      await expect(direct).to.emit(f.licenses, "RevenueFlushed").withArgs(f.model.modelId, ETH, treasury, PRICE);
      await expect(f.licenses.flushRevenue(f.model.modelId, ETH)).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerNothingToFlush",
      );
    });

    it("refuses a sale in a token the model's revenue does not accept, moving nothing", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const usd = await ethers.deployContract("TestToken", ["USD", "USD", 6]);
      const u = await usd.getAddress();
      await f.licenses.connect(f.timelock).addOffer(f.model.modelId, terms({ paymentToken: u, price: 5n }));
      await usd.mint(f.buyer.address, 5n);
      await usd.connect(f.buyer).approve(await f.licenses.getAddress(), 5n);
      await expect(f.licenses.connect(f.buyer).purchase(f.model.modelId, 3n, f.buyer.address, 5n))
        .to.be.revertedWithCustomError(f.vault, "RevenueVaultTokenNotAllowed")
        .withArgs(f.model.modelId, u);
      expect(await usd.balanceOf(f.buyer.address)).to.equal(5n);
      expect(await f.licenses.balanceOf(f.buyer.address)).to.equal(0n);
    });

    it("pays the model's ERC-2981 licence royalty on secondary sales into that model's revenue", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await f.licenses
        .connect(f.buyer)
        .purchase(f.model.modelId, 2n, f.buyer.address, PRICE * 10n, { value: PRICE * 10n });
      expect(await f.licenses.royaltyInfo(1n, 10_000n)).to.deep.equal([ethers.ZeroAddress, 0n]);
      await expect(f.licenses.connect(f.other).setLicenceRoyalty(f.model.modelId, 500n)).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerUnauthorizedTimelock",
      );
      await expect(f.licenses.connect(f.timelock).setLicenceRoyalty(f.model.modelId, 10_001n))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerInvalidRoyalty")
        .withArgs(f.model.modelId, 10_001n, 10_000n);
      await expect(f.licenses.connect(f.timelock).setLicenceRoyalty(f.model.modelId, 500n))
        .to.emit(f.licenses, "LicenceRoyaltySet")
        .withArgs(f.model.modelId, 500n);
      const [receiver, amount] = await f.licenses.royaltyInfo(1n, ethers.parseEther("2"));
      expect(receiver).to.equal(await f.vault.royaltyReceiverOf(f.model.modelId));
      expect(amount).to.equal(ethers.parseEther("0.1"));
      expect(await f.licenses.supportsInterface("0x2a55205a")).to.equal(true);
      // A marketplace pays the royalty; anyone collects it into the model's revenue.
      await f.other.sendTransaction({ to: receiver, value: amount });
      await expect(f.vault.collectRoyalties(f.model.modelId, ETH))
        .to.emit(f.vault, "RoyaltiesCollected")
        .withArgs(f.model.modelId, ETH, amount);
      expect(await f.vault.totalDeposited(f.model.modelId, ETH)).to.equal(PRICE * 10n + amount, "sale + royalty");
    });

    it("describes a licence and its terms in tokenURI", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      const uri = await f.licenses.tokenURI(1n);
      expect(uri.startsWith("data:application/json;base64,")).to.equal(true);
      const json = JSON.parse(Buffer.from(uri.split(",")[1], "base64").toString("utf8"));
      expect(json.name).to.equal("Weightshare Licence #1");
      expect(json.external_url).to.equal("ipfs://licence-terms-v1");
      const traits = Object.fromEntries(
        json.attributes.map((a: { trait_type: string; value: unknown }) => [a.trait_type, a.value]),
      );
      expect(traits.credits).to.equal(1000);
      expect(traits["commercial use"]).to.equal("yes");
      expect(traits.transferable).to.equal("no");
      expect(traits["terms hash"]).to.equal(ethers.id("licence terms v1"));
      await expect(f.licenses.tokenURI(9n)).to.be.revertedWithCustomError(f.licenses, "LicenseManagerUnknownLicence");
    });

    it("shows a derivative licence's parent share and price floor in tokenURI, and none on other licences", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const derivative = terms({ derivativesAllowed: true, parentShareBps: 1_250n, minDerivativePrice: PRICE / 2n });
      await (await f.licenses.connect(f.timelock).addOffer(f.model.modelId, derivative)).wait(); // offer 3
      await buy(f, 1n);
      await buy(f, 3n);
      const traitsOf = async (licenceId: bigint) => {
        const uri = await f.licenses.tokenURI(licenceId);
        const json = JSON.parse(Buffer.from(uri.split(",")[1], "base64").toString("utf8"));
        return Object.fromEntries(
          json.attributes.map((a: { trait_type: string; value: unknown }) => [a.trait_type, a.value]),
        );
      };
      const plain = await traitsOf(1n);
      expect(plain["derivatives allowed"]).to.equal("no");
      expect(plain).to.not.have.property("parent share (bps)");
      const traits = await traitsOf(2n);
      expect(traits["derivatives allowed"]).to.equal("yes");
      expect(traits["parent share (bps)"]).to.equal(1250);
      // A string of the smallest unit: JSON numbers are not exact past 2^53.
      expect(traits["min derivative price"]).to.equal((PRICE / 2n).toString());
    });

    it("escapes the terms URI in tokenURI, so it can never end its string and rewrite the metadata", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const hostile = 'ipfs://x","name":"Free licence","image":"https://evil.example/\\';
      await f.licenses.connect(f.timelock).updateOffer(f.model.modelId, 1n, terms({ termsURI: hostile }));
      await buy(f);
      const uri = await f.licenses.tokenURI(1n);
      const json = JSON.parse(Buffer.from(uri.split(",")[1], "base64").toString("utf8"));
      expect(json.external_url).to.equal(hostile);
      expect(json.name).to.equal("Weightshare Licence #1");
      expect(json).to.not.have.property("image");
    });
  });
});
