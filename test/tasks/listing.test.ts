/**
 * `ws models`, `ws model` (contributors, governance, treasury, amounts in their tokens' units), `ws licences` and
 * `ws access`: what they list, as JSON for scripts and as text, and their bad inputs (one line, exit 1, nothing mined).
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { short } from "../../sdk/index.js";
import { offerTerms } from "../helpers/fixtures.js";
import { deployForTasks, runTask, type TaskRun } from "./helpers.js";
import { asTimelock, registerWithTask } from "./models-setup.js";

const iso = (seconds: bigint | string) =>
  `${new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z")} (${seconds})`;

describe("tasks: ws models, model, licences, access (listings)", function () {
  let deployment: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  let usdc: string;
  let treasury: string;
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  const text = async (name: string, args: Record<string, unknown>) => {
    const r = await run(name, { ...args, json: false });
    expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
    return r.stdout.split("\n");
  };

  before(async function () {
    ({ deployment, accounts, addresses } = await deployForTasks(hre));
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    await registerWithTask(hre, deployment, {
      name: "Vision-7B",
      symbol: "wsVIS",
      metadataURI: "ipfs://vision",
      contentHash: `0x${"cd".repeat(32)}`, // ipfs:// cannot be read here, so the hash is given
      members: [
        { account: accounts[1], amount: 500 },
        { account: accounts[2], amount: 300 },
        { account: accounts[3], amount: 200 },
      ],
      governance: { proposalThreshold: 0, quorumNumerator: 4 },
    });
    await registerWithTask(hre, deployment, {
      name: "Speech-1B",
      symbol: "wsSPK",
      members: [{ account: accounts[4], amount: 70 }],
      governance: {
        votingDelay: 7200,
        proposalThreshold: 5,
        quorumNumerator: 10,
        timelockDelay: 86400,
        guardian: accounts[5],
      },
    });
    const token = await ethers.deployContract("TestToken", ["USD Coin", "USDC", 6]);
    usdc = await token.getAddress();
    // Model 1's DAO: ETH and USDC accepted, an ETH offer and a USDC offer (perpetual, unmetered, one licence only),
    // two contributors, and a treasury holding ETH, USDC and 40 of its own fractions.
    const dao = await asTimelock(hre, addresses, 1n);
    treasury = dao.address;
    await (await dao.vault.setPaymentToken(1n, ZeroAddress, true)).wait();
    await (await dao.vault.setPaymentToken(1n, usdc, true)).wait();
    await (await dao.licenses.addOffer(1n, offerTerms({ transferable: true }))).wait();
    const usdcOffer = { paymentToken: usdc, price: 12_500_000n, duration: 0n, credits: 0n, cap: 1n };
    await (await dao.licenses.addOffer(1n, offerTerms(usdcOffer))).wait();
    await (await dao.vault.setContributors(1n, [accounts[4], accounts[5]], [3n, 1n])).wait();
    await (await dao.vault.setSplit(1n, 2000n, 5000n)).wait();
    await (await dao.shares.mint(treasury, 1n, 40n, "0x")).wait();
    await (await token.mint(treasury, 25_000_000n)).wait();
    await networkHelpers.setBalance(treasury, ethers.parseEther("2"));
    // Account 6 buys one licence of each offer.
    const buyer = await ethers.getSigner(accounts[6]);
    const licenses = await ethers.getContractAt("LicenseManager", addresses.licenses, buyer);
    await (
      await licenses.purchase(1n, 1n, accounts[6], ethers.parseEther("0.1"), { value: ethers.parseEther("0.1") })
    ).wait();
    await (await token.mint(accounts[6], 12_500_000n)).wait();
    await (await token.connect(buyer).approve(addresses.licenses, 12_500_000n)).wait();
    await (await licenses.purchase(1n, 2n, accounts[6], 12_500_000n)).wait();
  });

  describe("ws models", function () {
    it("lists every model: supply, holders, offers on sale, governor, treasury, metadata", async function () {
      const out = ok(await run("models", {}));
      expect(out.count).to.equal("2");
      expect(out.models[0]).to.deep.include({
        modelId: "1",
        name: "Vision-7B",
        symbol: "wsVIS",
        supply: "1040",
        supplyText: "1040 wsVIS",
        holders: 4, // the treasury holds some too
        offers: 2,
        offersOnSale: 1, // the USDC offer is sold out
        treasury,
        metadataURI: "ipfs://vision",
      });
      expect(out.models[1]).to.deep.include({ modelId: "2", supply: "70", holders: 1, offers: 0, metadataURI: "" });
      const lines = await text("models", {});
      expect(lines[0]).to.match(/^id\s+name\s+supply\s+holders\s+on sale\s+governor\s+treasury\s+metadata\s*$/);
      expect(lines[2]).to.match(
        new RegExp(
          `^ 1  Vision-7B  1040 wsVIS\\s+4  1 of 2\\s+0x\\w{4}…\\w{4}  ${short(treasury)}  ipfs://vision\\s*$`,
        ),
      );
      expect(lines).to.have.length(4);
    });
  });

  describe("ws model", function () {
    it("shows contributors, governance settings, treasury balances and prices in their tokens' units", async function () {
      const out = ok(await run("model", { modelId: "1" }));
      expect(out).to.deep.include({ symbol: "wsVIS", supply: "1040", supplyText: "1040 wsVIS", timelock: treasury });
      expect(out.holders).to.have.length(4);
      expect(out.offers[0]).to.deep.include({
        price: "100000000000000000",
        priceText: "0.1 ETH",
        durationText: "30 days",
        credits: "1000",
        onSale: true,
        transferable: true,
      });
      expect(out.offers[1]).to.deep.include({
        paymentToken: usdc,
        priceText: "12.5 USDC",
        symbol: "USDC",
        durationText: "perpetual",
        cap: "1",
        sold: "1",
      });
      expect(out.contributors).to.deep.equal([
        { account: accounts[4], shares: "3", percent: "75%" },
        { account: accounts[5], shares: "1", percent: "25%" },
      ]);
      expect(out.governance).to.deep.equal({
        votingDelay: "3600",
        votingDelayText: "1 hour",
        votingPeriod: "259200",
        votingPeriodText: "3 days",
        proposalThreshold: "0",
        proposalThresholdText: "0 wsVIS",
        quorumNumerator: "4",
        quorumDenominator: "100",
        quorum: "40", // 4% of the 1000 votable fractions; the treasury's 40 carry no votes
        quorumText: "40 wsVIS",
        lateQuorumExtension: "86400",
        lateQuorumExtensionText: "1 day",
        timelockDelay: "172800",
        timelockDelayText: "2 days",
        guardian: ZeroAddress,
      });
      expect(out.treasury).to.deep.include({ address: treasury, fractions: "40", fractionsText: "40 wsVIS" });
      const eth = { token: ZeroAddress, symbol: "ETH", held: "2000000000000000000", releasable: "30000000000000000" };
      const usd = { token: usdc, symbol: "USDC", held: "25000000", releasable: "3750000" }; // 30% of 12.5 USDC
      expect(out.treasury.balances).to.deep.equal([
        { ...eth, heldText: "2 ETH", releasableText: "0.03 ETH" },
        { ...usd, heldText: "25 USDC", releasableText: "3.75 USDC" },
      ]);
      expect(out.revenue.map((r: { depositedText: string }) => r.depositedText)).to.deep.equal([
        "0.1 ETH",
        "12.5 USDC",
      ]);
      expect(out.revenue[0]).to.deep.include({
        deposited: "100000000000000000",
        window: "604800",
        windowText: "7 days",
      });
    });

    it("says it in text, durations in days and hours", async function () {
      const lines = await text("model", { modelId: "1" });
      expect(lines).to.include(
        "governance: voting delay 1 hour, voting period 3 days, proposal threshold 0 wsVIS, quorum 4/100 of the " +
          "votable supply (40 wsVIS now), late quorum extension 1 day, timelock delay 2 days, guardian none",
      );
      expect(lines).to.include(
        `treasury ${treasury}: 2 ETH (+ 0.03 ETH releasable from the vault), 25 USDC (+ 3.75 USDC releasable from the vault), 40 wsVIS`,
      );
      expect(lines).to.include(
        `contributors: ${short(accounts[4])} 3 shares (75%), ${short(accounts[5])} 1 share (25%)`,
      );
      expect(lines).to.include(
        "revenue split: contributors 20% (2000 bps), holders 50% (5000 bps), treasury 30% (3000 bps)",
      );
      // The unlock end (ISO and timestamp) and the window are not two parentheses in a row.
      const revenue = lines.filter((l) => l.startsWith("deposited in "));
      expect(revenue).to.have.length(2);
      for (const line of revenue) {
        expect(line).to.match(
          /^deposited in \S+: [\d.]+ \S+; (no holder revenue unlocking|holder revenue still unlocking: [\d.]+ \S+ until \S+Z \(\d+\)); window 7 days$/,
        );
      }
      expect(lines.some((l) => /^\s*1\s+0\.1 ETH\s+1000\s+30 days\s+1\s+yes\s+yes\s*$/.test(l))).to.equal(
        true,
        lines.join("\n"),
      );
      expect(lines.some((l) => /^\s*2\s+12\.5 USDC\s+unmetered\s+perpetual\s+1\/1\s+yes\s+no\s*$/.test(l))).to.equal(
        true,
        lines.join("\n"),
      );
    });

    it("shows a model's own settings: guardian, threshold, quorum, no contributors, an empty treasury", async function () {
      const out = ok(await run("model", { modelId: "2" }));
      expect(out.governance).to.deep.include({
        votingDelayText: "2 hours",
        proposalThresholdText: "5 wsSPK",
        quorumNumerator: "10",
        quorum: "7",
        timelockDelayText: "1 day",
        guardian: accounts[5],
      });
      expect(out.contributors).to.deep.equal([]);
      expect(out.treasury.balances).to.deep.equal([
        { token: ZeroAddress, symbol: "ETH", held: "0", heldText: "0 ETH", releasable: "0", releasableText: "0 ETH" },
      ]);
      expect(await text("model", { modelId: "2" })).to.include("no contributors");
    });
  });

  describe("ws licences and ws access", function () {
    it("lists the licences an account holds: access, credits, expiry, transferable, primary", async function () {
      const out = ok(await run("licences", { account: accounts[6] }));
      const expiry = out.licences[0].expiry;
      expect(out.account).to.equal(accounts[6]);
      expect(out.licences).to.have.length(2);
      expect(out.licences[0]).to.deep.equal({
        licenceId: "1",
        holder: accounts[6],
        modelId: "1",
        model: "Vision-7B",
        offerId: "1",
        termsId: "1",
        access: "live",
        live: true,
        metered: true,
        credits: "1000",
        creditsText: "1000 credits",
        expiry,
        expiryText: iso(expiry),
        transferable: true,
        derivatives: null,
        primary: true,
      });
      expect(out.licences[1]).to.deep.include({ offerId: "2", metered: false, creditsText: "unmetered" });
      expect(out.licences[1]).to.deep.include({
        expiry: "0",
        expiryText: "perpetual",
        transferable: false,
        primary: false,
      });
      // Default: the signer's.
      expect(ok(await run("licences", { account: "", signer: "6" })).licences).to.have.length(2);
      const lines = await text("licences", { account: accounts[6] });
      expect(lines[0]).to.equal(`${accounts[6]} holds 2 licences:`);
      expect(lines[3]).to.match(
        new RegExp(
          `^\\s*1  #1 Vision-7B\\s+1  live\\s+1000 credits  ${iso(expiry).replace(/[()]/g, "\\$&")}\\s+yes\\s+no\\s+yes\\s*$`,
        ),
      );
      expect(await text("licences", { account: accounts[0] })).to.deep.equal([`${accounts[0]} holds no licences`]);
    });

    it("shows access with the licence's expiry as an ISO date and timestamp", async function () {
      const out = ok(await run("access", { modelId: "1", account: accounts[6], licenceId: "1" }));
      expect(out).to.deep.include({ hasAccess: true, fractions: "0", fractionsText: "0 wsVIS" });
      expect(out.licence).to.deep.include({ expiryText: iso(out.licence.expiry), authorisedUntilText: "" });
      expect(await text("access", { modelId: "1", account: accounts[6], licenceId: "1" })).to.deep.equal([
        `${accounts[6]} HAS access to model #1 (licence #1: live, expires ${iso(out.licence.expiry)}, 1000 credits ` +
          "left, 0 credits settled, no receipt verified yet); operator not named",
      ]);
      const holder = await text("access", { modelId: "1", account: accounts[1], licenceId: "" });
      expect(holder).to.deep.equal([`${accounts[1]} HAS access to model #1 (holds 500 wsVIS); operator not named`]);
    });

    it("follows a licence to its new holder, and shows it expired once its time is up", async function () {
      const { ethers, networkHelpers } = await hre.network.getOrCreate();
      const licenses = await ethers.getContractAt(
        "LicenseManager",
        addresses.licenses,
        await ethers.getSigner(accounts[6]),
      );
      await (await licenses.transferFrom(accounts[6], accounts[7], 1n)).wait();
      expect(
        ok(await run("licences", { account: accounts[6] })).licences.map((l: { licenceId: string }) => l.licenceId),
      ).to.deep.equal(["2"]);
      const moved = ok(await run("licences", { account: accounts[7] })).licences;
      expect(moved).to.have.length(1);
      expect(moved[0]).to.deep.include({ licenceId: "1", holder: accounts[7], primary: true, access: "live" });
      await networkHelpers.time.increaseTo(BigInt(moved[0].expiry));
      expect(ok(await run("licences", { account: accounts[7] })).licences[0]).to.deep.include({
        access: "expired",
        live: false,
      });
    });

    it("refuses a bad --account in one line, sending nothing", async function () {
      const { ethers } = await hre.network.getOrCreate();
      const block = await ethers.provider.getBlockNumber();
      const r = await run("licences", { account: "bob" });
      expect([r.exitCode, r.stdout, r.stderr]).to.deep.equal([
        1,
        "",
        'error: --account: expected a 0x-prefixed 20-byte address, got "bob"',
      ]);
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
    });
  });
});
