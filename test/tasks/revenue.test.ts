/**
 * The revenue tasks in ETH and in a 6-decimal ERC-20 (made with `ws test-token`) the models allow by vote:
 * `deposit`, `revenue`, `claim` (every token, one token, `--to`, `--release`, `--model-ids`), `release-treasury`
 * and `collect-royalties`. Their bad inputs are in revenue-refusals.test.ts.
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { formatAmount, timeText } from "../../tasks/lib/units.js";
import type { TestToken } from "../../types/ethers-contracts/index.js";
import { runTask } from "./helpers.js";
import { moneySetup, type MoneySetup } from "./money-setup.js";

const ETH = { address: ZeroAddress, symbol: "ETH", decimals: 18 };
const E18 = 10n ** 18n;
const E6 = 10n ** 6n;

describe("tasks: revenue in ETH and ERC-20 (deposit, revenue, claim, release-treasury, collect-royalties)", function () {
  let s: MoneySetup;
  let a: string[];
  let usdc: TestToken;
  let stray: TestToken;
  let usdcAddress: string;
  let strayAddress: string;
  let USDC: { address: string; symbol: string; decimals: number };

  const block = async () => (await hre.network.getOrCreate()).ethers.provider.getBlockNumber();
  const vault = async () => (await hre.network.getOrCreate()).ethers.getContractAt("RevenueVault", s.addresses.vault);

  before(async function () {
    s = await moneySetup(hre);
    a = s.accounts;
    const { ethers } = await hre.network.getOrCreate();
    const token = (args: Record<string, string>) => s.run("test-token", args).then((r) => s.ok(r).address);
    usdcAddress = await token({ name: "Test USD", symbol: "USDC", decimals: "6", mint: "9:10000" });
    usdc = await ethers.getContractAt("TestToken", usdcAddress);
    USDC = { address: usdcAddress, symbol: "USDC", decimals: 6 };
    strayAddress = await token({ name: "Stray", symbol: "STRAY", decimals: "18" });
    stray = await ethers.getContractAt("TestToken", strayAddress);
    await s.register("Vision-7B");
    await s.register("Audio-3B");
    await s.configure(1n, usdcAddress, 2000n, 5000n);
    await s.configure(2n, usdcAddress, 0n, 5000n);
  });

  it("deposit pays ETH by default and an ERC-20 the model accepts in its units (approved for exactly that)", async function () {
    const v = await vault();
    const before = await block();
    const eth = s.ok(await s.run("deposit", { modelId: "1", amount: "1", signer: "9" }));
    expect(eth).to.deep.include({ token: ZeroAddress, symbol: "ETH", amount: E18.toString(), formatted: "1 ETH" });
    expect(eth).to.not.have.property("approved");
    expect(await block()).to.equal(before + 1);
    const erc20 = s.ok(await s.run("deposit", { modelId: "1", amount: "1000", token: usdcAddress, signer: "9" }));
    expect(erc20).to.deep.include({ token: usdcAddress, amount: "1000000000", formatted: "1000 USDC", from: a[9] });
    expect(erc20.approved).to.deep.include({
      spender: s.addresses.vault,
      amount: "1000000000",
      formatted: "1000 USDC",
    });
    expect(await block()).to.equal(before + 3, "approve, then deposit");
    expect(await v.totalDeposited(1n, usdcAddress)).to.equal(1000n * E6);
    expect(await usdc.allowance(a[9], s.addresses.vault)).to.equal(0n);
    s.ok(await s.run("deposit", { modelId: "2", amount: "2", token: "ETH", signer: "9" }));
    const text = await runTask(hre, "deposit", {
      deployment: s.deployment,
      modelId: "2",
      amount: "500.5",
      token: usdcAddress,
      signer: "9",
    });
    expect([text.exitCode, text.stdout, text.stderr]).to.deep.equal([
      0,
      "approved 500.5 USDC to the revenue vault (exactly the amount)\ndeposited 500.5 USDC into model #2",
      "",
    ]);
  });

  it("deposit --safe prints the approval and the deposit as one Safe batch, sending nothing", async function () {
    // Any contract stands in for a Safe: the token contract itself, holding some of its own tokens.
    await (await usdc.mint(usdcAddress, 100n * E6)).wait();
    const before = await block();
    const r = await s.run("deposit", { modelId: "1", amount: "100", token: usdcAddress, safe: usdcAddress });
    expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
    const batch = JSON.parse(r.stdout);
    expect(batch.meta).to.deep.include({ description: "approve, deposit", createdFromSafeAddress: usdcAddress });
    expect(batch.transactions.map((t: { to: string }) => t.to)).to.deep.equal([usdcAddress, s.addresses.vault]);
    expect(await block()).to.equal(before, "nothing sent");
  });

  it("revenue shows every payment token with its symbol: claimable, unlocking, the treasury's and royalties", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const receiver = await (await vault()).royaltyReceiverOf(1n);
    const signers = await ethers.getSigners();
    await (await signers[9].sendTransaction({ to: receiver, value: E18 / 5n })).wait();
    await (await usdc.mint(receiver, 40n * E6)).wait();
    await (await stray.mint(receiver, 5n * E18)).wait();
    const r = s.ok(await s.run("revenue", { modelId: "1", account: a[1] }));
    expect(r.royaltyReceiver).to.equal(receiver);
    expect(r.tokens.map((t: { symbol: string }) => t.symbol)).to.deep.equal(["ETH", "USDC"]);
    const [eth, dollars] = r.tokens;
    expect(eth.formatted).to.deep.include({ treasury: "0.3 ETH", deposited: "1 ETH", royalties: "0.2 ETH" });
    expect(dollars).to.deep.include({ treasury: "300000000", deposited: "1000000000", royalties: "40000000" });
    expect(dollars.formatted).to.deep.include({ treasury: "300 USDC", royalties: "40 USDC", releasable: "0 USDC" });
    expect(BigInt(dollars.unlocking.locked))
      .to.be.greaterThan(0n)
      .and.at.most(500n * E6);
    expect(dollars.unlocking.window).to.equal(String(7 * 86400));
    const contributor = s.ok(await s.run("revenue", { modelId: "1", account: a[4] }));
    expect(contributor.tokens.map((t: { releasable: string }) => t.releasable)).to.deep.equal([
      "150000000000000000", // 20% of 1 ETH x 3/4
      "150000000", // 20% of 1000 USDC x 3/4
    ]);
    const one = s.ok(await s.run("revenue", { modelId: "1", account: a[1], token: usdcAddress }));
    expect(one.tokens).to.have.length(1);
    const text = await runTask(hre, "revenue", { deployment: s.deployment, modelId: "1", account: a[1] });
    expect(text.stdout).to.match(/^revenue of model #1 for 0x[0-9a-fA-F]{40}:\nETH: may claim [\d.]+ ETH \(holder\)/);
    expect(text.stdout).to.include(
      "treasury owed 300 USDC (ws release-treasury); royalty receiver holds 40 USDC (ws collect-royalties); deposited 1000 USDC in all",
    );
    // What is still unlocking: this account's estimate, or that it holds no fractions; the time after, no "( )( )".
    const time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(\\d+\\)";
    expect(r.fractions).to.equal("500");
    expect(text.stdout).to.match(
      new RegExp(
        `\\n {2}[\\d.]+ USDC of holder revenue still unlocking \\(about [\\d.]+ USDC for this account at its holding ` +
          `now; window 7 days\\) until ${time}\\n`,
      ),
    );
    expect(contributor.fractions).to.equal("0");
    const none = await runTask(hre, "revenue", { deployment: s.deployment, modelId: "1", account: a[4] });
    expect(none.stdout).to.match(
      new RegExp(
        `\\n {2}[\\d.]+ USDC of holder revenue still unlocking \\(this account holds no fractions; window 7 days\\) ` +
          `until ${time}\\n`,
      ),
    );
  });

  it("model shows each holder's claimable revenue in every listed token, with ETH's kept as claimableEth", async function () {
    const v = await vault();
    const out = s.ok(await s.run("model", { modelId: "1" }));
    const holder = out.holders.find((h: { account: string }) => h.account === a[1]);
    const eth = await v.claimable(1n, ZeroAddress, a[1]);
    const dollars = await v.claimable(1n, usdcAddress, a[1]);
    expect(dollars).to.be.greaterThan(0n);
    expect(holder).to.deep.include({ claimableEth: String(eth), claimableEthText: formatAmount(eth, ETH) });
    expect(holder.claimable).to.deep.equal([
      { token: ZeroAddress, symbol: "ETH", decimals: 18, amount: String(eth), formatted: formatAmount(eth, ETH) },
      {
        token: usdcAddress,
        symbol: "USDC",
        decimals: 6,
        amount: String(dollars),
        formatted: formatAmount(dollars, USDC),
      },
    ]);
    const text = await runTask(hre, "model", { deployment: s.deployment, modelId: "1" });
    expect(text.stdout).to.include(`${formatAmount(eth, ETH)}, ${formatAmount(dollars, USDC)}`);
  });

  it("claim pays every token with something in one claimMany, then says what still unlocks and sends nothing", async function () {
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.time.increase(86400);
    const before = await block();
    const claimed = s.ok(await s.run("claim", { modelId: "1", signer: "1" }));
    expect(await block()).to.equal(before + 1, "one claimMany transaction");
    expect(claimed.payments.map((p: { symbol: string }) => p.symbol)).to.deep.equal(["ETH", "USDC"]);
    expect(claimed).to.not.have.property("amount");
    expect(BigInt(claimed.payments[1].amount)).to.be.greaterThan(0n);
    const v = await vault();
    const parts = [];
    for (const token of [ETH, USDC]) {
      const [locked, end] = await v.unlocking(1n, token.address);
      parts.push(
        `about ${formatAmount((locked * 500n) / 1000n, token)} of its holder revenue of model #1 still unlocking until ${timeText(end)}`,
      );
    }
    const again = await s.run("claim", { modelId: "1", signer: "1" });
    expect([again.exitCode, again.stdout, again.stderr]).to.deep.equal([
      1,
      "",
      `error: --model-id: nothing unlocked yet for ${a[1]}: ${parts.join("; ")}`,
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(before + 1, "nothing sent");
  });

  it("claim --token --to pays one token to another address (claimTo)", async function () {
    const held = await usdc.balanceOf(a[8]);
    const r = s.ok(await s.run("claim", { modelId: "1", token: usdcAddress, to: a[8], signer: "2" }));
    expect(r).to.deep.include({ account: a[2], to: a[8], as: "holder", modelId: "1" });
    expect(r.payments).to.have.length(1);
    expect(r.formatted).to.match(/ USDC$/);
    expect(await usdc.balanceOf(a[8])).to.equal(held + BigInt(r.amount));
  });

  it("claim --release releases each token of a contributor; with --to, releaseTo", async function () {
    const before = await block();
    const r = s.ok(await s.run("claim", { modelId: "1", release: true, signer: "4" }));
    expect(r.payments.map((p: { formatted: string }) => p.formatted)).to.deep.equal(["0.15 ETH", "150 USDC"]);
    expect(await block()).to.equal(before + 2, "one release per token");
    const held = await usdc.balanceOf(a[8]);
    const to = s.ok(await s.run("claim", { modelId: "1", release: true, token: usdcAddress, to: a[8], signer: "5" }));
    expect(to).to.deep.include({ amount: "50000000", formatted: "50 USDC", as: "contributor", to: a[8] });
    expect(await usdc.balanceOf(a[8])).to.equal(held + 50n * E6);
  });

  it("claim --model-ids claims every token of several models in one claimMany", async function () {
    const { networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.time.increase(7 * 86400);
    const before = await block();
    const r = s.ok(await s.run("claim", { modelIds: "1,2", signer: "3" }));
    expect(await block()).to.equal(before + 1);
    expect(r).to.not.have.property("modelId");
    expect(r.payments.map((p: { modelId: string; symbol: string }) => `${p.modelId} ${p.symbol}`)).to.deep.equal([
      "1 ETH",
      "1 USDC",
      "2 ETH",
      "2 USDC",
    ]);
    // Model #2: holders take 50% of 2 ETH and 500.5 USDC; account 2 holds 300 of 1000 fractions.
    const text = await runTask(hre, "claim", { deployment: s.deployment, modelId: "2", signer: "2" });
    expect([text.exitCode, text.stdout]).to.deep.equal([
      0,
      `paid 0.3 ETH of model #2 to ${a[2]} as holder\npaid 75.075 USDC of model #2 to ${a[2]} as holder`,
    ]);
    const done = await s.run("claim", { modelIds: "1,2", signer: "3" });
    expect([done.exitCode, done.stderr]).to.deep.equal([
      1,
      `error: --signer: ${a[3]} has nothing to claim as a holder of models #1, #2`,
    ]);
  });

  it("release-treasury pays the treasury's cut into the timelock in every token, then has nothing to release", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const registry = await ethers.getContractAt("ModelRegistry", s.addresses.registry);
    const timelock = (await registry.model(1n)).timelock;
    const [eth, dollars] = [await ethers.provider.getBalance(timelock), await usdc.balanceOf(timelock)];
    const before = await block();
    const batch = await s.run("release-treasury", { modelId: "1", safe: usdcAddress }); // any contract may release
    expect([batch.exitCode, batch.stderr]).to.deep.equal([0, ""]);
    const { meta, transactions } = JSON.parse(batch.stdout);
    expect(meta.description).to.equal("releaseTreasury, releaseTreasury", "both tokens in one batch");
    expect(transactions.map((t: { to: string }) => t.to)).to.deep.equal([s.addresses.vault, s.addresses.vault]);
    expect(await block()).to.equal(before, "nothing sent with --safe");
    const r = s.ok(await s.run("release-treasury", { modelId: "1" }));
    expect(r.treasury).to.equal(timelock);
    expect(r.payments.map((p: { formatted: string }) => p.formatted)).to.deep.equal(["0.3 ETH", "300 USDC"]);
    expect(await block()).to.equal(before + 2);
    expect(await ethers.provider.getBalance(timelock)).to.equal(eth + (3n * E18) / 10n);
    expect(await usdc.balanceOf(timelock)).to.equal(dollars + 300n * E6);
    for (const [args, message] of [
      [{ modelId: "1" }, "error: --model-id: the treasury of model #1 is owed nothing in ETH, USDC"],
      [{ modelId: "1", token: usdcAddress }, "error: --token: the treasury of model #1 is owed nothing in USDC"],
    ] as const) {
      const nothing = await s.run("release-treasury", args);
      expect([nothing.exitCode, nothing.stdout, nothing.stderr]).to.deep.equal([1, "", message]);
    }
    expect(await block()).to.equal(before + 2, "nothing sent");
    const timelock2 = (await registry.model(2n)).timelock;
    const text = await runTask(hre, "release-treasury", { deployment: s.deployment, modelId: "2", token: "ETH" });
    expect(text.stdout).to.equal(`released 1 ETH to the treasury of model #2 (${timelock2})`);
  });

  it("collect-royalties sweeps what the receiver holds of each accepted token into the vault, then has nothing", async function () {
    const v = await vault();
    const receiver = await v.royaltyReceiverOf(1n);
    const before = await block();
    const r = s.ok(await s.run("collect-royalties", { modelId: "1" }));
    expect(r.collected.map((c: { formatted: string }) => c.formatted)).to.deep.equal(["0.2 ETH", "40 USDC"]);
    expect(await block()).to.equal(before + 2);
    expect(await v.totalDeposited(1n, ZeroAddress)).to.equal((12n * E18) / 10n);
    expect(await v.totalDeposited(1n, usdcAddress)).to.equal(1040n * E6);
    expect(await stray.balanceOf(receiver)).to.equal(5n * E18, "a token the model does not accept stays");
    const nothing = await s.run("collect-royalties", { modelId: "1" });
    expect([nothing.exitCode, nothing.stderr]).to.deep.equal([
      1,
      `error: --model-id: the royalty receiver of model #1 (${receiver}) holds nothing to collect in ETH, USDC`,
    ]);
    expect(await block()).to.equal(before + 2, "nothing sent");
    const owed = s.ok(await s.run("revenue", { modelId: "1", token: "ETH" })).tokens[0];
    expect(owed.formatted.treasury).to.equal("0.06 ETH"); // 30% of the 0.2 ETH collected
  });
});
