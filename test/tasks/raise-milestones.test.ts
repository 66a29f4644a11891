/**
 * The DAO's other votes on raises, through the tasks: a raise released in milestone tranches whose second milestone
 * the holders vote failed (what was not released is refunded to the backers pro rata, to the wei), and an open raise
 * cancelled by vote (everything committed refundable). Both proposals read back in plain words.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { parseEther } from "ethers";
import hre from "hardhat";

import { expectRefused } from "./helpers.js";
import { raiseFixture, type RaiseFixture } from "./raise-setup.js";

describe("ws propose fail-milestone and cancel-raise, then ws refund", function () {
  this.timeout(300_000);
  let f: RaiseFixture;
  let ethers: HardhatEthers;

  /** `account`'s ETH after a task it ran, plus the gas the latest block's transaction cost it. */
  async function balanceBeforeGas(account: string): Promise<bigint> {
    const block = await ethers.provider.getBlock("latest", true);
    let gas = 0n;
    for (const tx of block!.prefetchedTransactions) {
      const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
      if (receipt!.from === account) gas += receipt!.gasUsed * receipt!.gasPrice;
    }
    return (await ethers.provider.getBalance(account)) + gas;
  }

  before(async function () {
    ({ ethers } = await hre.network.getOrCreate());
    f = await raiseFixture();
    const raise = { action: "open-raise", price: "0.01", goal: "50", cap: "100", terms: f.termsFile };
    await f.passAll([
      { ...raise, closes: "+20d", tranches: "40,60" },
      { ...raise, closes: "+40d" },
    ]);
    f.ok(await f.run("back", { raiseId: "1", fractions: "60", signer: "4" }));
    f.ok(await f.run("back", { raiseId: "1", fractions: "40", signer: "5" }));
    f.ok(await f.run("back", { raiseId: "2", fractions: "10", signer: "4" }));
  });

  it("a failed milestone refunds what was not released, pro rata; a cancelled raise refunds everything", async function () {
    const { networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.time.increaseTo(BigInt(f.ok(await f.run("raise", { raiseId: "1" })).terms.closesAt));
    const settled = f.ok(await f.run("finalize-raise", { raiseId: "1" }));
    expect(settled.released.formatted).to.equal("0.4 ETH", "the first tranche: 40% of 1 ETH");

    const [failed, cancelled] = await f.passAll([
      { action: "fail-milestone", raiseId: "1" },
      { action: "cancel-raise", raiseId: "2" },
    ]);
    expect(failed.calls[0]).to.deep.equal({
      action: "fail-milestone",
      summary:
        "declare the current milestone of raise #1 failed: what is not released becomes refundable to its backers",
      args: { raiseId: "1" },
    });
    expect(cancelled.calls[0].summary).to.equal("cancel raise #2: everything committed becomes refundable");

    const raise = f.ok(await f.run("raise", { raiseId: "1", account: f.accounts[4] }));
    expect(raise.state).to.deep.include({
      milestoneFailed: true,
      tranchesReleased: "1",
      milestoneRefund: parseEther("0.6").toString(),
    });
    expect(raise.backer).to.deep.include({ allocation: "60", refundable: parseEther("0.36").toString() });
    const text = (await f.run("raise", { raiseId: "1", json: false })).stdout;
    expect(text).to.contain(
      "released 0.4 ETH to the treasury in 1 of 2 tranches (40%, 60%); a milestone failed: 0.6 ETH refundable to backers",
    );

    const before4 = await ethers.provider.getBalance(f.accounts[4]);
    expect(f.ok(await f.run("refund", { raiseId: "1", signer: "4" })).amount).to.equal(parseEther("0.36").toString());
    expect(await balanceBeforeGas(f.accounts[4])).to.equal(before4 + parseEther("0.36"));
    const before5 = await ethers.provider.getBalance(f.accounts[5]);
    expect(f.ok(await f.run("refund", { raiseId: "1", signer: "5" })).amount).to.equal(parseEther("0.24").toString());
    expect(await balanceBeforeGas(f.accounts[5])).to.equal(before5 + parseEther("0.24"));
    // Fractions are still theirs to claim: the milestone failed after the raise succeeded.
    expect(f.ok(await f.run("claim-fractions", { raiseId: "1", signer: "5" })).fractions).to.equal("40");

    const again = await f.run("raise", { raiseId: "2" });
    expect(f.ok(again).status).to.equal("Cancelled");
    const beforeCancel = await ethers.provider.getBalance(f.accounts[4]);
    expect(f.ok(await f.run("refund", { raiseId: "2", signer: "4" })).amount).to.equal(parseEther("0.1").toString());
    expect(await balanceBeforeGas(f.accounts[4])).to.equal(beforeCancel + parseEther("0.1"));
    expect(await ethers.provider.getBalance(f.addresses.raises)).to.equal(0n, "nothing left behind");

    await f.refused(
      { action: "release-tranche", raiseId: "1" },
      "--raise-id: a milestone of raise #1 failed already: no tranche is left",
    );
    await f.refused(
      { action: "cancel-raise", raiseId: "1" },
      "--raise-id: raise #1 is Succeeded; only a raise not yet finalised (Pending, Open or Closed) can be cancelled",
    );
    await expectRefused(
      f.run,
      "finalize-raise",
      { raiseId: "2" },
      "error: --raise-id: raise #2 is Cancelled, not closed: it was cancelled (everything committed is refundable)",
    );
  });
});
