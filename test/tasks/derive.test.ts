/**
 * `ws derive`, and how derivative models show in `ws model`, `ws buy` and `ws licences`: Vision-7B and Audio-3B sell
 * derivative licences (in ETH with and without a price floor, one short-lived, one in USDC with its own floor) and a
 * licence that allows none; account 0 buys them and registers a new model as a derivative of both, then a grandchild
 * through the derivative's own licence. Every refusal is one line naming the argument and what was expected, exit 1,
 * nothing mined and nothing registered; the registry's own refusal (parents' floors in different tokens) and the
 * licence manager's floor on a derivative's offer come back in plain words.
 */
import { expect } from "chai";
import { id, parseEther, ZeroAddress } from "ethers";
import hre from "hardhat";

import { addOffer, combine, setPaymentToken, type OfferTerms } from "../../governance/index.js";
import type { IModelLineage, LicenseManager } from "../../types/ethers-contracts/index.js";
import path from "node:path";

import { deploymentFile, expectRefused, runTask, writeMembers, type RunTask } from "./helpers.js";
import { moneySetup, unmeteredTerms as terms, type MoneySetup } from "./money-setup.js";

const DAY = 86_400n;

describe("ws derive: registering derivative models", function () {
  this.timeout(300_000);
  let s: MoneySetup;
  let a: string[];
  let usdc: string;
  /** A deployment record from before derivative models: no lineage registry. */
  let old: string;
  let run: RunTask;
  let licenses: LicenseManager;
  let lineage: IModelLineage;
  /** Licences bought by account 0 unless said otherwise, by what they are. */
  const L = { vision: 1n, plain: 2n, short: 3n, audio: 4n, greedy: 5n, usdc: 6n, others: 7n };
  const ok = (r: { exitCode: number; stdout: string; stderr: string }) => s.ok(r);
  const lines = async (name: string, args: Record<string, unknown>) => {
    const r = await run(name, { json: false, ...args });
    expect(r.exitCode, r.stderr).to.equal(0);
    return r.stdout.split("\n");
  };
  /** Refused in exactly `message` (after `error: `), and nothing registered for model 3. */
  const refused = async (args: Record<string, unknown>, message: string) => {
    const nonce = await (await hre.network.getOrCreate()).ethers.provider.getTransactionCount(a[0]);
    await expectRefused(run, "derive", args, `error: ${message}`);
    expect(await (await hre.network.getOrCreate()).ethers.provider.getTransactionCount(a[0])).to.equal(nonce);
  };

  let ownModel: (name: string) => Promise<bigint>;

  before(async function () {
    s = await moneySetup(hre);
    a = s.accounts;
    const { ethers } = await hre.network.getOrCreate();
    licenses = await ethers.getContractAt("LicenseManager", s.addresses.licenses);
    const vault = await ethers.getContractAt("RevenueVault", s.addresses.vault);
    // The lineage registry the licence manager takes floors from is what the deployment records as "lineage".
    expect(await licenses.lineage()).to.equal(s.addresses.lineage);
    lineage = await ethers.getContractAt("IModelLineage", s.addresses.lineage);
    // What a deployment made before derivative models records: no lineage registry.
    const { lineage: _, ...before } = s.addresses;
    void _;
    old = deploymentFile(before);
    run = (name, args) => runTask(hre, name, { deployment: s.deployment, json: true, ...args });
    // A lab registers its fine-tune holding every fraction, so it may register the parents alone.
    ownModel = async (name) => {
      const file = writeMembers(path.dirname(s.deployment), [a[0]], [1000], { name, symbol: "wsF" }, `${name}.json`);
      return BigInt(ok(await run("register", { members: file })).modelId);
    };
    const token = await ethers.deployContract("TestToken", ["USD Coin", "USDC", 6]);
    usdc = await token.getAddress();
    await (await token.mint(a[0], 1_000_000_000n)).wait();

    const vision = await s.register("Vision-7B");
    const audio = await s.register("Audio-3B");
    const offers = async (modelId: bigint, tokens: string[], list: Partial<OfferTerms>[]) => {
      const description = `derivative licences of model #${modelId}`;
      const parts = [];
      for (const t of tokens)
        parts.push(await setPaymentToken({ vault, modelId, token: t, allowed: true, description }));
      for (const o of list) parts.push(await addOffer({ licenses, modelId, terms: terms(o), description }));
      await s.pass(modelId, combine(description, parts));
    };
    await offers(
      vision,
      [ZeroAddress],
      [
        { derivativesAllowed: true, parentShareBps: 1000n, minDerivativePrice: parseEther("0.05") },
        {},
        { derivativesAllowed: true, parentShareBps: 4500n, duration: DAY },
      ],
    );
    await offers(
      audio,
      [ZeroAddress, usdc],
      [
        { price: parseEther("0.2"), derivativesAllowed: true, parentShareBps: 500n },
        { derivativesAllowed: true, parentShareBps: 2000n },
        { price: 20_000_000n, paymentToken: usdc, derivativesAllowed: true, minDerivativePrice: 10_000_000n },
      ],
    );
    const buy = async (modelId: bigint, offerId: string, maxPrice: string, signer = "0") =>
      BigInt(ok(await run("buy", { modelId: String(modelId), offerId, maxPrice, signer })).licenceId);
    expect([
      await buy(vision, "1", "0.1"),
      await buy(vision, "2", "0.1"),
      await buy(vision, "3", "0.1"),
      await buy(audio, "1", "0.2"),
      await buy(audio, "2", "0.1"),
      await buy(audio, "3", "20"),
      await buy(vision, "1", "0.1", "6"),
    ]).to.deep.equal(Object.values(L));
    expect(await ownModel("Vision-Audio-ft")).to.equal(3n);
  });

  it("ws buy and ws licences show a licence's derivative terms", async function () {
    const out = ok(await run("licences", { account: a[0] }));
    const byId = (id: bigint) => out.licences.find((l: { licenceId: string }) => l.licenceId === String(id));
    expect(byId(L.vision).derivatives).to.deep.equal({
      parentShareBps: "1000",
      parentShare: "10%",
      minDerivativePrice: {
        token: ZeroAddress,
        symbol: "ETH",
        decimals: 18,
        amount: "50000000000000000",
        formatted: "0.05 ETH",
      },
    });
    expect(byId(L.plain).derivatives).to.equal(null);
    expect(byId(L.audio).derivatives).to.deep.equal({
      parentShareBps: "500",
      parentShare: "5%",
      minDerivativePrice: null,
    });
    const table = (await lines("licences", { account: a[0] })).join("\n");
    expect(table).to.match(/^\s*1\s+#1 Vision-7B\s.*\s10% to parent, floor 0\.05 ETH\s+(yes|no)\s*$/m);
    expect(table).to.match(/^\s*2\s+#1 Vision-7B\s.*\syes\s+no\s+(yes|no)\s*$/m);
    expect(table).to.match(/^\s*6\s+#2 Audio-3B\s.*\s0% to parent, floor 10 USDC\s+(yes|no)\s*$/m);
    // ws buy says what a derivative licence entails, and nothing more of one that allows none.
    const [bought] = await lines("buy", { modelId: "2", offerId: "2", maxPrice: "0.1", signer: "9" });
    expect(bought).to.match(
      /^bought licence #8 of model #2 for 0x\w{40}, paying 0\.1 ETH: unmetered, expires .+; derivatives allowed: the parent takes 20% of a derivative's revenue$/,
    );
    const [plain] = await lines("buy", { modelId: "1", offerId: "2", maxPrice: "0.1", signer: "9" });
    expect(plain).to.match(/^bought licence #9 of model #1 for 0x\w{40}, paying 0\.1 ETH: unmetered, expires [^;]+$/);
  });

  it("refuses bad arguments in one line, sending nothing", async function () {
    await refused(
      { modelId: "", licences: "1" },
      "--model-id: expected the id of the new model to register as a derivative",
    );
    await refused(
      { modelId: "3", licences: "" },
      "--licences: expected the derivative licences you hold, one per parent, comma-separated, e.g. 3,4 (ws licences lists yours)",
    );
    await refused({ modelId: "3", licences: "1,x" }, '--licences: expected a whole number, got "x"');
    await refused({ modelId: "3", licences: "1,1" }, "--licences: expected each licence once; #1 is named twice");
    await refused(
      { modelId: "3", licences: "1,2,3,4,5" },
      "--licences: expected at most 4 licences, one per parent; got 5",
    );
    await refused({ modelId: "99", licences: "1" }, "--model-id: expected an existing model id (1..3), got 99");
    await refused(
      { modelId: "3", licences: "1", deployment: old },
      '--deployment: expected a "lineage" address (the ModelLineage registry, deployed with the protocol since derivative models were added); this deployment has none',
    );
  });

  it("refuses what the registry would refuse, naming the argument and what was expected, sending nothing", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const treasury = (await (await ethers.getContractAt("ModelRegistry", s.addresses.registry)).model(3n)).timelock;
    await refused(
      { modelId: "3", licences: "1", signer: "6" },
      `--signer: expected the creator (${a[0]}) or the treasury (${treasury}) of model #3, which registers its parents; got ${a[6]}`,
    );
    await refused({ modelId: "3", licences: "99" }, "--licences: expected existing licences; there is no licence #99");
    await refused(
      { modelId: "3", licences: `1,${L.others}` },
      `--licences: expected licences you hold; licence #${L.others} is held by ${a[6]}`,
    );
    await refused(
      { modelId: "3", licences: String(L.plain) },
      `--licences: expected derivative licences; licence #${L.plain} (model #1, offer 2) does not allow derivatives`,
    );
    await refused(
      { modelId: "3", licences: `${L.vision},${L.short}` },
      `--licences: expected one licence per parent; licences #${L.vision} and #${L.short} are both of model #1`,
    );
    await refused(
      { modelId: "3", licences: `${L.short},${L.greedy}` },
      "--licences: expected parents' shares adding up to at most 50% of the derivative's revenue; these licences ask for 65%",
    );
    await refused(
      { modelId: "1", licences: String(L.audio) },
      "--model-id: expected a new model that publishes no licence offer yet; model #1 has 3 (its parents would miss what it earned before)",
    );
    expect(await lineage.parentsOf(3n)).to.deep.equal([]);
  });

  it("decodes the registry's own refusal: parents asking for floors in different tokens", async function () {
    await refused(
      { modelId: "3", licences: `${L.vision},${L.usdc}` },
      `--licences: refused by the contract: the parents set price floors in different tokens (ETH and ${usdc}); no offer could meet both [ModelLineageConflictingMinPrice(${ZeroAddress}, ${usdc})]`,
    );
    expect(await lineage.parentsOf(3n)).to.deep.equal([]);
  });

  it("registers a derivative of two models: prints its parents, their shares and its price floor", async function () {
    expect(await lines("derive", { modelId: "3", licences: `${L.vision},${L.audio}` })).to.deep.equal([
      "registered model #3 as a derivative of:",
      `  #1 "Vision-7B": 10% of its revenue (licence #${L.vision})`,
      `  #2 "Audio-3B": 5% of its revenue (licence #${L.audio})`,
      "its parents take 15% of every payment into it, before its own split",
      "price floor: its licences must cost at least 0.05 ETH",
    ]);
    expect((await lineage.parentsOf(3n)).map((p) => [p.modelId, p.licenceId, p.shareBps])).to.deep.equal([
      [1n, L.vision, 1000n],
      [2n, L.audio, 500n],
    ]);
    expect(await lineage.derivativeOf(L.vision)).to.equal(3n);
  });

  it("refuses a model registered already, a parent, and a used licence", async function () {
    await refused(
      { modelId: "3", licences: String(L.greedy) },
      "--model-id: expected a model not yet registered as a derivative; model #3 is one of #1, #2",
    );
    await refused(
      { modelId: "1", licences: String(L.greedy) },
      "--model-id: expected a model without derivatives; model #1 is the parent of #3",
    );
    expect(await ownModel("Vision-distilled")).to.equal(4n);
    await refused(
      { modelId: "4", licences: String(L.vision) },
      `--licences: expected unused licences; licence #${L.vision} registered model #3 already`,
    );
  });

  it("a derivative's offer below its floor is refused by ws propose in plain words; a grandchild inherits the floor", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const vault = await ethers.getContractAt("RevenueVault", s.addresses.vault);
    // The lab hands its fine-tune's fractions to the consortium, whose DAO then runs it by vote.
    const shares = await ethers.getContractAt("ModelShares", s.addresses.shares, await ethers.getSigner(a[0]));
    for (const [to, amount] of [
      [a[1], 500n],
      [a[2], 300n],
      [a[3], 200n],
    ] as const) {
      await (await shares.safeTransferFrom(a[0], to, 3n, amount, "0x")).wait();
    }
    const description = "model #3 takes ETH";
    await s.pass(3n, await setPaymentToken({ vault, modelId: 3n, token: ZeroAddress, allowed: true, description }));
    const below = await run("propose", {
      modelId: "3",
      action: "add-offer",
      price: "0.04",
      termsUri: "ipfs://t",
      termsHash: id("t"),
      description: "too cheap",
      signer: "1",
    });
    expect([below.exitCode, below.stdout]).to.deep.equal([1, ""]);
    expect(below.stderr).to.match(
      new RegExp(
        "^error: --action: executed now, call 1 \\(.+\\) would be refused: model #3 is a derivative whose licences cost at least 0\\.05 ETH; this offer asks 0\\.04 ETH " +
          `\\[LicenseManagerBelowDerivativeFloor\\(3, ${ZeroAddress}, 40000000000000000, ${ZeroAddress}, 50000000000000000\\)\\]; pass --force to send it anyway$`,
      ),
    );
    const sells = "model #3's derivative licence";
    await s.pass(
      3n,
      await addOffer({
        licenses,
        modelId: 3n,
        terms: terms({ price: parseEther("0.05"), derivativesAllowed: true, parentShareBps: 2000n }),
        description: sells,
      }),
    );
    const licence = ok(await run("buy", { modelId: "3", offerId: "1", maxPrice: "0.05" })).licenceId;
    const out = ok(await run("derive", { modelId: "4", licences: licence }));
    expect(out).to.deep.equal({
      modelId: "4",
      name: "Vision-distilled",
      registrant: a[0],
      parents: [{ modelId: "3", licenceId: licence, shareBps: "2000", name: "Vision-Audio-ft", share: "20%" }],
      parentShareBps: "2000",
      parentShare: "20%",
      floor: { token: ZeroAddress, symbol: "ETH", decimals: 18, amount: "50000000000000000", formatted: "0.05 ETH" },
      depth: "2",
      routes: "3",
      transactionHash: out.transactionHash,
    });
    expect(out.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("ws model shows parents with their shares and licences, derivatives and the price floor", async function () {
    const out = ok(await run("model", { modelId: "3" }));
    expect(out.lineage).to.deep.equal({
      parents: [
        { modelId: "1", name: "Vision-7B", shareBps: "1000", share: "10%", licenceId: String(L.vision) },
        { modelId: "2", name: "Audio-3B", shareBps: "500", share: "5%", licenceId: String(L.audio) },
      ],
      parentShareBps: "1500",
      parentShare: "15%",
      children: [{ modelId: "4", name: "Vision-distilled" }],
      depth: "1",
      routes: "2",
      floor: { token: ZeroAddress, symbol: "ETH", decimals: 18, amount: "50000000000000000", formatted: "0.05 ETH" },
      fromDerivatives: [],
    });
    const derivative = await lines("model", { modelId: "3" });
    expect(derivative).to.include.members([
      `a derivative of #1 "Vision-7B" takes 10% (licence #${L.vision}), #2 "Audio-3B" takes 5% (licence #${L.audio}): its parents take 15% of every payment into it, before its own split`,
      "price floor: its licences cost at least 0.05 ETH",
      'derivatives: #4 "Vision-distilled"',
    ]);
    const original = await lines("model", { modelId: "1" });
    expect(original).to.include.members(["an original model: no parents", 'derivatives: #3 "Vision-Audio-ft"']);
    expect(original.join("\n")).to.not.match(/price floor/);
    expect(await lines("model", { modelId: "2" })).to.include('derivatives: #3 "Vision-Audio-ft"');
    expect(ok(await run("model", { modelId: "1" })).lineage).to.deep.include({ parents: [], floor: null, depth: "0" });

    // A deployment record from before derivative models shows no lineage, without an error.
    const before = await runTask(hre, "model", { deployment: old, modelId: "3", json: true });
    expect([before.exitCode, before.stderr]).to.deep.equal([0, ""]);
    expect(JSON.parse(before.stdout)).to.not.have.property("lineage");
    const oldText = await runTask(hre, "model", { deployment: old, modelId: "3" });
    expect(oldText.stdout).to.not.match(/derivative|parents|price floor/);
  });

  it("refuses the creator of a model whose fractions others hold: its DAO registers the parents by vote", async function () {
    expect(await s.register("Shared-ft")).to.equal(5n);
    await refused(
      { modelId: "5", licences: String(L.short) },
      "--signer: expected the creator to hold every fraction of model #5 to register its parents alone (it holds 0 of 1000); otherwise its treasury registers them by vote (ws propose --action register-derivative)",
    );
  });

  it("refuses a licence that has expired", async function () {
    const { networkHelpers } = await hre.network.getOrCreate();
    expect(await ownModel("Late-merge")).to.equal(6n);
    await networkHelpers.time.increase(2n * DAY);
    await refused(
      { modelId: "6", licences: String(L.short) },
      `--licences: expected live licences; licence #${L.short} has expired or has no credits left (ws renew)`,
    );
  });
});
