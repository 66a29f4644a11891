/**
 * `ws collect-from-derivatives`, and what `ws model` shows of what derivatives set aside: Vision-7B (accepting ETH
 * only, split 20% contributors / 50% holders / 30% treasury) sells a derivative licence taking 10%; Vision-ft's
 * treasury, holding one, registers Vision-ft through it by vote, and Vision-ft sells licences in ETH and in USDC.
 * After each sale of Vision-ft's licences Vision-7B's share waits in the vault until anyone collects it: in ETH it
 * enters Vision-7B's split, in USDC (a token Vision-7B does not accept, found from the vault's events) its treasury
 * takes it whole. Nothing waiting is refused in one line with nothing sent.
 */
import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import hre from "hardhat";

import {
  addOffer,
  combine,
  registerDerivative,
  setContributors,
  setPaymentToken,
  setRevenueSplit,
} from "../../governance/index.js";
import type { RevenueVault } from "../../types/ethers-contracts/index.js";
import { expectRefused, runTask, type RunTask } from "./helpers.js";
import { moneySetup, unmeteredTerms as terms, type MoneySetup } from "./money-setup.js";

const E6 = 10n ** 6n;

describe("ws collect-from-derivatives: a parent's share of its derivatives' revenue", function () {
  this.timeout(300_000);
  let s: MoneySetup;
  let a: string[];
  let usdc: string;
  let vault: RevenueVault;
  let run: RunTask;
  /** What derivatives set aside for Vision-7B in `token`: in all, and still to collect. */
  const setAside = async (token: string) => [...(await vault.fromDerivatives(1n, token))];
  const block = async () => (await hre.network.getOrCreate()).ethers.provider.getBlockNumber();
  /** Account 9 buys offer `offerId` of Vision-ft (model #2). */
  const buy = async (offerId: string, maxPrice: string) =>
    s.ok(await run("buy", { modelId: "2", offerId, maxPrice, signer: "9" }));
  const eth = (amount: string) => ({
    token: ZeroAddress,
    symbol: "ETH",
    decimals: 18,
    amount: String(parseEther(amount)),
    formatted: `${amount} ETH`,
  });
  const dollars = (amount: bigint) => ({
    token: usdc,
    symbol: "USDC",
    decimals: 6,
    amount: String(amount * E6),
    formatted: `${amount} USDC`,
  });

  before(async function () {
    s = await moneySetup(hre);
    a = s.accounts;
    run = (name, args) => runTask(hre, name, { deployment: s.deployment, json: true, ...args });
    const { ethers } = await hre.network.getOrCreate();
    vault = await ethers.getContractAt("RevenueVault", s.addresses.vault);
    const licenses = await ethers.getContractAt("LicenseManager", s.addresses.licenses);
    const token = await ethers.deployContract("TestToken", ["USD Coin", "USDC", 6]);
    usdc = await token.getAddress();
    await (await token.mint(a[9], 1_000n * E6)).wait();

    expect(await s.register("Vision-7B")).to.equal(1n);
    let description = "Vision-7B takes ETH and sells a derivative licence taking 10%";
    await s.pass(
      1n,
      combine(description, [
        await setPaymentToken({ vault, modelId: 1n, token: ZeroAddress, allowed: true, description }),
        await setRevenueSplit({ vault, modelId: 1n, contributorsBps: 2000n, holdersBps: 5000n, description }),
        await setContributors({
          vault,
          modelId: 1n,
          contributors: [
            { account: a[4], shares: 3n },
            { account: a[5], shares: 1n },
          ],
          description,
        }),
        await addOffer({
          licenses,
          modelId: 1n,
          terms: terms({ derivativesAllowed: true, parentShareBps: 1000n }),
          description,
        }),
      ]),
    );
    expect(await s.register("Vision-ft")).to.equal(2n);
    expect(await s.register("Unrelated")).to.equal(3n);
    // Vision-ft's treasury holds the derivative licence and registers through it by vote, then sells licences.
    const treasury = s.ok(await run("model", { modelId: "2" })).timelock;
    const licence = s.ok(await run("buy", { modelId: "1", offerId: "1", maxPrice: "0.1", recipient: treasury }));
    const lineage = await ethers.getContractAt("IModelLineage", s.addresses.lineage);
    description = "Vision-ft is a derivative of Vision-7B";
    await s.pass(
      2n,
      await registerDerivative({ lineage, modelId: 2n, licenceIds: [BigInt(licence.licenceId)], description }),
    );
    expect((await lineage.parentsOf(2n)).map((p) => p.modelId)).to.deep.equal([1n]);
    description = "Vision-ft sells licences in ETH and USDC";
    await s.pass(
      2n,
      combine(description, [
        await setPaymentToken({ vault, modelId: 2n, token: ZeroAddress, allowed: true, description }),
        await setPaymentToken({ vault, modelId: 2n, token: usdc, allowed: true, description }),
        await addOffer({ licenses, modelId: 2n, terms: terms({ price: parseEther("1") }), description }),
        await addOffer({
          licenses,
          modelId: 2n,
          terms: terms({ price: 100n * E6, paymentToken: usdc }),
          description,
        }),
      ]),
    );
  });

  it("refuses when nothing waits, in one line, sending nothing", async function () {
    await expectRefused(
      run,
      "collect-from-derivatives",
      { modelId: "1" },
      "error: --model-id: nothing set aside by the derivatives of model #1 waits to be collected (tokens checked: ETH)",
    );
    await expectRefused(
      run,
      "collect-from-derivatives",
      { modelId: "3" },
      "error: --model-id: nothing set aside by the derivatives of model #3 waits to be collected (tokens checked: none yet)",
    );
    await expectRefused(
      run,
      "collect-from-derivatives",
      { modelId: "1", token: usdc },
      `error: --token: nothing set aside by the derivatives of model #1 waits to be collected (in USDC (${usdc}))`,
    );
    await expectRefused(
      run,
      "collect-from-derivatives",
      { modelId: "1", token: a[5] },
      `error: --token: ${a[5]} has no code on this chain; expected an ERC-20 token`,
    );
    await expectRefused(
      run,
      "collect-from-derivatives",
      { modelId: "9" },
      "error: --model-id: expected an existing model id (1..3), got 9",
    );
  });

  it("after a sale of the derivative's licence, ws model shows the parent's share waiting, and collecting splits it", async function () {
    await buy("1", "1");
    expect(await setAside(ZeroAddress)).to.deep.equal([parseEther("0.1"), parseEther("0.1")]);
    expect(s.ok(await run("model", { modelId: "1" })).lineage.fromDerivatives).to.deep.equal([
      { total: eth("0.1"), pending: eth("0.1") },
    ]);
    const shown = (await runTask(hre, "model", { deployment: s.deployment, modelId: "1" })).stdout.split("\n");
    expect(shown).to.include("set aside by its derivatives: 0.1 ETH (0.1 ETH to collect: ws collect-from-derivatives)");

    const before = await block();
    const deposited = await vault.totalDeposited(1n, ZeroAddress);
    // Anyone may collect: account 7 holds nothing of either model.
    const out = s.ok(await run("collect-from-derivatives", { modelId: "1", signer: "7" }));
    expect(out).to.deep.equal({
      modelId: "1",
      collected: [
        {
          ...eth("0.1"),
          accepted: true,
          toContributors: eth("0.02"),
          toHolders: eth("0.05"),
          toTreasury: eth("0.03"),
        },
      ],
    });
    expect(await block()).to.equal(before + 1);
    expect(await vault.totalDeposited(1n, ZeroAddress)).to.equal(deposited + parseEther("0.1"));
    expect(await setAside(ZeroAddress)).to.deep.equal([parseEther("0.1"), 0n]);
    // It entered the split as revenue from the vault itself.
    const from = await vault.queryFilter(vault.filters.Deposited(1n, ZeroAddress, s.addresses.vault), before + 1);
    expect(from.map((e) => e.args.amount)).to.deep.equal([parseEther("0.1")]);
    expect(s.ok(await run("model", { modelId: "1" })).lineage.fromDerivatives).to.deep.equal([
      { total: eth("0.1"), pending: eth("0") },
    ]);
    const after = (await runTask(hre, "model", { deployment: s.deployment, modelId: "1" })).stdout.split("\n");
    expect(after).to.include("set aside by its derivatives: 0.1 ETH (all collected)");

    await expectRefused(
      run,
      "collect-from-derivatives",
      { modelId: "1" },
      "error: --model-id: nothing set aside by the derivatives of model #1 waits to be collected (tokens checked: ETH)",
    );
  });

  it("says in words what entered the split, with --token", async function () {
    await buy("1", "1");
    const r = await runTask(hre, "collect-from-derivatives", {
      deployment: s.deployment,
      modelId: "1",
      token: "ETH",
    });
    expect([r.exitCode, r.stderr, r.stdout]).to.deep.equal([
      0,
      "",
      "collected 0.1 ETH that derivatives set aside for model #1 into its split: 0.02 ETH to contributors, 0.05 ETH to holders as it unlocks, 0.03 ETH to the treasury",
    ]);
  });

  it("a token the parent does not accept is found from the vault's events and goes whole to its treasury", async function () {
    await buy("2", "100");
    expect(await setAside(usdc)).to.deep.equal([10n * E6, 10n * E6]);
    // ws model shows the tokens the model accepts only.
    expect(s.ok(await run("model", { modelId: "1" })).lineage.fromDerivatives).to.deep.equal([
      { total: eth("0.2"), pending: eth("0") },
    ]);
    const owed = await vault.treasuryReleasable(1n, usdc);
    const before = await block();
    const text = await runTask(hre, "collect-from-derivatives", { deployment: s.deployment, modelId: "1" });
    expect([text.exitCode, text.stderr, text.stdout]).to.deep.equal([
      0,
      "",
      "collected 10 USDC that derivatives set aside for model #1; it does not accept USDC, so its treasury took it whole (ws release-treasury pays it out)",
    ]);
    expect(await block()).to.equal(before + 1);
    expect(await vault.treasuryReleasable(1n, usdc)).to.equal(owed + 10n * E6);
    expect(await setAside(usdc)).to.deep.equal([10n * E6, 0n]);

    await buy("2", "100");
    const out = s.ok(await run("collect-from-derivatives", { modelId: "1" }));
    expect(out.collected).to.deep.equal([
      {
        ...dollars(10n),
        accepted: false,
        toContributors: dollars(0n),
        toHolders: dollars(0n),
        toTreasury: dollars(10n),
      },
    ]);
    await expectRefused(
      run,
      "collect-from-derivatives",
      { modelId: "1" },
      "error: --model-id: nothing set aside by the derivatives of model #1 waits to be collected (tokens checked: ETH, USDC)",
    );
  });
});
