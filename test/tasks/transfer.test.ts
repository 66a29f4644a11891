/**
 * `ws transfer` (fractions, single and batch), `ws transfer-licence` and `ws primary-licence`: what they send, where
 * the votes go, and every refusal as one line naming the argument, exit 1, nothing mined.
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { offerTerms } from "../helpers/fixtures.js";
import { deployForTasks, expectRefused, runTask, type TaskRun } from "./helpers.js";
import { asTimelock, registerWithTask } from "./models-setup.js";

describe("tasks: ws transfer, transfer-licence, primary-licence", function () {
  let deployment: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "", force: false, ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  /** Runs a task expected to refuse: returns its one stderr line, after checking nothing was mined. */
  const refused = (name: string, args: Record<string, unknown>) => expectRefused(run, name, args);
  const shares = async () => (await hre.network.getOrCreate()).ethers.getContractAt("ModelShares", addresses.shares);
  const licenses = async () =>
    (await hre.network.getOrCreate()).ethers.getContractAt("LicenseManager", addresses.licenses);

  before(async function () {
    ({ deployment, accounts, addresses } = await deployForTasks(hre));
    await registerWithTask(hre, deployment, {
      name: "Vision-7B",
      symbol: "wsVIS",
      members: [
        { account: accounts[1], amount: 500 },
        { account: accounts[2], amount: 300 },
        { account: accounts[3], amount: 200 },
      ],
    });
    await registerWithTask(hre, deployment, {
      name: "Speech-1B",
      symbol: "wsSPK",
      members: [{ account: accounts[1], amount: 100 }],
    });
    // Model 1 sells a transferable licence (offer 1), a non-transferable one (offer 2) and a one-hour one (offer 3).
    const dao = await asTimelock(hre, addresses, 1n);
    await (await dao.vault.setPaymentToken(1n, ZeroAddress, true)).wait();
    await (await dao.licenses.addOffer(1n, offerTerms({ transferable: true }))).wait();
    await (await dao.licenses.addOffer(1n, offerTerms())).wait();
    await (await dao.licenses.addOffer(1n, offerTerms({ transferable: true, duration: 3600n }))).wait();
    const { ethers } = await hre.network.getOrCreate();
    const buyer = (await licenses()).connect(await ethers.getSigner(accounts[6]));
    const price = ethers.parseEther("0.1");
    for (const offer of [1n, 2n, 3n]) {
      await (await buyer.purchase(1n, offer, accounts[6], price, { value: price })).wait();
    }
  });

  describe("fractions", function () {
    it("transfers fractions; their votes go to the receiver, who delegates to itself from its first fractions", async function () {
      const out = ok(await run("transfer", { modelId: "1", to: accounts[8], amount: "100", signer: "1" }));
      expect(out).to.deep.include({ from: accounts[1], to: accounts[8] });
      expect(out.transfers).to.deep.equal([
        {
          modelId: "1",
          symbol: "wsVIS",
          amount: "100",
          amountText: "100 wsVIS",
          fromDelegate: accounts[1],
          toDelegate: accounts[8],
          votes: `votes follow the fractions: 100 votes went from ${accounts[1]} (the sender's delegate) to ${accounts[8]}, the receiver's delegate (the receiver itself)`,
        },
      ]);
      expect(await (await shares()).balanceOf(accounts[8], 1n)).to.equal(100n);
      const { ethers } = await hre.network.getOrCreate();
      const registry = await ethers.getContractAt("ModelRegistry", addresses.registry);
      const votes = await ethers.getContractAt("ModelVotes", (await registry.model(1n)).votes);
      expect([await votes.getVotes(accounts[8]), await votes.getVotes(accounts[1])]).to.deep.equal([100n, 400n]);
    });

    it("says in text where the votes went when the receiver delegates to someone else", async function () {
      ok(await run("delegate", { modelId: "1", to: accounts[3], signer: "2" }));
      const r = await run("transfer", { modelId: "1", to: accounts[2], amount: "10", signer: "8", json: false });
      expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
      expect(r.stdout).to.equal(
        [
          `transferred from ${accounts[8]} to ${accounts[2]}:`,
          `  10 wsVIS (model #1): votes follow the fractions: 10 votes went from ${accounts[8]} (the sender's delegate) to ${accounts[3]}, the receiver's delegate`,
        ].join("\n"),
      );
    });

    it("transfers fractions of several models in one batch", async function () {
      const { ethers } = await hre.network.getOrCreate();
      const block = await ethers.provider.getBlockNumber();
      const out = ok(await run("transfer", { to: accounts[9], batch: "1:10, 2:5", signer: "1" }));
      expect(await ethers.provider.getBlockNumber()).to.equal(block + 1, "one transaction");
      expect(out.transfers.map((t: { amountText: string }) => t.amountText)).to.deep.equal(["10 wsVIS", "5 wsSPK"]);
      expect(await (await shares()).balanceOfBatch([accounts[9], accounts[9]], [1n, 2n])).to.deep.equal([10n, 5n]);
    });

    it("says the treasury's fractions carry no votes", async function () {
      const { ethers } = await hre.network.getOrCreate();
      const treasury = (await (await ethers.getContractAt("ModelRegistry", addresses.registry)).model(2n)).timelock;
      const out = ok(await run("transfer", { modelId: "2", to: treasury, amount: "5", signer: "9" }));
      expect(out.transfers[0].votes).to.equal(
        `the treasury's fractions carry no votes: 5 votes left the votable supply, taken from ${accounts[9]} (the sender's delegate)`,
      );
    });

    it("sends 0 fractions or to the sender itself only with --force", async function () {
      expect(await refused("transfer", { modelId: "1", to: accounts[1], amount: "0", signer: "9" })).to.equal(
        "error: --amount: transferring 0 fractions of model #1 moves nothing; pass --force to send it anyway",
      );
      expect(await refused("transfer", { modelId: "1", to: accounts[9], amount: "1", signer: "9" })).to.equal(
        `error: --to: ${accounts[9]} is the sender; transferring fractions to yourself moves nothing; pass --force to send it anyway`,
      );
      expect(await refused("transfer", { to: accounts[1], batch: "1:1,2:0", signer: "9" })).to.equal(
        "error: --batch: transferring 0 fractions of model #2 moves nothing; pass --force to send it anyway",
      );
      const { ethers } = await hre.network.getOrCreate();
      const block = await ethers.provider.getBlockNumber();
      ok(await run("transfer", { modelId: "1", to: accounts[1], amount: "0", signer: "9", force: true }));
      expect(await ethers.provider.getBlockNumber()).to.equal(block + 1);
    });

    it("refuses more than the sender holds, saying its balance", async function () {
      expect(await refused("transfer", { modelId: "1", to: accounts[1], amount: "91", signer: "8" })).to.equal(
        `error: --amount: ${accounts[8]} holds 90 wsVIS (fractions of model #1); this transfer needs 91 wsVIS`,
      );
      expect(await refused("transfer", { to: accounts[1], batch: "1:10,2:6", signer: "9" })).to.equal(
        `error: --batch: ${accounts[9]} holds 0 wsSPK (fractions of model #2); this transfer needs 6 wsSPK`,
      );
    });

    it("refuses a receiver contract that cannot take ERC-1155 tokens, in the contract's words", async function () {
      expect(await refused("transfer", { modelId: "1", to: addresses.registry, amount: "1", signer: "1" })).to.equal(
        `error: --to: refused by the contract: ${addresses.registry} cannot receive fractions (not an ERC-1155 receiver, or the zero address) [ERC1155InvalidReceiver(${addresses.registry})]`,
      );
    });

    const bad: [Record<string, unknown>, string][] = [
      [{ modelId: "1", to: "", amount: "1" }, "error: --to: expected the address that receives the fractions"],
      [{ modelId: "1", to: "0x12", amount: "1" }, 'error: --to: expected a 0x-prefixed 20-byte address, got "0x12"'],
      [
        { to: "0x0000000000000000000000000000000000000001", amount: "1" },
        "error: --model-id: expected the model whose fractions to transfer (or --batch MODEL:AMOUNT,...)",
      ],
      [
        { modelId: "1", to: "0x0000000000000000000000000000000000000001" },
        "error: --amount: expected how many fractions to transfer",
      ],
      [
        { modelId: "1", to: "0x0000000000000000000000000000000000000001", amount: "1.5" },
        'error: --amount: expected an amount of wsVIS as a whole number, got "1.5"',
      ],
      [
        { modelId: "3", to: "0x0000000000000000000000000000000000000001", amount: "1" },
        "error: --model-id: expected an existing model id (1..2), got 3",
      ],
      [
        { modelId: "1", to: "0x0000000000000000000000000000000000000001", batch: "1:1" },
        "error: --batch: give either --model-id and --amount, or --batch, not both",
      ],
      [
        { to: "0x0000000000000000000000000000000000000001", batch: "1=5" },
        'error: --batch: expected MODEL:AMOUNT pairs such as 1:100,2:50, got "1=5"',
      ],
      [
        { to: "0x0000000000000000000000000000000000000001", batch: "1:5,3:1" },
        "error: --batch: expected existing model ids (1..2), got 3",
      ],
      [
        { to: "0x0000000000000000000000000000000000000001", batch: "1:5,1:1" },
        "error: --batch: model #1 appears twice; give each model once",
      ],
      [
        { to: "0x0000000000000000000000000000000000000001", batch: "1:lots" },
        'error: --batch: expected an amount of wsVIS as a whole number, got "lots"',
      ],
    ];
    for (const [args, message] of bad) {
      it(`refuses ${JSON.stringify(args)}`, async function () {
        expect(
          await refused("transfer", { modelId: "", to: "", amount: "", batch: "", signer: "1", ...args }),
        ).to.equal(message);
      });
    }
  });

  describe("licences", function () {
    it("transfers a transferable licence: the receiver's primary, the sender's access gone, old receipts bounded", async function () {
      const out = ok(await run("transfer-licence", { licenceId: "1", to: accounts[10], signer: "6" }));
      const { ethers } = await hre.network.getOrCreate();
      const at = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      expect(out).to.deep.include({
        licenceId: "1",
        modelId: "1",
        from: accounts[6],
        to: accounts[10],
        receiverPrimary: true,
        senderAccess: false, // its primary was licence 1; licence 2 gives access once chosen (below)
        receiptWindow: "86400",
        oldReceiptsUntil: String(at + 86400n),
      });
      expect(await (await licenses()).ownerOf(1n)).to.equal(accounts[10]);
    });

    it("says in text who has access and until when the old holder's receipts count", async function () {
      const r = await run("transfer-licence", { licenceId: "1", to: accounts[11], signer: "10", json: false });
      expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
      const { ethers } = await hre.network.getOrCreate();
      const until = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 86400n;
      const iso = new Date(Number(until) * 1000).toISOString().replace(".000Z", "Z");
      expect(r.stdout.split("\n")).to.deep.equal([
        `transferred licence #1 (model #1 "Vision-7B") from ${accounts[10]} to ${accounts[11]}`,
        `it is now ${accounts[11]}'s primary licence for model #1`,
        `${accounts[10]} no longer has access to model #1`,
        `usage receipts signed by ${accounts[10]} authorise usage only until their deadlines, at most 1 day (the usage meter's receipt window) after this transfer: until ${iso} (${until}) at the latest`,
      ]);
    });

    it("refuses a non-transferable licence, one the signer does not hold, and a receiver that cannot take it", async function () {
      expect(await refused("transfer-licence", { licenceId: "2", to: accounts[10], signer: "6" })).to.equal(
        "error: --licence-id: licence #2 is not transferable under its terms (offer 2 of model #1)",
      );
      expect(await refused("transfer-licence", { licenceId: "3", to: accounts[10], signer: "0" })).to.equal(
        `error: --signer: ${accounts[0]} does not hold licence #3 (${accounts[6]} does)`,
      );
      expect(await refused("transfer-licence", { licenceId: "3", to: addresses.registry, signer: "6" })).to.equal(
        `error: --to: refused by the contract: ${addresses.registry} cannot receive a licence (not an ERC-721 receiver, or the zero address) [ERC721InvalidReceiver(${addresses.registry})]`,
      );
      expect(await refused("transfer-licence", { licenceId: "3", to: accounts[6], signer: "6" })).to.equal(
        `error: --to: ${accounts[6]} already holds licence #3; transferring it to itself changes nothing; pass --force to send it anyway`,
      );
      expect(await refused("transfer-licence", { licenceId: "9", to: accounts[10], signer: "6" })).to.equal(
        "error: --licence-id: expected an existing licence id, got 9",
      );
      expect(await refused("transfer-licence", { licenceId: "", to: accounts[10], signer: "6" })).to.equal(
        "error: --licence-id: expected the licence to transfer",
      );
    });
  });

  describe("primary licence", function () {
    it("chooses which licence access is checked against", async function () {
      const out = ok(await run("primary-licence", { modelId: "1", licenceId: "2", signer: "6" }));
      expect(out).to.deep.include({
        modelId: "1",
        account: accounts[6],
        licenceId: "2",
        hasAccess: true,
        access: "live",
      });
      expect(await (await licenses()).primaryLicence(1n, accounts[6])).to.equal(2n);
    });

    it("refuses another model's licence, one not held, and (without --force) the primary again", async function () {
      expect(await refused("primary-licence", { modelId: "2", licenceId: "2", signer: "6" })).to.equal(
        "error: --licence-id: licence #2 is a licence of model #1, not model #2",
      );
      expect(await refused("primary-licence", { modelId: "1", licenceId: "2", signer: "1" })).to.equal(
        `error: --signer: ${accounts[1]} does not hold licence #2 (${accounts[6]} does)`,
      );
      expect(await refused("primary-licence", { modelId: "1", licenceId: "2", signer: "6" })).to.equal(
        `error: --licence-id: licence #2 is already the primary licence of ${accounts[6]} for model #1; pass --force to send it anyway`,
      );
      expect(await refused("primary-licence", { modelId: "", licenceId: "", signer: "6" })).to.equal(
        "error: --licence-id: expected the licence to use as primary",
      );
    });

    it("makes a lapsed licence the primary only with --force, which takes the access away", async function () {
      const { ethers, networkHelpers } = await hre.network.getOrCreate();
      const expiry = (await (await licenses()).licence(3n)).expiry;
      await networkHelpers.time.increaseTo(expiry + 1n);
      const iso = new Date(Number(expiry) * 1000).toISOString().replace(".000Z", "Z");
      expect(await refused("primary-licence", { modelId: "1", licenceId: "3", signer: "6" })).to.equal(
        `error: --licence-id: licence #3 expired at ${iso} (${expiry}): as primary it gives ${accounts[6]} no access to model #1 (renew it first: ws renew --licence-id 3); pass --force to send it anyway`,
      );
      const block = await ethers.provider.getBlockNumber();
      const r = await run("primary-licence", { modelId: "", licenceId: "3", signer: "6", force: true, json: false });
      expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
      expect(await ethers.provider.getBlockNumber()).to.equal(block + 1);
      expect(r.stdout).to.equal(
        `licence #3 is now the primary licence of ${accounts[6]} for model #1 (expired, 1000 credits, expires ${iso} (${expiry})); ${accounts[6]} has NO access`,
      );
    });
  });
});
