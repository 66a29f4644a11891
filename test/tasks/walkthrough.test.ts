/**
 * Every task's happy path, as the README's local walkthrough runs them: register a model, configure it by vote,
 * buy and meter a licence, split and claim revenue, re-price by vote. Each bad input test then checks that the
 * task prints one line naming the argument, exits 1 and sends nothing.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { deployForTasks, deploymentFile, runTask, type TaskRun } from "./helpers.js";

describe("tasks: ws (happy paths and bad inputs)", function () {
  let deployment: string;
  let dir: string;
  let accounts: string[];
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
    ({ deployment, accounts } = await deployForTasks(hre));
    dir = path.dirname(deployment);
    writeFileSync(
      path.join(dir, "members.json"),
      JSON.stringify({
        name: "Vision-7B",
        symbol: "wsVIS",
        metadataURI: "ipfs://vision",
        members: [
          { account: accounts[1], amount: 500 },
          { account: accounts[2], amount: 300 },
          { account: accounts[3], amount: 200 },
        ],
      }),
    );
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
    await pass("1", { action: "add-offer", price: "0.1", credits: "1000", days: "30", termsUri: "ipfs://terms-v1" });
    await pass("1", { action: "set-operator", to: accounts[7] });
    const bought = ok(await run("buy", { modelId: "1", offerId: "1", maxPrice: "0.1", recipient: "", signer: "6" }));
    expect(bought.credits).to.equal("1000");
    expect(ok(await run("access", { modelId: "1", account: accounts[6], licenceId: "" })).hasAccess).to.equal(true);
    const receipt = ok(
      await run("receipt", { licenceId: bought.licenceId, amount: "40", nonce: "", validFor: "", signer: "6" }),
    );
    writeFileSync(path.join(dir, "receipts.json"), JSON.stringify([receipt]));
    ok(await run("settle", { receipts: path.join(dir, "receipts.json"), signer: "7" }));
    expect(
      ok(await run("access", { modelId: "1", account: accounts[6], licenceId: bought.licenceId })).licence.credits,
    ).to.equal("960");
    ok(await run("renew", { licenceId: bought.licenceId, maxPrice: "0.1", signer: "6" }));
    ok(await run("flush", { modelId: "1" }));
    ok(await run("deposit", { modelId: "1", amount: "0.8", signer: "9" }));
    const revenue = ok(await run("revenue", { modelId: "1", account: accounts[1] }));
    expect(revenue.tokens[0].claimable).to.equal("250000000000000000"); // 50% of 1 ETH x 500/1000
    expect(ok(await run("claim", { modelId: "1", release: false, signer: "1" })).amount).to.equal("250000000000000000");
    expect(ok(await run("claim", { modelId: "1", release: true, signer: "4" })).amount).to.equal("150000000000000000");
    await pass("2", { action: "set-price", offerId: "1", price: "0.2" });
    await pass("1", { action: "update-metadata", uri: "ipfs://vision-v2", contentHash: `0x${"ab".repeat(32)}` });
    await pass("1", { action: "set-royalty", to: accounts[8], amount: "250" });
    await pass("1", { action: "change-setting", setting: "votingPeriod", amount: String(2 * 86400) });
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
        /^error: --amount: expected an ETH amount such as 0\.25, got "lots"$/,
      ],
      [
        "propose",
        { modelId: "1", action: "set-split", contributorsBps: "6000", holdersBps: "5000", description: "x" },
        /^error: --holders-bps: expected at most 4000, got 5000$/,
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
        /^error: --proposal-id: expected a proposal of model #1, got 12345$/,
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
        { licenceId: "1", amount: "5", nonce: "", validFor: "", signer: "0" },
        /^error: --signer: 0x[0-9a-fA-F]{40} does not hold licence #1 \(0x[0-9a-fA-F]{40} does\)$/,
      ],
      ["settle", { receipts: "" }, /^error: --receipts: expected a JSON file with a list of signed receipts$/],
      [
        "deposit",
        { modelId: "1", amount: "1e6" },
        /^error: --amount: expected an ETH amount such as 0\.25, got "1e6"$/,
      ],
      [
        "deposit",
        { modelId: "1", amount: "100000000" },
        /^error: --amount: 100000000 ETH is more than the signer holds$/,
      ],
      [
        "claim",
        { modelId: "1", release: true, signer: "0" },
        /^error: --model-id: 0x[0-9a-fA-F]{40} has nothing to release as a contributor of model #1$/,
      ],
      ["flush", { modelId: "1" }, /^error: --model-id: model #1 has no licence revenue waiting$/],
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
    ];
    for (const [task, args, message] of cases) {
      it(`${task} ${Object.entries(args)
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `--${k} ${String(v)}`)
        .join(" ")}`, async function () {
        const { ethers } = await hre.network.getOrCreate();
        const block = await ethers.provider.getBlockNumber();
        const result = await run(task, args);
        expect(result.exitCode).to.equal(1);
        expect(result.stdout).to.equal("");
        expect(result.stderr.split("\n")).to.have.length(1);
        expect(result.stderr).to.match(message);
        expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing sent");
      });
    }

    it("refuses to queue or execute a proposal that is not in the state required, sending nothing", async function () {
      const { ethers } = await hre.network.getOrCreate();
      const block = await ethers.provider.getBlockNumber();
      const queued = await run("queue", { modelId: "1", proposalId: lastProposal });
      expect(queued.exitCode).to.equal(1);
      expect(queued.stderr).to.equal(`error: --proposal-id: proposal ${lastProposal} is Executed; expected Succeeded`);
      const executed = await run("execute", { modelId: "1", proposalId: lastProposal });
      expect(executed.stderr).to.equal(`error: --proposal-id: proposal ${lastProposal} is Executed; expected Queued`);
      expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing sent");
    });

    it("rejects a deployment whose contracts are not on this network", async function () {
      const elsewhere = deploymentFile({
        shares: accounts[10],
        registry: accounts[10],
        vault: accounts[10],
        licenses: accounts[10],
        adminTimelock: accounts[10],
      });
      const result = await runTask(hre, "model", { deployment: elsewhere, json: true, signer: "", modelId: "1" });
      expect(result.exitCode).to.equal(1);
      expect(result.stderr).to.match(
        /^error: --network: no Weightshare registry at 0x[0-9a-fA-F]{40} on chain 31337; expected the network it was deployed to$/,
      );
    });
  });
});
