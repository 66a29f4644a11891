/**
 * LicenseManager: governed offers, licences that keep the terms they were bought under, renewals, metered usage
 * with EIP-712 receipts, access checks, revenue routing, and hostile buyers and tokens.
 *
 * Offers normally arrive by proposal (the price-change test does exactly that); other tests act as the model's
 * timelock directly, by impersonating it on the simulated chain.
 */
import { expect } from "chai";
import hre from "hardhat";

import { updateOffer, type OfferTerms } from "../../../governance/index.js";
import { defaultGovernance, receiptDomain, registerModel, signReceipt } from "../../../sdk/index.js";
import { protocolWithModel } from "../../helpers/fixtures.js";
import { GovernanceHelper } from "../../helpers/governance.js";

const { ethers, networkHelpers } = await hre.network.create();
const ETH = ethers.ZeroAddress;
const DAY = 86400n;
const PRICE = ethers.parseEther("0.1");

function terms(overrides: Partial<OfferTerms> = {}): OfferTerms {
  return {
    price: PRICE,
    paymentToken: ETH,
    duration: 30n * DAY,
    credits: 1000n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://licence-terms-v1",
    termsHash: ethers.id("licence terms v1"),
    ...overrides,
  };
}

async function fixture() {
  const f = await protocolWithModel(ethers);
  const [, , , , , , buyer, operator, other, payer] = f.signers;
  const timelockAddress = await f.model.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelockAddress);
  await networkHelpers.setBalance(timelockAddress, ethers.parseEther("1"));
  const timelock = await ethers.getSigner(timelockAddress);
  const licenses = f.licenses.connect(timelock);
  await licenses.addOffer(f.model.modelId, terms()); // offer 1: metered, 30 days, non-transferable
  await licenses.addOffer(
    f.model.modelId,
    terms({ credits: 0n, duration: 0n, transferable: true, price: PRICE * 10n }),
  ); // offer 2
  await licenses.setOperator(f.model.modelId, operator.address);
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
        licenses.connect(other).setOperator(model.modelId, other.address),
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
    });
  });

  describe("purchase", function () {
    it("mints a licence recording the terms, expiry and credits, refunds excess ETH, and grants access", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const { licenses, model, buyer } = f;
      expect(await licenses.hasAccess(model.modelId, buyer.address)).to.equal(false);
      const tx = licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, PRICE * 2n, { value: PRICE * 2n });
      await expect(tx).to.changeEtherBalances(ethers, [buyer, licenses], [-PRICE, PRICE]);
      await expect(tx).to.emit(licenses, "LicencePurchased");
      const l = await licenses.licence(1n);
      expect(l.modelId).to.equal(model.modelId);
      expect(l.credits).to.equal(1000n);
      expect(l.metered).to.equal(true);
      expect(l.expiry).to.equal(BigInt(await networkHelpers.time.latest()) + 30n * DAY);
      expect(await licenses.ownerOf(1n)).to.equal(buyer.address);
      expect(await licenses.hasAccess(model.modelId, buyer.address)).to.equal(true);
      expect(await licenses.pendingRevenue(model.modelId, ETH)).to.equal(PRICE);
      expect((await licenses.offer(model.modelId, 1n)).sold).to.equal(1n);
    });

    it("rejects a price above maxPrice, underpayment, sales off or sold out, a zero recipient, and ETH for an ERC-20 offer; nothing moves", async function () {
      const { licenses, model, buyer, timelock } = await networkHelpers.loadFixture(fixture);
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
      expect(before - (await ethers.provider.getBalance(buyer.address))).to.be.lessThan(
        PRICE / 10n,
        "only gas spent in ETH",
      );
    });

    it("buys with an EIP-2612 permit, and still works when the permit was front-run", async function () {
      const { licenses, model, buyer, timelock } = await networkHelpers.loadFixture(fixture);
      const token = await ethers.deployContract("PermitToken");
      await token.mint(buyer.address, 100n);
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
    });

    it("rejects a fee-on-transfer token with a clear error and accepts a token without return values", async function () {
      const { licenses, model, buyer, timelock } = await networkHelpers.loadFixture(fixture);
      const fee = await ethers.deployContract("FeeOnTransferToken", [100n]);
      await licenses
        .connect(timelock)
        .addOffer(model.modelId, terms({ paymentToken: await fee.getAddress(), price: 10_000n }));
      await fee.mint(buyer.address, 10_000n);
      await fee.connect(buyer).approve(await licenses.getAddress(), 10_000n);
      await expect(licenses.connect(buyer).purchase(model.modelId, 3n, buyer.address, 10_000n))
        .to.be.revertedWithCustomError(licenses, "LicenseManagerUnderpaid")
        .withArgs(await fee.getAddress(), 10_000n, 9_900n);
      const bare = await ethers.deployContract("NoReturnToken");
      await licenses
        .connect(timelock)
        .addOffer(model.modelId, terms({ paymentToken: await bare.getAddress(), price: 7n }));
      await bare.mint(buyer.address, 7n);
      await bare.connect(buyer).approve(await licenses.getAddress(), 7n);
      await licenses.connect(buyer).purchase(model.modelId, 4n, buyer.address, 7n);
      expect(await bare.balanceOf(await licenses.getAddress())).to.equal(7n);
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
      await f.licenses.connect(f.other).renew(1n, PRICE, { value: PRICE }); // anyone may pay
      const now = BigInt(await networkHelpers.time.latest());
      expect((await f.licenses.licence(1n)).expiry).to.equal(now + 30n * DAY);
      expect(await f.licenses.hasAccess(f.model.modelId, f.buyer.address)).to.equal(true);
      expect((await f.licenses.licence(1n)).credits).to.equal(2000n);
    });

    it("loses access when credits run out and regains it with a top-up", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      const domain = await receiptDomain(f.licenses);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      await f.licenses
        .connect(f.operator)
        .settleUsage([await signReceipt(f.buyer, domain, { licenceId: 1n, amount: 1000n, nonce: 0n, deadline })]);
      expect(await f.licenses.hasAccess(f.model.modelId, f.buyer.address)).to.equal(false);
      await expect(f.licenses.connect(f.buyer).renew(1n, PRICE - 1n, { value: PRICE })).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerPriceAboveMax",
      );
      await f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE });
      expect(await f.licenses.hasAccess(f.model.modelId, f.buyer.address)).to.equal(true);
    });

    it("cannot renew a withdrawn offer; fraction holders have access without a licence", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      await f.licenses.connect(f.timelock).setOnSale(f.model.modelId, 1n, false);
      await expect(f.licenses.connect(f.buyer).renew(1n, PRICE, { value: PRICE })).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerNotOnSale",
      );
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

  describe("usage receipts", function () {
    async function withLicence() {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      const domain = await receiptDomain(f.licenses);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      return { ...f, domain, deadline };
    }

    it("settles many receipts in one transaction and spends exactly their credits", async function () {
      const f = await withLicence();
      const receipts = [];
      for (let n = 0n; n < 5n; ++n)
        receipts.push(
          await signReceipt(f.buyer, f.domain, { licenceId: 1n, amount: 10n + n, nonce: n, deadline: f.deadline }),
        );
      await expect(f.licenses.connect(f.operator).settleUsage(receipts))
        .to.emit(f.licenses, "UsageSettled")
        .withArgs(1n, 4n, 14n, 940n);
      expect((await f.licenses.licence(1n)).credits).to.equal(940n);
      expect((await f.licenses.licence(1n)).nonce).to.equal(5n);
    });

    it("rejects replay, a wrong signer, an expired receipt, over-spending, another chain, another model and a non-operator", async function () {
      const f = await withLicence();
      const r0 = await signReceipt(f.buyer, f.domain, { licenceId: 1n, amount: 1n, nonce: 0n, deadline: f.deadline });
      await f.licenses.connect(f.operator).settleUsage([r0]);
      await expect(f.licenses.connect(f.operator).settleUsage([r0]))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerReceiptNonce")
        .withArgs(0n, 1n, 0n);
      const forged = await signReceipt(f.other, f.domain, {
        licenceId: 1n,
        amount: 1n,
        nonce: 1n,
        deadline: f.deadline,
      });
      await expect(f.licenses.connect(f.operator).settleUsage([forged]))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerReceiptSigner")
        .withArgs(0n, 1n);
      const late = await signReceipt(f.buyer, f.domain, { licenceId: 1n, amount: 1n, nonce: 1n, deadline: 1n });
      await expect(f.licenses.connect(f.operator).settleUsage([late]))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerReceiptExpired")
        .withArgs(0n, 1n);
      const greedy = await signReceipt(f.buyer, f.domain, {
        licenceId: 1n,
        amount: 1000n,
        nonce: 1n,
        deadline: f.deadline,
      });
      await expect(f.licenses.connect(f.operator).settleUsage([greedy]))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerInsufficientCredits")
        .withArgs(0n, 1n, 999n, 1000n);
      const otherChain = await signReceipt(
        f.buyer,
        { ...f.domain, chainId: 1n },
        { licenceId: 1n, amount: 1n, nonce: 1n, deadline: f.deadline },
      );
      await expect(f.licenses.connect(f.operator).settleUsage([otherChain])).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerReceiptSigner",
      );
      await expect(f.licenses.connect(f.other).settleUsage([r0]))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerNotOperator")
        .withArgs(f.other.address, f.model.modelId);
      // Model B's operator cannot settle model A's licence.
      const b = await registerModel(ethers, f.registry, {
        name: "B",
        symbol: "B",
        contentHash: ethers.ZeroHash,
        metadataURI: "",
        members: [{ account: f.labA.address, amount: 1n }],
        governance: defaultGovernance(),
      });
      const tb = await b.timelock.getAddress();
      await networkHelpers.impersonateAccount(tb);
      await networkHelpers.setBalance(tb, ethers.parseEther("1"));
      await f.licenses.connect(await ethers.getSigner(tb)).setOperator(b.modelId, f.other.address);
      const valid = await signReceipt(f.buyer, f.domain, {
        licenceId: 1n,
        amount: 1n,
        nonce: 1n,
        deadline: f.deadline,
      });
      await expect(f.licenses.connect(f.other).settleUsage([valid]))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerNotOperator")
        .withArgs(f.other.address, f.model.modelId);
      await expect(f.licenses.connect(f.operator).settleUsage([{ ...valid, licenceId: 42n }]))
        .to.be.revertedWithCustomError(f.licenses, "LicenseManagerUnknownLicence")
        .withArgs(42n);
      expect((await f.licenses.licence(1n)).credits).to.equal(999n, "only the first receipt was ever spent");
    });

    it("refuses to spend credits of an expired licence", async function () {
      const f = await withLicence();
      await networkHelpers.time.increase(30n * DAY + 1n);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: 1n, amount: 1n, nonce: 0n, deadline });
      await expect(f.licenses.connect(f.operator).settleUsage([r])).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerLicenceExpired",
      );
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
    it("routes licence revenue to the revenue vault, where it is split", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await buy(f);
      await expect(f.licenses.flushRevenue(f.model.modelId, ETH)).to.emit(f.vault, "Deposited");
      expect(await f.vault.totalDeposited(f.model.modelId, ETH)).to.equal(PRICE);
      await expect(f.licenses.flushRevenue(f.model.modelId, ETH)).to.be.revertedWithCustomError(
        f.licenses,
        "LicenseManagerNothingToFlush",
      );
      await expect(f.licenses.connect(f.other).setRevenueSink(ETH)).to.be.revertedWithCustomError(
        f.licenses,
        "AccessControlUnauthorizedAccount",
      );
      await f.licenses.setRevenueSink(ETH); // admin: no sink, pay treasuries directly
      await f.licenses.connect(f.other).purchase(f.model.modelId, 1n, f.other.address, PRICE, { value: PRICE });
      await expect(f.licenses.flushRevenue(f.model.modelId, ETH)).to.changeEtherBalance(
        ethers,
        await f.model.timelock.getAddress(),
        PRICE,
      );
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
      await f.vault.collectRoyalties(f.model.modelId, ETH);
      expect(await f.vault.totalDeposited(f.model.modelId, ETH)).to.equal(amount);
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
  });
});
