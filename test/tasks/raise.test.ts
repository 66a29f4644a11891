/**
 * A model funded by its backers, end to end through the tasks a user runs (issue #14): the DAO opens an ETH raise
 * with milestone tranches and an access presale, and a USDC raise (a token made with `ws test-token`) open to an
 * allow-list, by `ws propose --action open-raise` and a vote; backers `ws back` (terms signed on the first
 * commitment, ERC-20 approved for exactly the cost); the ETH raise is oversubscribed and succeeds (`ws
 * finalize-raise`, `ws claim-fractions` pro rata, the surplus back with `ws refund`, a second tranche released and
 * the seats delivered by vote), the USDC raise fails and its backer gets back exactly what it paid; then the DAO
 * sells treasury fractions (`open-sale`, `ws sell-fractions`, `ws buy-fractions` with its max-price guard,
 * `stop-sale`). Balances are checked to the wei, and the proposals read back in plain words.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { Contract, keccak256, parseEther, parseUnits, ZeroAddress } from "ethers";
import { readFileSync } from "node:fs";
import hre from "hardhat";

import { expectRefused, runTask } from "./helpers.js";
import { raiseFixture, type RaiseFixture } from "./raise-setup.js";

describe("ws raise, back, finalize-raise, claim-fractions, refund, deliver-seats, sell-fractions, buy-fractions", function () {
  this.timeout(300_000);
  let f: RaiseFixture;
  let usdc: string;
  let treasury: string;
  let ethers: HardhatEthers;
  /** ETH spent on gas by the transactions of a task run's receipts (read from the latest `count` blocks). */
  const gasOfLastBlocks = async (count: number) => {
    const latest = await ethers.provider.getBlockNumber();
    let gas = 0n;
    for (let n = latest - count + 1; n <= latest; n++) {
      const block = await ethers.provider.getBlock(n, true);
      for (const tx of block!.prefetchedTransactions) {
        const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
        gas += receipt!.gasUsed * receipt!.gasPrice;
      }
    }
    return gas;
  };

  before(async function () {
    ({ ethers } = await hre.network.getOrCreate());
    f = await raiseFixture();
    const token = await runTask(hre, "test-token", {
      name: "Test USD",
      symbol: "USDC",
      decimals: "6",
      mint: "4:1000,5:1000",
      json: true,
    });
    usdc = f.ok(token).address;
    treasury = f.treasury;
  });

  it("opens an ETH raise and a USDC raise by vote; the proposals read back in plain words", async function () {
    const filed = await f.passAll([
      {
        action: "open-raise",
        price: "0.01",
        goal: "100",
        cap: "200",
        closes: "+20d",
        terms: f.termsFile,
        tranches: "50,50",
        seatPrice: "0.1",
        seats: "5",
        accessDeadline: "+60d",
      },
      {
        action: "open-raise",
        token: usdc,
        price: "2.5",
        goal: "40",
        cap: "100",
        accountCap: "60",
        closes: "+20d",
        termsUri: "ipfs://usdc-raise-terms",
        termsHash: `0x${"ab".repeat(32)}`,
        allowlist: f.allowlistFile,
      },
      { action: "issue-fractions", to: treasury, amount: "100" },
      { action: "allow-eth" },
      {
        action: "add-offer",
        price: "0.05",
        days: "30",
        termsUri: "ipfs://licence",
        termsHash: `0x${"cd".repeat(32)}`,
        force: true,
      },
    ]);
    const [eth, dollars] = filed;
    expect(eth.calls.map((c: { action: string }) => c.action)).to.deep.equal(["open-raise", "open-raise"]);
    expect(eth.calls[0].summary).to.equal(
      "let the Raises contract mint up to 200 more fractions of model #1 (what a raise may sell; a grant cannot be taken back)",
    );
    const termsHash = keccak256(readFileSync(f.termsFile));
    expect(eth.calls[1].summary).to.match(
      new RegExp(
        "^open a raise: up to 200 fractions of model #1 at 0.01 ETH each, goal 100 \\(1 ETH\\), cap 200 \\(2 ETH\\), " +
          "no limit per account, open from \\S+ to \\S+, anyone may back, " +
          `terms file://\\S+raise-terms.md \\(keccak256 ${termsHash}\\), ` +
          "money released in tranches of 50% \\(5000 bps\\), 50% \\(5000 bps\\), " +
          "access presale: 5 licence seats at 0.1 ETH each, offer named by \\S+$",
      ),
    );
    expect(dollars.calls[1].summary).to.contain("at 2.5 USDC each, goal 40 (100 USDC), cap 100 (250 USDC)");
    expect(dollars.calls[1].summary).to.contain("at most 60 per account");
    expect(dollars.calls[1].summary).to.contain("allow-list root 0x");

    const list = f.ok(await f.run("raise", {}));
    expect(list.count).to.equal(2);
    expect(list.raises.map((r: { status: string }) => r.status)).to.deep.equal(["Open", "Open"]);
    const shown = await f.run("raise", { json: false });
    expect(shown.stdout.split("\n")[0]).to.match(/^raise\s+model\s+status\s+price\s+committed \/ goal \/ cap/);
    expect(f.ok(await f.run("raise", { modelId: "1" })).count).to.equal(2);
  });

  it("ws back: ETH, exactly the cost, terms signed on the first commitment only", async function () {
    const before = await ethers.provider.getBalance(f.accounts[4]);
    const first = f.ok(await f.run("back", { raiseId: "1", fractions: "100", seats: "2", signer: "4" }));
    expect(first).to.deep.include({ raiseId: "1", backer: f.accounts[4], fractions: "100", seats: "2" });
    expect(first.signedTerms).to.equal(true);
    expect(first.paid).to.deep.include({ amount: parseEther("1.2").toString(), formatted: "1.2 ETH" });
    expect(first.surplus.amount).to.equal("0");
    const gas = await gasOfLastBlocks(1);
    expect(await ethers.provider.getBalance(f.accounts[4])).to.equal(before - parseEther("1.2") - gas);

    const again = await f.run("back", { raiseId: "1", fractions: "50", signer: "4", json: false });
    expect(again.exitCode, again.stderr).to.equal(0);
    expect(again.stdout).to.not.contain("signed the terms");
    expect(again.stdout).to.contain("committed 50 fractions to raise #1 of model #1, paying 0.5 ETH");
    f.ok(await f.run("back", { raiseId: "1", fractions: "100", signer: "5" }));

    const raise = f.ok(await f.run("raise", { raiseId: "1", account: f.accounts[4] }));
    expect(raise.status).to.equal("Open");
    expect(raise.state).to.deep.include({ committed: "250", seatsSold: "2" });
    expect([raise.sold, raise.raised]).to.deep.equal(["200", parseEther("2").toString()]);
    expect(raise.money.committed.formatted).to.equal("2.7 ETH");
    expect(raise.backer).to.deep.include({
      fractions: "150",
      seats: "2",
      acceptedTerms: true,
      claimed: false,
      allocation: "120",
      refundable: "0",
    });
    expect(raise.token).to.deep.equal({ address: ZeroAddress, symbol: "ETH", decimals: 18 });
    expect(raise.terms).to.deep.include({ price: parseEther("0.01").toString(), goal: "100", cap: "200" });
    expect(raise.terms.tranches).to.deep.equal(["5000", "5000"]);
  });

  it("ws back: USDC through the allow-list, approving exactly the cost; someone off the list is refused", async function () {
    const token = await ethers.getContractAt("TestToken", usdc);
    const before = await token.balanceOf(f.accounts[4]);
    const backed = f.ok(
      await f.run("back", { raiseId: "2", fractions: "30", allowlist: f.allowlistFile, signer: "4" }),
    );
    expect(backed.approved).to.deep.include({ amount: parseUnits("75", 6).toString(), formatted: "75 USDC" });
    expect(backed.paid.formatted).to.equal("75 USDC");
    expect(await token.balanceOf(f.accounts[4])).to.equal(before - parseUnits("75", 6));
    expect(await token.allowance(f.accounts[4], f.addresses.raises)).to.equal(0n, "exactly the cost was approved");

    const nonce = await f.nonce(f.accounts[6]);
    await expectRefused(
      f.run,
      "back",
      { raiseId: "2", fractions: "1", allowlist: f.allowlistFile, signer: "6" },
      `error: --signer: ${f.accounts[6]} is not on the allow-list of raise #2`,
    );
    expect(await f.nonce(f.accounts[6])).to.equal(nonce);
  });

  it("closes: the oversubscribed ETH raise succeeds, the USDC raise fails; fractions claimed pro rata", async function () {
    const { networkHelpers } = await hre.network.getOrCreate();
    const raise = f.ok(await f.run("raise", { raiseId: "1" }));
    await networkHelpers.time.increaseTo(BigInt(raise.terms.closesAt));
    expect(f.ok(await f.run("raise", { raiseId: "1" })).status).to.equal("Closed");

    const treasuryBefore = await ethers.provider.getBalance(treasury);
    const settled = f.ok(await f.run("finalize-raise", { raiseId: "1", signer: "6" }));
    expect(settled).to.deep.include({ succeeded: true, status: "Succeeded", committed: "250", sold: "200" });
    expect(settled.raised.formatted).to.equal("2 ETH");
    expect(settled.released.formatted).to.equal("1 ETH");
    expect(await ethers.provider.getBalance(treasury)).to.equal(treasuryBefore + parseEther("1"));
    const failed = f.ok(await f.run("finalize-raise", { raiseId: "2", signer: "6" }));
    expect(failed).to.deep.include({ succeeded: false, status: "Failed", committed: "30", sold: "0" });

    const mine = f.ok(await f.run("claim-fractions", { raiseId: "1", signer: "4" }));
    expect(mine).to.deep.include({ backer: f.accounts[4], to: f.accounts[4], fractions: "120" });
    // Anyone may claim a backer's fractions to the backer.
    const theirs = f.ok(await f.run("claim-fractions", { raiseId: "1", backer: f.accounts[5], signer: "6" }));
    expect(theirs).to.deep.include({ backer: f.accounts[5], to: f.accounts[5], fractions: "80" });
    const shares = await ethers.getContractAt("ModelShares", f.addresses.shares);
    expect(await shares.balanceOf(f.accounts[4], 1n)).to.equal(120n);
    expect(await shares.balanceOf(f.accounts[5], 1n)).to.equal(80n);
    await expectRefused(
      f.run,
      "claim-fractions",
      { raiseId: "1", signer: "4" },
      `error: --signer: ${f.accounts[4]} has claimed its 120 fractions already`,
    );
  });

  it("ws refund: the surplus above the cap, and everything from the failed raise, to the wei", async function () {
    const before = await ethers.provider.getBalance(f.accounts[4]);
    const refund = f.ok(await f.run("refund", { raiseId: "1", signer: "4" }));
    expect(refund.refunded).to.deep.include({ amount: parseEther("0.3").toString(), formatted: "0.3 ETH" });
    const gas = await gasOfLastBlocks(1);
    expect(await ethers.provider.getBalance(f.accounts[4])).to.equal(before + parseEther("0.3") - gas);

    // Backer 5 sends its surplus to another address.
    const elsewhere = f.accounts[7];
    const other = await ethers.provider.getBalance(elsewhere);
    const five = f.ok(await f.run("refund", { raiseId: "1", signer: "5", to: elsewhere }));
    expect(five).to.deep.include({ backer: f.accounts[5], to: elsewhere, amount: parseEther("0.2").toString() });
    expect(await ethers.provider.getBalance(elsewhere)).to.equal(other + parseEther("0.2"));

    const token = await ethers.getContractAt("TestToken", usdc);
    const held = await token.balanceOf(f.accounts[4]);
    const back = f.ok(await f.run("refund", { raiseId: "2", signer: "4" }));
    expect(back).to.deep.include({ status: "Failed", amount: parseUnits("75", 6).toString() });
    expect(await token.balanceOf(f.accounts[4])).to.equal(held + parseUnits("75", 6));
    expect(await token.balanceOf(f.addresses.raises)).to.equal(0n);
    await expectRefused(
      f.run,
      "refund",
      { raiseId: "2", signer: "4" },
      `error: --signer: ${f.accounts[4]} has nothing refundable in raise #2 (Failed) now: it was refunded 75 USDC already`,
    );
    await expectRefused(
      f.run,
      "claim-fractions",
      { raiseId: "2", signer: "4" },
      "error: --raise-id: raise #2 is Failed; fractions are minted only from a raise that succeeded; its backers take their money back with ws refund",
    );
  });

  it("the second tranche and the seats' offer by vote; seats delivered as licences, the price difference refundable", async function () {
    const treasuryBefore = await ethers.provider.getBalance(treasury);
    const [released, offer] = await f.passAll([
      { action: "release-tranche", raiseId: "1" },
      { action: "set-access-offer", raiseId: "1", offerId: "1" },
      { action: "open-sale", amount: "50", price: "0.02", closes: "+20d" },
      { action: "open-sale", token: usdc, amount: "20", price: "5", endPrice: "4", closes: "+20d" },
    ]);
    expect(released.calls).to.deep.equal([
      {
        action: "release-tranche",
        summary: "release the next tranche of raise #1 to the treasury",
        args: { raiseId: "1" },
      },
    ]);
    expect(offer.calls[0].summary).to.equal("deliver the licence seats of raise #1 from offer 1");
    expect(await ethers.provider.getBalance(treasury)).to.equal(treasuryBefore + parseEther("1"));
    const raise = f.ok(await f.run("raise", { raiseId: "1" }));
    expect(raise.state).to.deep.include({ tranchesReleased: "2", released: parseEther("2").toString() });

    const delivered = f.ok(await f.run("deliver-seats", { raiseId: "1", backer: f.accounts[4], signer: "6" }));
    expect(delivered.licenceIds).to.have.length(2);
    expect(delivered.offerId).to.equal("1");
    const licences = f.ok(await f.run("licences", { account: f.accounts[4] })).licences;
    expect(licences).to.have.length(2);
    // Two seats paid 0.1 ETH each, delivered from a 0.05 ETH offer: 0.1 ETH back to the backer.
    const position = f.ok(await f.run("raise", { raiseId: "1", account: f.accounts[4] })).backer;
    expect(position).to.deep.include({ seatsDelivered: true, refundable: parseEther("0.1").toString() });
    await expectRefused(
      f.run,
      "deliver-seats",
      { raiseId: "1", backer: f.accounts[4] },
      `error: --backer: the seats of ${f.accounts[4]} were delivered already`,
    );
  });

  it("sells treasury fractions: ws sell-fractions, ws buy-fractions with its max-price guard, stop-sale", async function () {
    const sales = f.ok(await f.run("sell-fractions", {}));
    expect(sales.count).to.equal(2);
    expect(sales.sales.map((s: { token: { symbol: string } }) => s.token.symbol)).to.deep.equal(["ETH", "USDC"]);
    const sale = f.ok(await f.run("sell-fractions", { saleId: "1" }));
    expect(sale).to.deep.include({ saleId: "1", status: "Active", sold: "0", left: "50", stopped: false });
    expect(sale.money.price.formatted).to.equal("0.02 ETH");

    const nonce = await f.nonce(f.accounts[6]);
    await expectRefused(
      f.run,
      "buy-fractions",
      { saleId: "1", amount: "10", maxPrice: "0.01", signer: "6" },
      "error: --max-price: a fraction of sale #1 costs 0.02 ETH now, above your maximum 0.01 ETH",
    );
    expect(await f.nonce(f.accounts[6])).to.equal(nonce);

    const treasuryBefore = await ethers.provider.getBalance(treasury);
    const buyerBefore = await ethers.provider.getBalance(f.accounts[6]);
    const bought = f.ok(await f.run("buy-fractions", { saleId: "1", amount: "10", maxPrice: "0.02", signer: "6" }));
    expect(bought).to.deep.include({ saleId: "1", buyer: f.accounts[6], to: f.accounts[6], amount: "10" });
    expect(bought.paid.formatted).to.equal("0.2 ETH");
    const gas = await gasOfLastBlocks(1);
    expect(await ethers.provider.getBalance(treasury)).to.equal(treasuryBefore + parseEther("0.2"));
    expect(await ethers.provider.getBalance(f.accounts[6])).to.equal(buyerBefore - parseEther("0.2") - gas);
    const shares = await ethers.getContractAt("ModelShares", f.addresses.shares);
    expect(await shares.balanceOf(f.accounts[6], 1n)).to.equal(10n);
    expect(await shares.balanceOf(treasury, 1n)).to.equal(90n);

    // In USDC at a falling price: approved for the cost at the price read, paid at the price when mined (no more).
    const token = await ethers.getContractAt("TestToken", usdc);
    const [buyerUsdc, treasuryUsdc] = [await token.balanceOf(f.accounts[5]), await token.balanceOf(treasury)];
    const dutch = f.ok(await f.run("buy-fractions", { saleId: "2", amount: "4", maxPrice: "5", signer: "5" }));
    const paid = BigInt(dutch.paid.amount);
    expect(paid).to.equal(BigInt(dutch.price.amount) * 4n);
    expect(paid <= BigInt(dutch.approved.amount)).to.equal(true);
    expect(paid < parseUnits("20", 6) && paid > parseUnits("16", 6)).to.equal(true, "between 4 and 5 USDC each");
    expect(await token.balanceOf(f.accounts[5])).to.equal(buyerUsdc - paid);
    expect(await token.balanceOf(treasury)).to.equal(treasuryUsdc + paid);
    expect(await shares.balanceOf(f.accounts[5], 1n)).to.equal(84n, "80 from the raise, 4 bought");

    const [stopped] = await f.passAll([{ action: "stop-sale", saleId: "1" }]);
    expect(stopped.calls[0].summary).to.equal("stop sale #1: its unsold fractions stay in the treasury");
    expect(f.ok(await f.run("sell-fractions", { saleId: "1" })).status).to.equal("Stopped");
    await expectRefused(
      f.run,
      "buy-fractions",
      { saleId: "1", amount: "1", maxPrice: "0.02", signer: "6" },
      "error: --sale-id: sale #1 is Stopped: it was stopped by vote",
    );
  });

  it("ws raise and ws sell-fractions with --description file what ws propose files for the same arguments", async function () {
    const governor = new Contract(
      f.ok(await f.run("model", { modelId: "1" })).governor,
      [
        "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)",
      ],
      ethers.provider,
    );
    /** The targets, values and calldatas the governor recorded for a proposal. */
    const filedCalls = async (proposalId: string) => {
      const logs = await governor.queryFilter(governor.getEvent("ProposalCreated"));
      const log = logs.find((l) => "args" in l && l.args.proposalId === BigInt(proposalId));
      if (log === undefined || !("args" in log)) throw new Error(`no ProposalCreated for ${proposalId}`);
      // By position: `values` is also a method of ethers' Result.
      const [, , targets, values, , calldatas] = log.args;
      return { targets: [...targets], values: [...values], calldatas: [...calldatas] };
    };
    // Absolute times, so both filings build the same terms whichever block they run in.
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const day = 86_400n;
    const raise = {
      modelId: "1",
      price: "0.001",
      goal: "400",
      cap: "1000",
      accountCap: "600",
      opens: String(now + day),
      closes: String(now + 30n * day),
      terms: f.termsFile,
      tranches: "50,50",
      seatPrice: "0.1",
      seats: "3",
      accessDeadline: String(now + 60n * day),
      allowlist: f.allowlistFile,
    };
    const viaRaise = f.ok(await f.run("raise", { ...raise, description: "a second raise (ws raise)" }));
    const viaPropose = f.ok(
      await f.run("propose", { ...raise, action: "open-raise", description: "a second raise (ws propose)" }),
    );
    expect(viaRaise.proposalId).to.not.equal(viaPropose.proposalId, "two proposals, described differently");
    expect(viaRaise).to.deep.include({ action: "open-raise", modelId: "1" });
    expect(viaRaise.calls).to.deep.equal(viaPropose.calls);
    expect(viaRaise.calls.map((c: { action: string }) => c.action)).to.deep.equal(["open-raise", "open-raise"]);
    const raiseCalls = await filedCalls(viaRaise.proposalId);
    expect(raiseCalls.calldatas).to.have.length(2);
    expect(raiseCalls).to.deep.equal(await filedCalls(viaPropose.proposalId));
    const text = await f.run("raise", { ...raise, description: "a second raise (text)", json: false });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout.split("\n")[0]).to.match(
      /^proposed open-raise on model #1: proposal 0x[0-9a-f]{4}…[0-9a-f]{4} /,
    );

    const sale = {
      modelId: "1",
      amount: "20",
      price: "5",
      endPrice: "4",
      token: usdc,
      opens: String(now + day),
      closes: String(now + 30n * day),
    };
    const saleViaTask = f.ok(await f.run("sell-fractions", { ...sale, description: "a sale (ws sell-fractions)" }));
    const saleViaPropose = f.ok(
      await f.run("propose", { ...sale, action: "open-sale", description: "a sale (ws propose)" }),
    );
    expect(saleViaTask).to.deep.include({ action: "open-sale", modelId: "1" });
    expect(saleViaTask.calls).to.deep.equal(saleViaPropose.calls);
    const saleCalls = await filedCalls(saleViaTask.proposalId);
    expect(saleCalls.calldatas).to.have.length.greaterThan(0);
    expect(saleCalls).to.deep.equal(await filedCalls(saleViaPropose.proposalId));

    // Without --description they still show: the raises and sales filed above are proposals, not yet opened.
    expect(f.ok(await f.run("raise", { modelId: "1" })).count).to.equal(2);
    expect(f.ok(await f.run("sell-fractions", { modelId: "1" })).count).to.equal(2);
  });
});
