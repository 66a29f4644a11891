/**
 * The funding events are a complete record: after a mixed history (an ETH raise oversubscribed with milestone
 * tranches, pre-sold seats delivered and a milestone failed; a fee-on-transfer raise cancelled; a failed 6-decimal
 * raise; a treasury sale bought from and stopped), rebuilding every raise and sale from the logs alone
 * (client/funding-replay.ts, no view called) gives exactly what the contracts' views say, backer by backer.
 */
import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import hre from "hardhat";

import { backRaise, replayFunding, type RaiseTerms } from "../../client/index.js";
import {
  addOffer,
  failMilestone,
  openRaise,
  openSale,
  setAccessOffer,
  setPaymentToken,
  stopSale,
  type Proposal,
} from "../../governance/index.js";
import { offerTerms, protocolWithModel, timelockSigner } from "../helpers/fixtures.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;
const DAY = 86_400n;

describe("client/funding-replay: raises and sales rebuilt from their events alone", function () {
  it("equals every raise's, backer's and sale's state as the contracts report it", async function () {
    const f = await protocolWithModel(ethers);
    const timelock = await timelockSigner(connection, f.model.timelock);
    const [alice, bob, carol] = f.signers.slice(6, 9);
    const asTreasury = async (p: Proposal) => {
      for (const [i, target] of p.targets.entries())
        await (await timelock.sendTransaction({ to: target, value: p.values[i], data: p.calldatas[i] })).wait();
    };
    const { raises, sales, shares, vault, licenses } = f;
    const modelId = f.model.modelId;
    const usd = await ethers.deployContract("TestToken", ["USD", "USD", 6]);
    const fee = await ethers.deployContract("FeeOnTransferToken", [100n]);
    const t0 = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const base: RaiseTerms = {
      modelId,
      token: ZeroAddress,
      price: parseEther("0.01"),
      goal: 10n,
      cap: 20n,
      accountCap: 0n,
      opensAt: t0,
      closesAt: t0 + 7n * DAY,
      allowlistRoot: ethers.ZeroHash,
      termsHash: ethers.id("terms"),
      termsURI: "ipfs://terms",
      tranches: [5000n, 5000n],
      seatPrice: parseEther("0.05"),
      seats: 5n,
      accessDeadline: t0 + 30n * DAY,
    };
    const noSeats = { tranches: [], seatPrice: 0n, seats: 0n, accessDeadline: 0n };
    await asTreasury(await openRaise({ shares, raises, terms: base, description: "eth" }));
    await asTreasury(
      await openRaise({
        shares,
        raises,
        terms: { ...base, ...noSeats, token: await fee.getAddress() },
        description: "fee",
      }),
    );
    await asTreasury(
      await openRaise({
        shares,
        raises,
        terms: { ...base, ...noSeats, token: await usd.getAddress(), price: 1_000_000n, goal: 1000n, cap: 2000n },
        description: "usd",
      }),
    );

    // Raise 1 (ETH): 15 + 1 seat and 15 against a cap of 20.
    await backRaise(raises, alice, 1n, { fractions: 15n, seats: 1n });
    await backRaise(raises, bob, 1n, { fractions: 15n });
    // Raise 2 (1% fee token): credited by what arrived, then cancelled.
    for (const who of [alice, carol]) {
      await fee.mint(who.address, parseEther("10"));
      await backRaise(raises, who, 2n, { fractions: 7n });
    }
    await asTreasury({
      targets: [await raises.getAddress()],
      values: [0n],
      calldatas: [raises.interface.encodeFunctionData("cancel", [2n])],
      description: "cancel",
    });
    await raises.connect(carol).refund(2n, carol.address);
    // Raise 3 (6 decimals): misses its goal.
    await usd.mint(bob.address, 10n ** 12n);
    await backRaise(raises, bob, 3n, { fractions: 30n });

    await networkHelpers.time.increaseTo(base.closesAt);
    for (const id of [1n, 3n]) await (await raises.finalize(id)).wait();
    await raises.claimFractions(1n, alice.address, alice.address);
    await raises.connect(bob).refund(1n, carol.address);
    await raises.connect(bob).refund(3n, bob.address);
    await asTreasury(await setPaymentToken({ vault, modelId, token: ZeroAddress, allowed: true, description: "eth" }));
    await asTreasury(
      await addOffer({ licenses, modelId, terms: offerTerms({ price: parseEther("0.04") }), description: "offer" }),
    );
    await asTreasury(await setAccessOffer({ raises, raiseId: 1n, offerId: 1n, description: "seats" }));
    await raises.deliverSeats(1n, alice.address);
    await asTreasury(await failMilestone({ raises, raiseId: 1n, description: "milestone" }));
    await raises.connect(alice).refund(1n, alice.address);

    // A sale of treasury fractions, bought twice and stopped.
    await (await shares.connect(timelock).mint(await timelock.getAddress(), modelId, 100n, "0x")).wait();
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const sale = { modelId, token: ZeroAddress, startPrice: 100n, endPrice: 50n, amount: 40n };
    await asTreasury(
      await openSale({
        shares,
        sales,
        terms: { ...sale, startsAt: now, endsAt: now + 10n * DAY },
        description: "sale",
      }),
    );
    await sales.connect(carol).buy(1n, 5n, 100n, carol.address, { value: 500n });
    await networkHelpers.time.increase(DAY);
    await sales.connect(bob).buy(1n, 7n, 100n, alice.address, { value: 700n });
    await asTreasury(await stopSale({ sales, saleId: 1n, description: "stop" }));

    const logs = await ethers.provider.getLogs({ fromBlock: 0, toBlock: "latest" });
    const replayed = replayFunding(logs, await raises.getAddress(), await sales.getAddress());

    expect([...replayed.raises.keys()]).to.deep.equal([1n, 2n, 3n]);
    for (const [raiseId, r] of replayed.raises) {
      const s = await raises.raiseState(raiseId);
      const [inflow, refunded, released, paidForSeats] = await raises.accounts(raiseId);
      expect(
        [r.committed, r.seatsSold, r.finalized, r.cancelled, r.tranchesReleased, r.milestoneFailed],
        `raise ${raiseId}`,
      ).to.deep.equal([s.committed, s.seatsSold, s.finalized, s.cancelled, s.tranchesReleased, s.milestoneFailed]);
      expect([r.milestoneRefund, r.accessOfferId, r.released], `raise ${raiseId}`).to.deep.equal([
        s.milestoneRefund,
        s.accessOfferId,
        s.released,
      ]);
      expect([r.inflow, r.refunded, r.released, r.paidForSeats], `raise ${raiseId}`).to.deep.equal([
        inflow,
        refunded,
        released,
        paidForSeats,
      ]);
      for (const who of [alice, bob, carol]) {
        const b = await raises.backing(raiseId, who.address);
        const mine = r.backers.get(who.address.toLowerCase());
        if (mine === undefined) {
          expect(b.fractions + b.seats, `raise ${raiseId}, ${who.address}`).to.equal(0n);
          continue;
        }
        expect(
          [
            mine.fractions,
            mine.seats,
            mine.acceptedTerms,
            mine.claimed,
            mine.seatsDelivered,
            mine.surplus,
            mine.refunded,
          ],
          `raise ${raiseId}, ${who.address}`,
        ).to.deep.equal([b.fractions, b.seats, b.acceptedTerms, b.claimed, b.seatsDelivered, b.surplus, b.refunded]);
      }
    }
    // The history did what it says: the events saw a fee-token surplus, a seat discount, a milestone refund.
    expect(replayed.raises.get(2n)!.inflow).to.be.lessThan(14n * parseEther("0.01"));
    expect(replayed.raises.get(1n)!.milestoneRefund).to.be.greaterThan(0n);
    expect(replayed.raises.get(3n)!.succeeded).to.equal(false);

    const s = await sales.saleState(1n);
    const mine = replayed.sales.get(1n)!;
    expect([mine.sold, mine.proceeds, mine.stopped]).to.deep.equal([s.sold, s.proceeds, s.stopped]);
    expect(mine.sold).to.equal(12n);
  });
});
