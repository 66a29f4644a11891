/**
 * UsageMeter: a model's operator settles metered usage in batches with cumulative EIP-712 receipts signed by
 * licensees. A receipt authorises a running total (cap) on a licence until a deadline; settling charges
 * `total - settled`, at most the credits left, so a receipt never charges twice and a later one supersedes it. A
 * receipt stays valid if its deadline is at most RECEIPT_WINDOW ahead and its signer held the licence, live, within
 * RECEIPT_WINDOW of that deadline; an ERC-1271 wallet's receipt, once recorded on chain, stays chargeable up to its
 * cap (with an empty signature) even if the wallet revokes it.
 *
 * Every refused settlement reverts as a whole: each such test checks that no credit moved and nothing was recorded.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import hre from "hardhat";

import { setOperator } from "../../../governance/index.js";
import {
  defaultGovernance,
  receiptDomain,
  registerModel,
  signReceipt,
  type SettlementReceipt,
} from "../../../sdk/index.js";
import { offerTerms, protocolWithModel, timelockSigner } from "../../helpers/fixtures.js";
import { GovernanceHelper } from "../../helpers/governance.js";

const { ethers, networkHelpers } = await hre.network.create();
const ETH = ethers.ZeroAddress;
const HOUR = 3600n;
const DAY = 86400n;
const RECEIPT_WINDOW = DAY;

/** Mines the next transaction at exactly `timestamp`. */
const nextAt = (timestamp: bigint) => networkHelpers.time.setNextBlockTimestamp(timestamp);
const PRICE = ethers.parseEther("0.1");

const terms = offerTerms;

async function fixture() {
  const f = await protocolWithModel(ethers);
  const [, , , , , , buyer, operator, other, walletOwner] = f.signers;
  const timelock = await timelockSigner({ ethers, networkHelpers }, f.model.timelock);
  await f.vault.connect(timelock).setPaymentToken(f.model.modelId, ETH, true);
  await f.licenses.connect(timelock).addOffer(f.model.modelId, terms()); // offer 1: 1,000 credits, 30 days
  await f.licenses.connect(timelock).addOffer(f.model.modelId, terms({ credits: 100n, transferable: true })); // 2
  await f.meter.connect(timelock).setOperator(f.model.modelId, operator.address);
  const domain = await receiptDomain(f.meter);
  return { ...f, timelock, buyer, operator, other, walletOwner, domain };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

/** `holder` buys a licence of `offerId` for itself (or `recipient`); returns its id. */
async function buy(f: Fixture, holder: HardhatEthersSigner, offerId = 1n, recipient = holder.address) {
  const id = await f.licenses
    .connect(holder)
    .purchase.staticCall(f.model.modelId, offerId, recipient, PRICE, { value: PRICE });
  await (
    await f.licenses.connect(holder).purchase(f.model.modelId, offerId, recipient, PRICE, { value: PRICE })
  ).wait();
  return id;
}

const now = async () => BigInt(await networkHelpers.time.latest());
const credits = async (f: Fixture, id: bigint) => (await f.licenses.licence(id)).credits;
const usage = async (f: Fixture, id: bigint) => {
  const u = await f.meter.usageOf(id);
  return [u.settled, u.cap, u.capDeadline];
};

/** Asserts that `call` reverts and that the licences' credits and usage records did not change. */
async function nothingMoves(f: Fixture, ids: bigint[], call: () => Promise<void>) {
  const before = await Promise.all(ids.map(async (id) => [await credits(f, id), ...(await usage(f, id))]));
  await call();
  const after = await Promise.all(ids.map(async (id) => [await credits(f, id), ...(await usage(f, id))]));
  expect(after).to.deep.equal(before, "nothing moved");
}

describe("UsageMeter", function () {
  describe("settling", function () {
    it("settles one licence: charges the total, records the receipt, spends the credits", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 100n, deadline }, 40n);
      const tx = f.meter.connect(f.operator).settle([r]);
      await expect(tx).to.emit(f.meter, "UsageSettled").withArgs(id, f.buyer.address, 100n, 40n, 40n, 960n);
      // One event per licence: the meter's carries the credits left (LicenseManager emits none for spending).
      const receipt = await (await tx).wait();
      expect(receipt?.logs.filter((log) => log.address === f.licenses.target)).to.have.length(0);
      expect(await credits(f, id)).to.equal(960n);
      expect(await usage(f, id)).to.deep.equal([40n, 100n, deadline]);
      // EIP-712: the receipt type and the domain the SDK signs with.
      expect(await f.meter.RECEIPT_TYPEHASH()).to.equal(
        ethers.id("UsageReceipt(uint256 licenceId,uint64 cap,uint48 deadline)"),
      );
      const types = {
        UsageReceipt: [
          { name: "licenceId", type: "uint256" },
          { name: "cap", type: "uint64" },
          { name: "deadline", type: "uint48" },
        ],
      };
      expect(await f.meter.receiptDigest(id, 100n, deadline)).to.equal(
        ethers.TypedDataEncoder.hash(f.domain, types, { licenceId: id, cap: 100n, deadline }),
      );
      expect(f.domain).to.deep.include({
        name: "Weightshare Usage",
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await f.meter.getAddress(),
      });
      expect(await f.meter.RECEIPT_WINDOW()).to.equal(RECEIPT_WINDOW);
      expect(await f.meter.licenses()).to.equal(await f.licenses.getAddress());
    });

    it("settles many licences in one batch, one receipt per licence, each charged total - settled", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const a = await buy(f, f.buyer);
      const b = await buy(f, f.other);
      const c = await buy(f, f.other, 2n);
      const deadline = (await now()) + HOUR;
      // Licence a already has 10 settled.
      await f.meter
        .connect(f.operator)
        .settle([await signReceipt(f.buyer, f.domain, { licenceId: a, cap: 10n, deadline })]);
      const batch = [
        await signReceipt(f.buyer, f.domain, { licenceId: a, cap: 500n, deadline }, 310n),
        await signReceipt(f.other, f.domain, { licenceId: b, cap: 700n, deadline }, 700n),
        await signReceipt(f.other, f.domain, { licenceId: c, cap: 100n, deadline }, 55n),
      ];
      const tx = f.meter.connect(f.operator).settle(batch);
      await expect(tx).to.emit(f.meter, "UsageSettled").withArgs(a, f.buyer.address, 500n, 310n, 300n, 690n);
      await expect(tx).to.emit(f.meter, "UsageSettled").withArgs(b, f.other.address, 700n, 700n, 700n, 300n);
      await expect(tx).to.emit(f.meter, "UsageSettled").withArgs(c, f.other.address, 100n, 55n, 55n, 45n);
      expect([await credits(f, a), await credits(f, b), await credits(f, c)]).to.deep.equal([690n, 300n, 45n]);
      expect(await usage(f, a)).to.deep.equal([310n, 500n, deadline]);
    });

    it("supersedes: a later receipt charges only the difference; the same one may be settled up to its cap", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const first = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 100n, deadline }, 30n);
      await f.meter.connect(f.operator).settle([first]);
      // The operator settles more of the same authorisation (total chosen up to the cap).
      await expect(f.meter.connect(f.operator).settle([{ ...first, total: 80n }]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 100n, 80n, 50n, 920n);
      // A wider receipt supersedes it: only total - settled is charged.
      const second = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 250n, deadline }, 170n);
      await expect(f.meter.connect(f.operator).settle([second]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 250n, 170n, 90n, 830n);
      expect(await usage(f, id)).to.deep.equal([170n, 250n, deadline]);
      // A narrower receipt signed later charges nothing and does not replace the wider authorisation in force.
      const narrower = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 120n, deadline }, 120n);
      await expect(f.meter.connect(f.operator).settle([narrower]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 120n, 170n, 0n, 830n);
      expect(await usage(f, id)).to.deep.equal([170n, 250n, deadline]);
      // The recorded authorisation is reused with an empty signature (no signer: the event names address(0)).
      await expect(f.meter.connect(f.operator).settle([{ ...second, total: 250n, signature: "0x" }]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, ethers.ZeroAddress, 250n, 250n, 80n, 750n);
      expect(await credits(f, id)).to.equal(750n);
    });

    it("charges at most the credits left; the rest of the receipt stays chargeable after a renewal", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer, 2n); // 100 credits
      const deadline = (await now()) + HOUR;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 150n, deadline });
      await expect(f.meter.connect(f.operator).settle([r]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 150n, 100n, 100n, 0n);
      await f.licenses.connect(f.buyer).renew(id, PRICE, { value: PRICE }); // +100
      await expect(f.meter.connect(f.operator).settle([r]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 150n, 150n, 50n, 50n);
      expect(await credits(f, id)).to.equal(50n);
    });

    it("refuses a total above the cap", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 100n, deadline }, 101n);
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([r]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterAboveCap")
          .withArgs(0n, 101n, 100n);
      });
      // With an empty signature, the cap is the one recorded; none is recorded yet.
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([{ ...r, total: 1n, signature: "0x" }]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterNoAuthorisation")
          .withArgs(0n, id);
      });
    });

    it("charges nothing for a replayed receipt", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 100n, deadline }, 40n);
      await f.meter.connect(f.operator).settle([r]);
      await expect(f.meter.connect(f.operator).settle([r, r]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 100n, 40n, 0n, 960n);
      expect(await credits(f, id)).to.equal(960n);
      expect(await usage(f, id)).to.deep.equal([40n, 100n, deadline]);
    });
  });

  describe("refused receipts (nothing moves)", function () {
    it("refuses a receipt signed for licence A used for licence B", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const a = await buy(f, f.buyer);
      const b = await buy(f, f.buyer); // same holder: only the signature can tell them apart
      const deadline = (await now()) + HOUR;
      const forA = await signReceipt(f.buyer, f.domain, { licenceId: a, cap: 100n, deadline });
      await nothingMoves(f, [a, b], async () => {
        await expect(f.meter.connect(f.operator).settle([{ ...forA, licenceId: b }]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterBadSignature")
          .withArgs(0n, b, f.buyer.address);
      });
    });

    it("refuses a receipt signed by someone else than its signer", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const forged = await signReceipt(f.other, f.domain, { licenceId: id, cap: 100n, deadline });
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([{ ...forged, signer: f.buyer.address }]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterBadSignature")
          .withArgs(0n, id, f.buyer.address);
      });
    });

    it("refuses a receipt signed for another chain or another meter", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const authorisation = { licenceId: id, cap: 100n, deadline };
      const otherChain = await signReceipt(f.buyer, { ...f.domain, chainId: 1n }, authorisation);
      const otherMeter = await signReceipt(
        f.buyer,
        { ...f.domain, verifyingContract: await f.licenses.getAddress() },
        authorisation,
      );
      for (const r of [otherChain, otherMeter]) {
        await nothingMoves(f, [id], async () => {
          await expect(f.meter.connect(f.operator).settle([r]))
            .to.be.revertedWithCustomError(f.meter, "UsageMeterBadSignature")
            .withArgs(0n, id, f.buyer.address);
        });
      }
      // The same authorisation signed for this chain and meter settles.
      await f.meter.connect(f.operator).settle([await signReceipt(f.buyer, f.domain, authorisation)]);
      expect(await credits(f, id)).to.equal(900n);
    });

    it("refuses a settlement by anyone but the model's operator, also in a batch mixing models", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 100n, deadline });
      for (const caller of [f.other, f.buyer, f.timelock]) {
        await nothingMoves(f, [id], async () => {
          await expect(f.meter.connect(caller).settle([r]))
            .to.be.revertedWithCustomError(f.meter, "UsageMeterNotOperator")
            .withArgs(caller.address, f.model.modelId);
        });
      }
      // The operator is checked before the receipt: a stranger learns nothing about a receipt's validity.
      await expect(f.meter.connect(f.other).settle([{ ...r, total: 101n }]))
        .to.be.revertedWithCustomError(f.meter, "UsageMeterNotOperator")
        .withArgs(f.other.address, f.model.modelId);
      await expect(f.meter.connect(f.other).settle([{ ...r, signature: "0x" }]))
        .to.be.revertedWithCustomError(f.meter, "UsageMeterNotOperator")
        .withArgs(f.other.address, f.model.modelId);
      // Model B names `other` its operator; `other` still cannot settle model A's licences, and model A's operator
      // cannot settle model B's, even after a receipt of its own model in the same batch.
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
      const timelockB = await ethers.getSigner(tb);
      await f.vault.connect(timelockB).setPaymentToken(b.modelId, ETH, true);
      await f.licenses.connect(timelockB).addOffer(b.modelId, terms());
      await expect(f.meter.connect(timelockB).setOperator(b.modelId, f.other.address))
        .to.emit(f.meter, "OperatorSet")
        .withArgs(b.modelId, f.other.address);
      const idB = await f.licenses.connect(f.buyer).purchase.staticCall(b.modelId, 1n, f.buyer.address, PRICE, {
        value: PRICE,
      });
      await f.licenses.connect(f.buyer).purchase(b.modelId, 1n, f.buyer.address, PRICE, { value: PRICE });
      const rB = await signReceipt(f.buyer, f.domain, { licenceId: idB, cap: 100n, deadline });
      await nothingMoves(f, [id, idB], async () => {
        await expect(f.meter.connect(f.other).settle([r]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterNotOperator")
          .withArgs(f.other.address, f.model.modelId);
        await expect(f.meter.connect(f.operator).settle([r, rB]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterNotOperator")
          .withArgs(f.operator.address, b.modelId);
      });
      await f.meter.connect(f.other).settle([rB]);
      expect(await credits(f, idB)).to.equal(900n);
    });

    it("lets only the model's timelock name its operator (by vote, with the builder the tasks use)", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      await expect(f.meter.connect(f.operator).setOperator(f.model.modelId, f.other.address))
        .to.be.revertedWithCustomError(f.meter, "UsageMeterUnauthorizedTimelock")
        .withArgs(f.operator.address, f.model.modelId);
      await expect(f.meter.connect(f.operator).setOperator(99n, f.other.address))
        .to.be.revertedWithCustomError(f.meter, "UsageMeterUnknownModel")
        .withArgs(99n);
      expect(await f.meter.operatorOf(f.model.modelId)).to.equal(f.operator.address);
      const p = await setOperator({
        meter: f.meter,
        modelId: f.model.modelId,
        operator: f.other.address,
        description: "New gateway",
      });
      await new GovernanceHelper(f.model.governor, p, networkHelpers).pass(f.labA, [f.labA, f.labB]);
      expect(await f.meter.operatorOf(f.model.modelId)).to.equal(f.other.address);
    });

    it("refuses an expired receipt, and one whose signer never held the licence", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const deadline = (await now()) + HOUR;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 100n, deadline });
      await networkHelpers.time.increaseTo(deadline + 1n);
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([r]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterReceiptExpired")
          .withArgs(0n, deadline);
      });
      const later = (await now()) + HOUR;
      const stranger = await signReceipt(f.other, f.domain, { licenceId: id, cap: 100n, deadline: later });
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([stranger]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterSignerNotHolder")
          .withArgs(0n, f.other.address, later, RECEIPT_WINDOW);
      });
    });
  });

  describe("transfers and expiry", function () {
    it("refuses a deadline more than RECEIPT_WINDOW ahead of the settlement, so no receipt outlives a transfer by more", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const t = await now();
      const deadline = t + RECEIPT_WINDOW + 100n;
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 100n, deadline });
      await nextAt(t + 10n);
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([r]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterDeadlineTooFar")
          .withArgs(0n, deadline, t + 10n + RECEIPT_WINDOW);
      });
      // Once the deadline is within the window, the same receipt settles.
      await nextAt(t + 100n);
      await expect(f.meter.connect(f.operator).settle([r]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 100n, 100n, 100n, 900n);
    });

    /** A holds a transferable 100-credit licence, signs a receipt for all of it, is served, then hands it to B. */
    async function servedThenTransferred() {
      const f = await networkHelpers.loadFixture(fixture);
      const [a, b] = [f.buyer, f.other];
      const id = await buy(f, a, 2n);
      const deadline = (await now()) + HOUR;
      const fromA = await signReceipt(a, f.domain, { licenceId: id, cap: 100n, deadline });
      await f.licenses.connect(a).transferFrom(a.address, b.address, id);
      const transferredAt = await now();
      return { ...f, a, b, id, deadline, fromA, transferredAt };
    }

    it("finding 2: A's receipt is settled after A transferred the licence; B's receipt at or below it charges nothing", async function () {
      const f = await servedThenTransferred();
      expect(await f.licenses.ownerOf(f.id)).to.equal(f.b.address);
      await expect(f.meter.connect(f.operator).settle([f.fromA]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(f.id, f.a.address, 100n, 100n, 100n, 0n);
      // B signs "from zero again" (V1: nonce 0 again): totals at or below what is settled charge nothing.
      for (const cap of [100n, 60n]) {
        const fromB = await signReceipt(f.b, f.domain, { licenceId: f.id, cap, deadline: f.deadline });
        await expect(f.meter.connect(f.operator).settle([fromB]))
          .to.emit(f.meter, "UsageSettled")
          .withArgs(f.id, f.b.address, cap, 100n, 0n, 0n);
      }
      expect(await usage(f, f.id)).to.deep.equal([100n, 100n, f.deadline]);
      // After B renews (+100 credits), the old totals still charge nothing: B pays only for use beyond 100.
      await f.licenses.connect(f.b).renew(f.id, PRICE, { value: PRICE });
      const replay = await signReceipt(f.b, f.domain, { licenceId: f.id, cap: 100n, deadline: f.deadline });
      await f.meter.connect(f.operator).settle([replay, f.fromA]);
      expect(await credits(f, f.id)).to.equal(100n, "the first 100 credits were spent once");
      const more = await signReceipt(f.b, f.domain, { licenceId: f.id, cap: 200n, deadline: f.deadline }, 130n);
      await expect(f.meter.connect(f.operator).settle([more]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(f.id, f.b.address, 200n, 130n, 30n, 70n);
    });

    it("finding 2, other order: B's receipt settled first, A's receipt for the same 100 then charges nothing", async function () {
      const f = await servedThenTransferred();
      const fromB = await signReceipt(f.b, f.domain, { licenceId: f.id, cap: 100n, deadline: f.deadline });
      await f.meter.connect(f.operator).settle([fromB]);
      await expect(f.meter.connect(f.operator).settle([f.fromA]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(f.id, f.a.address, 100n, 100n, 0n, 0n);
      expect(await usage(f, f.id)).to.deep.equal([100n, 100n, f.deadline]);
    });

    it("refuses a previous owner's receipt whose deadline is more than RECEIPT_WINDOW after it transferred the licence", async function () {
      const f = await servedThenTransferred();
      const latest = f.transferredAt + RECEIPT_WINDOW;
      const tooLate = await signReceipt(f.a, f.domain, { licenceId: f.id, cap: 100n, deadline: latest + 1n });
      await networkHelpers.time.increase(10n); // the deadline is within RECEIPT_WINDOW of now: only A's holding is late
      await nothingMoves(f, [f.id], async () => {
        await expect(f.meter.connect(f.operator).settle([tooLate]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterSignerNotHolder")
          .withArgs(0n, f.a.address, latest + 1n, latest);
      });
      // At the limit it is still A's receipt.
      const atLimit = await signReceipt(f.a, f.domain, { licenceId: f.id, cap: 100n, deadline: latest }, 10n);
      await expect(f.meter.connect(f.operator).settle([atLimit]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(f.id, f.a.address, 100n, 10n, 10n, 90n);
    });

    it("keeps a receipt signed while the licence was live settleable after it expires, until its deadline", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const id = await buy(f, f.buyer);
      const { expiry } = await f.licenses.licence(id);
      await networkHelpers.time.increaseTo(expiry - 600n);
      const r = await signReceipt(f.buyer, f.domain, { licenceId: id, cap: 300n, deadline: expiry + HOUR });
      const tooLong = await signReceipt(f.buyer, f.domain, {
        licenceId: id,
        cap: 300n,
        deadline: expiry + RECEIPT_WINDOW + 1n,
      });
      await networkHelpers.time.increaseTo(expiry + HOUR / 2n);
      expect(await f.licenses.isLive(id)).to.equal(false);
      await expect(f.meter.connect(f.operator).settle([r]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, f.buyer.address, 300n, 300n, 300n, 700n);
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([tooLong]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterSignerNotHolder")
          .withArgs(0n, f.buyer.address, expiry + RECEIPT_WINDOW + 1n, expiry + RECEIPT_WINDOW);
      });
    });
  });

  describe("ERC-1271 wallets", function () {
    it("charges a recorded receipt up to its cap with an empty signature after the wallet revoked every signature", async function () {
      const f = await networkHelpers.loadFixture(fixture);
      const wallet = await ethers.deployContract("RevocableWallet", [f.walletOwner.address]);
      const w = await wallet.getAddress();
      const id = await buy(f, f.walletOwner, 2n, w); // transferable, 100 credits, held by the wallet
      const deadline = (await now()) + HOUR;
      await wallet.connect(f.walletOwner).approve(await f.meter.receiptDigest(id, 80n, deadline));
      const r: SettlementReceipt = { licenceId: id, signer: w, cap: 80n, deadline, total: 0n, signature: "0x01" };
      // The gateway records the receipt when it accepts it: a settlement charging nothing.
      await expect(f.meter.connect(f.operator).settle([r]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, w, 80n, 0n, 0n, 100n);
      expect(await usage(f, id)).to.deep.equal([0n, 80n, deadline]);
      // The wallet revokes every signature and gives the licence away to escape paying.
      await wallet.connect(f.walletOwner).revokeAll();
      await wallet.connect(f.walletOwner).transferLicence(await f.licenses.getAddress(), f.other.address, id);
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([{ ...r, total: 50n }]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterBadSignature")
          .withArgs(0n, id, w);
      });
      // The recorded authorisation still holds, up to its cap and until its deadline.
      await expect(f.meter.connect(f.operator).settle([{ ...r, total: 50n, signature: "0x" }]))
        .to.emit(f.meter, "UsageSettled")
        .withArgs(id, ethers.ZeroAddress, 80n, 50n, 50n, 50n);
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([{ ...r, total: 81n, signature: "0x" }]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterAboveCap")
          .withArgs(0n, 81n, 80n);
      });
      await f.meter.connect(f.operator).settle([{ ...r, total: 80n, signature: "0x" }]);
      expect(await credits(f, id)).to.equal(20n);
      expect(await usage(f, id)).to.deep.equal([80n, 80n, deadline]);
      await networkHelpers.time.increaseTo(deadline + 1n);
      await nothingMoves(f, [id], async () => {
        await expect(f.meter.connect(f.operator).settle([{ ...r, total: 80n, signature: "0x" }]))
          .to.be.revertedWithCustomError(f.meter, "UsageMeterReceiptExpired")
          .withArgs(0n, deadline);
      });
    });
  });
});
