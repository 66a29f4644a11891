/**
 * Every task's happy path, as the README's local walkthrough runs them: register a model, configure it by vote,
 * buy and meter a licence, split and claim revenue, re-price by vote. Each bad input test then checks that the
 * task prints one line naming the argument, exits 1 and sends nothing.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { shortId } from "../../tasks/lib/errors.js";
import { deployForTasks, deploymentFile, expectRefused, runTask, writeMembers, type TaskRun } from "./helpers.js";

describe("tasks: ws (happy paths and bad inputs)", function () {
  let deployment: string;
  let dir: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, name === "advance" ? { json: true, ...args } : { deployment, json: true, signer: "", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  let proposalCounter = 0;
  let lastProposal = "";
  async function pass(signer: string, action: Record<string, unknown>) {
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    const p = ok(await run("propose", { ...action, modelId: "1", signer, description: `step ${++proposalCounter}` }));
    await networkHelpers.time.increaseTo(BigInt(p.snapshot) + 1n);
    ok(await run("vote", { modelId: "1", proposalId: p.proposalId, support: "for", signer: "1" }));
    ok(await run("vote", { modelId: "1", proposalId: p.proposalId, support: "for", signer: "2" }));
    await networkHelpers.time.increaseTo(BigInt(p.deadline) + 1n);
    const q = ok(await run("queue", { modelId: "1", proposalId: p.proposalId }));
    await networkHelpers.time.increaseTo(BigInt(q.eta));
    ok(await run("execute", { modelId: "1", proposalId: p.proposalId }));
    lastProposal = String(p.proposalId);
    expect(ok(await run("proposal", { modelId: "1", proposalId: p.proposalId })).state).to.equal("Executed");
    void ethers;
  }

  before(async function () {
    ({ deployment, accounts, addresses } = await deployForTasks(hre));
    dir = path.dirname(deployment);
    writeMembers(dir, accounts.slice(1, 4), [500, 300, 200], {
      name: "Vision-7B",
      symbol: "wsVIS",
      metadataURI: "ipfs://vision",
      contentHash: `0x${"cd".repeat(32)}`, // ipfs:// cannot be read here, so the hash is given
    });
  });

  it("walks a model from registration to revenue and a re-price, task by task", async function () {
    const reg = ok(await run("register", { members: path.join(dir, "members.json") }));
    expect(reg.modelId).to.equal("1");
    const shown = ok(await run("model", { modelId: "1" }));
    expect(shown.supply).to.equal("1000");
    expect(shown.holders).to.have.length(3);
    ok(await run("delegate", { modelId: "1", to: accounts[2], signer: "3" }));
    await pass("1", { action: "allow-eth" });
    await pass("1", { action: "set-split", contributorsBps: "2000", holdersBps: "5000" });
    await pass("1", { action: "set-contributors", contributors: `${accounts[4]}:3,${accounts[5]}:1` });
    // The terms hash commits to the document's bytes: ipfs:// cannot be read here, so the local copy is hashed.
    const termsFile = path.join(dir, "terms-v1.md");
    writeFileSync(termsFile, "# Vision-7B licence v1\n");
    await pass("1", {
      action: "add-offer",
      price: "0.1",
      credits: "1000",
      days: "30",
      termsUri: "ipfs://terms-v1",
      termsFile,
    });
    await pass("1", { action: "set-operator", to: accounts[7] });
    expect(ok(await run("model", { modelId: "1" })).operator).to.equal(accounts[7]);
    const bought = ok(await run("buy", { modelId: "1", offerId: "1", maxPrice: "0.1", recipient: "", signer: "6" }));
    expect(bought.credits).to.equal("1000");
    const access = ok(await run("access", { modelId: "1", account: accounts[6], licenceId: "" }));
    expect(access.hasAccess).to.equal(true);
    expect(access.operator).to.equal(accounts[7]);
    expect(access.licence).to.deep.include({ settled: "0", authorisedCap: "0", authorisedUntil: "0" });
    expect(access.licence).to.not.have.property("nonce");
    // Licence revenue is credited at purchase (since V2): the holders' cut of the 0.1 ETH is already unlocking.
    expect(ok(await run("model", { modelId: "1" })).revenue[0]).to.deep.include({ deposited: "100000000000000000" });

    // Usage: cumulative receipts on the UsageMeter. 40 credits used: the receipt authorises and charges a total of 40.
    const receipts = path.join(dir, "receipts.json");
    const settle = async (list: unknown[]) => {
      writeFileSync(receipts, JSON.stringify(list));
      return run("settle", { receipts, signer: "7" });
    };
    const receipt = ok(
      await run("receipt", { licenceId: bought.licenceId, amount: "40", cap: "", validFor: "", signer: "6" }),
    );
    expect(receipt).to.include({ licenceId: bought.licenceId, signer: accounts[6], cap: "40", total: "40" });
    expect(ok(await settle([receipt])).charged).to.equal("40");
    const metered = ok(await run("access", { modelId: "1", account: accounts[6], licenceId: bought.licenceId }));
    expect(metered.licence).to.deep.include({ credits: "960", settled: "40", authorisedCap: "40" });
    expect(metered.licence.authorisedUntil).to.equal(receipt.deadline);
    // The same receipt again charges nothing: totals are cumulative, so nothing is ever charged twice.
    expect(ok(await settle([receipt])).charged).to.equal("0");
    // Signed ahead of use: 10 more used now, up to 100 authorised; the operator later charges up to the cap with no
    // new signature (an empty one reuses the authorisation the meter verified), and not one credit beyond it.
    const ahead = ok(
      await run("receipt", { licenceId: bought.licenceId, amount: "10", cap: "100", validFor: "600", signer: "6" }),
    );
    expect(ahead).to.include({ cap: "100", total: "50" });
    expect(ok(await settle([ahead])).charged).to.equal("10");
    expect(ok(await settle([{ ...ahead, total: "100", signature: "0x" }])).charged).to.equal("50");
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const above = await settle([{ ...ahead, total: "101", signature: "0x" }]);
    expect([above.exitCode, above.stderr]).to.deep.equal([
      1,
      "error: --receipts: refused by the contract: receipt 0 charges a total of 101, above its cap 100 [UsageMeterAboveCap(0, 101, 100)]",
    ]);
    writeFileSync(receipts, JSON.stringify([{ ...ahead, total: "100", signature: "0x" }]));
    const notOperator = await runTask(hre, "settle", { deployment, json: true, signer: "6", receipts });
    expect(notOperator.stderr).to.equal(
      `error: --receipts: refused by the contract: ${accounts[6]} is not the operator of model #1 [UsageMeterNotOperator(${accounts[6]}, 1)]`,
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing sent");
    expect(
      ok(await run("access", { modelId: "1", account: accounts[6], licenceId: bought.licenceId })).licence.credits,
    ).to.equal("900");
    // Renewing gives what the offer gives now: another 30 days and 1000 credits.
    const renewed = ok(await run("renew", { licenceId: bought.licenceId, maxPrice: "0.1", signer: "6" }));
    expect(renewed.credits).to.equal("1900");

    // Nothing waits in the licence manager: flush says so, exits 0 and sends nothing.
    const beforeFlush = await ethers.provider.getBlockNumber();
    expect(ok(await run("flush", { modelId: "1" }))).to.deep.include({ amount: "0", flushed: false });
    const flushText = await runTask(hre, "flush", { deployment, json: false, signer: "", modelId: "1" });
    expect([flushText.exitCode, flushText.stdout, flushText.stderr]).to.deep.equal([
      0,
      "nothing to flush for model #1: since V2, licence revenue is credited to the revenue vault in the transaction that pays it",
      "",
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(beforeFlush, "nothing sent");

    // Revenue: 0.1 + 0.1 of licences and a 0.8 ETH grant. Holders' 50% unlocks over 7 days; contributors' 20% and
    // the treasury's 30% are credited at once.
    ok(await run("deposit", { modelId: "1", amount: "0.8", signer: "9" }));
    const unlocking = ok(await run("revenue", { modelId: "1", account: accounts[1] })).tokens[0];
    expect(BigInt(unlocking.claimable)).to.be.lessThan(250000000000000000n);
    expect(BigInt(unlocking.unlocking.locked)).to.be.greaterThan(0n);
    expect(unlocking.unlocking.window).to.equal(String(7 * 86400));
    expect(unlocking.releasable).to.equal("0");
    expect(ok(await run("revenue", { modelId: "1", account: accounts[4] })).tokens[0].releasable).to.equal(
      "150000000000000000", // 20% of 1 ETH x 3/4
    );
    ok(await run("advance", { seconds: String(7 * 86400 + 1) }));
    const revenue = ok(await run("revenue", { modelId: "1", account: accounts[1] }));
    expect(revenue.tokens[0].claimable).to.equal("250000000000000000"); // 50% of 1 ETH x 500/1000
    expect(revenue.tokens[0].unlocking).to.deep.include({ locked: "0", unlockEnd: "0", share: "0" });
    expect(ok(await run("claim", { modelId: "1", release: false, signer: "1" })).amount).to.equal("250000000000000000");
    expect(ok(await run("claim", { modelId: "1", release: true, signer: "4" })).amount).to.equal("150000000000000000");

    // A new grant unlocks over the window: a day later a seventh of it is claimable, and claiming again at once
    // says how much is still unlocking and until when, sending nothing.
    ok(await run("deposit", { modelId: "1", amount: "0.4", signer: "9" }));
    ok(await run("advance", { seconds: "86400" }));
    const early = ok(await run("claim", { modelId: "1", release: false, signer: "1" }));
    expect(BigInt(early.amount)).to.be.greaterThan(0n);
    expect(BigInt(early.amount)).to.be.lessThan(100000000000000000n / 7n + 10n ** 15n);
    const vault = await ethers.getContractAt("RevenueVault", addresses.vault);
    const [locked, unlockEnd] = await vault.unlocking(1n, ethers.ZeroAddress);
    const stillLocked = await ethers.provider.getBlockNumber();
    const again = await run("claim", { modelId: "1", release: false, signer: "1" });
    expect([again.exitCode, again.stdout]).to.deep.equal([1, ""]);
    expect(again.stderr).to.equal(
      `error: --model-id: nothing unlocked yet for ${accounts[1]}: about ${ethers.formatEther((locked * 500n) / 1000n)} ETH of its holder revenue of model #1 still unlocking until ${new Date(Number(unlockEnd) * 1000).toISOString().replace(".000Z", "Z")} (${unlockEnd})`,
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(stillLocked, "nothing sent");

    // The DAO shortens the unlock window, and recovers a token that is not revenue from the royalty receiver.
    await pass("1", { action: "set-unlock-window", days: "1" });
    expect(ok(await run("model", { modelId: "1" })).revenue[0].window).to.equal("86400");
    const stray = await ethers.deployContract("TestToken", ["Stray", "STRAY", 18]);
    await (await stray.mint(await vault.royaltyReceiverOf(1n), 5n * 10n ** 18n)).wait();
    await pass("1", { action: "recover-token", token: await stray.getAddress() });
    expect(await stray.balanceOf(ok(await run("model", { modelId: "1" })).timelock)).to.equal(5n * 10n ** 18n);
    await pass("2", { action: "set-price", offerId: "1", price: "0.2" });
    await pass("1", { action: "update-metadata", uri: "ipfs://vision-v2", contentHash: `0x${"ab".repeat(32)}` });
    await pass("1", { action: "set-royalty", to: accounts[8], amount: "250" });
    await pass("1", { action: "change-setting", setting: "votingPeriod", amount: `${2 * 86400}s` });
    const treasury = ok(await run("model", { modelId: "1" })).timelock;
    await pass("1", { action: "issue-fractions", to: treasury, amount: "40" });
    await pass("1", { action: "spend-fractions", to: accounts[11], amount: "40" });
    await pass("1", { action: "withdraw-offer", offerId: "1" });
    const after = ok(await run("model", { modelId: "1" }));
    expect(after.metadataURI).to.equal("ipfs://vision-v2");
    expect(after.offers[0].onSale).to.equal(false);
    expect(after.holders.map((h: { account: string }) => h.account)).to.include(accounts[11]);
    expect(ok(await run("model", { modelId: "1" })).offers[0].price).to.equal("200000000000000000");
    const later = ok(await run("advance", { seconds: "60" }));
    expect(Number(later.now)).to.be.greaterThan(0);
  });

  describe("bad inputs: one line naming the argument, exit 1, nothing sent", function () {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["model", { modelId: "99" }, /^error: --model-id: expected an existing model id \(1\.\.\d+\), got 99$/],
      ["model", { modelId: "one" }, /^error: --model-id: expected a whole number, got "one"$/],
      [
        "delegate",
        { modelId: "1", to: "0xnope" },
        /^error: --to: expected a 0x-prefixed 20-byte address, got "0xnope"$/,
      ],
      [
        "register",
        { members: "/no/such/file.json" },
        /^error: --members: expected a JSON file, but "\/no\/such\/file.json" does not exist$/,
      ],
      [
        "propose",
        { modelId: "1", action: "mint-everything", description: "x" },
        /^error: --action: expected one of issue-fractions, .*, got "mint-everything"$/,
      ],
      [
        "propose",
        {
          modelId: "1",
          action: "spend-eth",
          to: "0x0000000000000000000000000000000000000001",
          amount: "lots",
          description: "x",
        },
        /^error: --amount: expected an amount of ETH with at most 18 decimals, such as 12\.5, got "lots"$/,
      ],
      [
        "propose",
        { modelId: "1", action: "set-split", contributorsBps: "6000", holdersBps: "5000", description: "x" },
        /^error: --holders-bps: contributors \+ holders must not exceed 10,000 bps, got 6000 \+ 5000$/,
      ],
      [
        "propose",
        { modelId: "1", action: "issue-fractions", to: "0xdead", amount: "5", description: "x" },
        /^error: --to: expected a 0x-prefixed 20-byte address, got "0xdead"$/,
      ],
      [
        "vote",
        { modelId: "1", proposalId: "1", support: "maybe" },
        /^error: --support: expected one of against, for, abstain, got "maybe"$/,
      ],
      [
        "vote",
        { modelId: "1", proposalId: "12345", support: "for" },
        /^error: --proposal-id: expected a proposal of model #1 \(its full id in decimal or hex, or the short form ws proposals prints: 0x1234…abcd, 0x1234\.\.\.abcd or 0x1234abcd\), got 12345$/,
      ],
      ["queue", { modelId: "1", proposalId: "FIRST" }, /^error: --proposal-id: expected a whole number, got "FIRST"$/],
      [
        "buy",
        { modelId: "1", offerId: "1", maxPrice: "0.01", recipient: "" },
        /^error: --offer-id: offer 1 is not on sale$/,
      ],
      [
        "buy",
        { modelId: "1", offerId: "9", maxPrice: "1", recipient: "" },
        /^error: --offer-id: expected an existing offer of model #1, got 9$/,
      ],
      ["renew", { licenceId: "77", maxPrice: "1" }, /^error: --licence-id: expected an existing licence id, got 77$/],
      [
        "access",
        { modelId: "1", account: "bob", licenceId: "" },
        /^error: --account: expected a 0x-prefixed 20-byte address, got "bob"$/,
      ],
      [
        "receipt",
        { licenceId: "1", amount: "5", cap: "", validFor: "", signer: "0" },
        /^error: --signer: 0x[0-9a-fA-F]{40} does not hold licence #1 \(0x[0-9a-fA-F]{40} does\)$/,
      ],
      [
        "receipt",
        { licenceId: "1", amount: "", cap: "", validFor: "", signer: "6" },
        /^error: --amount: expected the credits used \(or --cap, the running total to authorise\)$/,
      ],
      [
        "receipt",
        { licenceId: "1", amount: "5", cap: "104", validFor: "", signer: "6" },
        /^error: --cap: expected at least 105 \(100 settled so far \+ --amount 5\)$/,
      ],
      [
        "receipt",
        { licenceId: "1", amount: "", cap: "100", validFor: "", signer: "6" },
        /^error: --cap: expected more than 100, the credits settled so far on licence #1$/,
      ],
      [
        "receipt",
        { licenceId: "1", amount: "5", cap: "", validFor: "86401", signer: "6" },
        /^error: --valid-for: expected at most 86400, got 86401$/,
      ],
      [
        "receipt",
        { licenceId: "1", amount: "5", cap: "", validFor: "0", signer: "6" },
        /^error: --valid-for: expected at least 1 second$/,
      ],
      ["settle", { receipts: "" }, /^error: --receipts: expected a JSON file with a list of signed receipts$/],
      [
        "deposit",
        { modelId: "1", amount: "1e6" },
        /^error: --amount: expected an amount of ETH with at most 18 decimals, such as 12\.5, got "1e6"$/,
      ],
      [
        "deposit",
        { modelId: "1", amount: "100000000" },
        /^error: --amount: 0x[0-9a-fA-F]{40} holds [\d.]+ ETH; this needs 100000000 ETH$/,
      ],
      [
        "claim",
        { modelId: "1", release: true, signer: "0" },
        /^error: --signer: 0x[0-9a-fA-F]{40} has nothing to release as a contributor of model #1$/,
      ],
      ["revenue", { modelId: "1", account: "", signer: "99" }, /^error: --signer: expected at most \d+, got 99$/],
      ["advance", { seconds: "-5" }, /^error: --seconds: expected a whole number, got "-5"$/],
      [
        "propose",
        { modelId: "1", action: "change-setting", setting: "quorum", amount: "5", description: "x" },
        /^error: --setting: expected one of votingDelay, .*, got "quorum"$/,
      ],
      [
        "propose",
        { modelId: "1", action: "update-metadata", uri: "ipfs://x", contentHash: "0x12", description: "x" },
        /^error: --content-hash: expected 32 bytes as 0x-prefixed hex, got "0x12"$/,
      ],
      [
        "propose",
        { modelId: "1", action: "set-unlock-window", days: "0.01", description: "x" },
        /^error: --days: expected an unlock window from 1 hour to 365 days, got 14 minutes 24 s \(864 s\)$/,
      ],
      [
        "propose",
        { modelId: "1", action: "set-unlock-window", days: "366", description: "x" },
        /^error: --days: expected an unlock window from 1 hour to 365 days, got 366 days \(31622400 s\)$/,
      ],
      [
        "propose",
        { modelId: "1", action: "set-unlock-window", days: "a week", description: "x" },
        /^error: --days: expected a duration such as 7d, 12h, 90m or 3600s, got "a week"$/,
      ],
      [
        "propose",
        {
          modelId: "1",
          action: "recover-token",
          token: "0x0000000000000000000000000000000000000000",
          description: "x",
        },
        /^error: --token: model #1 accepts 0x0{40} as revenue; only a token it does not accept can be recovered$/,
      ],
    ];
    for (const [task, args, message] of cases) {
      it(`${task} ${Object.entries(args)
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `--${k} ${String(v)}`)
        .join(" ")}`, async function () {
        await expectRefused(run, task, args, message);
      });
    }

    it("refuses to queue or execute a proposal that is not in the state required, sending nothing", async function () {
      const { ethers } = await hre.network.getOrCreate();
      const block = await ethers.provider.getBlockNumber();
      const queued = await run("queue", { modelId: "1", proposalId: lastProposal });
      expect(queued.exitCode).to.equal(1);
      expect(queued.stderr).to.equal(
        `error: --proposal-id: proposal ${shortId(lastProposal)} is Executed; expected Succeeded`,
      );
      const executed = await run("execute", { modelId: "1", proposalId: lastProposal });
      expect(executed.stderr).to.equal(
        `error: --proposal-id: proposal ${shortId(lastProposal)} is Executed; expected Queued`,
      );
      expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing sent");
    });

    it("rejects a deployment whose contracts are not on this network", async function () {
      const elsewhere = deploymentFile({
        shares: accounts[10],
        registry: accounts[10],
        vault: accounts[10],
        licenses: accounts[10],
        meter: accounts[10],
        adminTimelock: accounts[10],
      });
      const result = await runTask(hre, "model", { deployment: elsewhere, json: true, signer: "", modelId: "1" });
      expect(result.exitCode).to.equal(1);
      expect(result.stderr).to.match(
        /^error: --network: no Weightshare registry at 0x[0-9a-fA-F]{40} on chain 31337; expected the network it was deployed to$/,
      );
    });

    it("rejects a deployment record without the UsageMeter, or with a meter the licence manager does not use", async function () {
      const { meter, ...beforeV2 } = addresses;
      const noMeter = deploymentFile(beforeV2);
      const missing = await runTask(hre, "model", { deployment: noMeter, json: true, signer: "", modelId: "1" });
      expect([missing.exitCode, missing.stderr]).to.deep.equal([
        1,
        `error: --deployment: expected "meter" to be an address in ${noMeter} (the UsageMeter, deployed since V2)`,
      ]);
      const stale = deploymentFile({ ...addresses, meter: accounts[10] });
      const wrong = await runTask(hre, "access", {
        deployment: stale,
        json: true,
        signer: "",
        modelId: "1",
        account: accounts[6],
        licenceId: "",
      });
      expect([wrong.exitCode, wrong.stderr]).to.deep.equal([
        1,
        `error: --deployment: meter ${accounts[10]} is not the usage meter of the licence manager at ${addresses.licenses} (${meter})`,
      ]);
    });
  });
});
