/**
 * `ws buy` and `ws renew` with an offer priced in a 6-decimal ERC-20: prices in the token's units with its symbol,
 * an approval for exactly the price, the warning before renewing someone else's licence, and the contract's own
 * refusal (in plain words, with no approval mined) for a renewal that gives nothing or an offer off sale.
 */
import { expect } from "chai";
import { id } from "ethers";
import hre from "hardhat";

import { addOffer, combine, setOfferOnSale, type OfferTerms } from "../../governance/index.js";
import type { TestToken } from "../../types/ethers-contracts/index.js";
import { runTask } from "./helpers.js";
import { badChecksum, moneySetup, type MoneySetup } from "./money-setup.js";

const E6 = 10n ** 6n;

describe("tasks: buy and renew in an ERC-20", function () {
  let s: MoneySetup;
  let a: string[];
  let usdc: TestToken;
  let licensesAddress: string;
  const block = async () => (await hre.network.getOrCreate()).ethers.provider.getBlockNumber();
  const licenses = async () =>
    (await hre.network.getOrCreate()).ethers.getContractAt("LicenseManager", s.addresses.licenses);

  /** Nothing mined, and no approval left behind. */
  async function refused(task: string, args: Record<string, unknown>, message: string) {
    const before = await block();
    const r = await s.run(task, args);
    expect([r.exitCode, r.stdout, r.stderr]).to.deep.equal([1, "", `error: ${message}`]);
    expect(await block()).to.equal(before, "nothing mined");
    for (const account of a) expect(await usdc.allowance(account, licensesAddress)).to.equal(0n);
  }

  before(async function () {
    s = await moneySetup(hre);
    a = s.accounts;
    licensesAddress = s.addresses.licenses;
    const { ethers } = await hre.network.getOrCreate();
    const token = s.ok(
      await s.run("test-token", { name: "Test USD", symbol: "USDC", decimals: "6", mint: "6:1000,7:1000" }),
    ).address;
    usdc = await ethers.getContractAt("TestToken", token);
    const modelId = await s.register("Vision-7B");
    await s.configure(modelId, token, 0n, 5000n);
    const terms = (price: bigint, days: bigint, credits: bigint): OfferTerms => ({
      price,
      paymentToken: token,
      duration: days * 86400n,
      credits,
      cap: 0n,
      transferable: false,
      commercialUse: true,
      derivativesAllowed: false,
      onSale: true,
      termsURI: "ipfs://terms",
      termsHash: id("terms"),
      parentShareBps: 0n,
      minDerivativePrice: 0n,
    });
    const lm = await licenses();
    const description = "offers in USDC";
    await s.pass(
      modelId,
      combine(description, [
        await addOffer({ licenses: lm, modelId, terms: terms(12_500_000n, 30n, 1000n), description }),
        await addOffer({ licenses: lm, modelId, terms: terms(E6, 0n, 0n), description }), // perpetual, unmetered
      ]),
    );
  });

  it("buy pays the offer's ERC-20 in its units, approving exactly the price", async function () {
    const before = await block();
    const r = s.ok(await s.run("buy", { modelId: "1", offerId: "1", maxPrice: "12.5", signer: "6" }));
    expect(await block()).to.equal(before + 2, "approve, then purchase");
    expect(r).to.deep.include({ licenceId: "1", recipient: a[6], price: "12500000", credits: "1000", metered: true });
    expect(r.paid).to.deep.include({ symbol: "USDC", amount: "12500000", formatted: "12.5 USDC" });
    expect(r.approved).to.deep.include({ spender: licensesAddress, amount: "12500000", formatted: "12.5 USDC" });
    expect(await usdc.balanceOf(a[6])).to.equal(987_500_000n);
    expect(await usdc.allowance(a[6], licensesAddress)).to.equal(0n);
    const vault = await (await hre.network.getOrCreate()).ethers.getContractAt("RevenueVault", s.addresses.vault);
    expect(await vault.totalDeposited(1n, await usdc.getAddress())).to.equal(12_500_000n);
    const text = await runTask(hre, "buy", {
      deployment: s.deployment,
      modelId: "1",
      offerId: "1",
      maxPrice: "13",
      signer: "7",
    });
    expect(text.stdout).to.match(
      new RegExp(
        `^approved 12\\.5 USDC to the licence manager \\(exactly the price\\)\\n` +
          `bought licence #2 of model #1 for ${a[7]}, paying 12.5 USDC: 1000 credits, expires \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(\\d+\\)$`,
      ),
    );
  });

  it("renew pays the current price in the offer's token and adds what the offer gives", async function () {
    const l = await (await licenses()).licence(1n);
    const r = s.ok(await s.run("renew", { licenceId: "1", maxPrice: "12.5", signer: "6" }));
    expect(r).to.deep.include({ licenceId: "1", owner: a[6], payer: a[6], credits: "2000" });
    expect(r.paid.formatted).to.equal("12.5 USDC");
    expect(r.approved).to.deep.include({ spender: licensesAddress, formatted: "12.5 USDC" });
    expect(BigInt(r.expiry)).to.equal(l.expiry + 30n * 86400n);
  });

  it("renew warns before paying for a licence the signer does not hold; --force pays for it", async function () {
    await refused(
      "renew",
      { licenceId: "1", maxPrice: "12.5", signer: "7" },
      `--licence-id: ${a[7]} does not hold licence #1 (${a[6]} does): renewing pays for their licence; pass --force to send it anyway`,
    );
    const r = s.ok(await s.run("renew", { licenceId: "1", maxPrice: "12.5", signer: "7", force: true }));
    expect(r).to.deep.include({ owner: a[6], payer: a[7], credits: "3000" });
    expect(await usdc.balanceOf(a[7])).to.equal(1000n * E6 - 2n * 12_500_000n);
  });

  it("renew of a perpetual, unmetered licence is the contract's refusal, with no approval mined", async function () {
    s.ok(await s.run("buy", { modelId: "1", offerId: "2", maxPrice: "1", signer: "6" }));
    await refused(
      "renew",
      { licenceId: "3", maxPrice: "1", signer: "6" },
      "--licence-id: refused by the contract: renewing licence #3 would give nothing (perpetual and unmetered, or its offer gives neither time nor credits) [LicenseManagerRenewalGivesNothing(3)]",
    );
  });

  const cases: [string, string, () => Record<string, unknown>, () => string][] = [
    [
      "buy",
      "a maximum below the price",
      () => ({ modelId: "1", offerId: "1", maxPrice: "12", signer: "6" }),
      () => "--max-price: the offer costs 12.5 USDC, above your maximum 12 USDC",
    ],
    [
      "buy",
      "more decimals than the token has",
      () => ({ modelId: "1", offerId: "1", maxPrice: "12.5000001", signer: "6" }),
      () => '--max-price: expected an amount of USDC with at most 6 decimals, such as 12.5, got "12.5000001"',
    ],
    [
      "buy",
      "no maximum",
      () => ({ modelId: "1", offerId: "1", signer: "6" }),
      () => "--max-price: expected the most you will pay, in USDC (the offer costs 12.5 USDC now)",
    ],
    [
      "buy",
      "a signer without the token",
      () => ({ modelId: "1", offerId: "1", maxPrice: "12.5", signer: "8" }),
      () => `--signer: ${a[8]} holds 0 USDC; this needs 12.5 USDC`,
    ],
    [
      "buy",
      "a recipient with a bad checksum",
      () => ({ modelId: "1", offerId: "1", maxPrice: "12.5", recipient: badChecksum(a[9]) }),
      () =>
        `--recipient: bad checksum in "${badChecksum(a[9])}" (a typo? the checksummed form of these characters is ${a[9]})`,
    ],
    [
      "renew",
      "a maximum below the price",
      () => ({ licenceId: "1", maxPrice: "10", signer: "6" }),
      () => "--max-price: renewing licence #1 costs 12.5 USDC, above your maximum 10 USDC",
    ],
    [
      "renew",
      "a signer without the token",
      () => ({ licenceId: "1", maxPrice: "12.5", signer: "8", force: true }),
      () => `--signer: ${a[8]} holds 0 USDC; this needs 12.5 USDC`,
    ],
    [
      "renew",
      "an unknown licence",
      () => ({ licenceId: "99", maxPrice: "1" }),
      () => "--licence-id: expected an existing licence id, got 99",
    ],
  ];
  for (const [task, label, args, message] of cases) {
    it(`${task} refuses ${label}: one line, exit 1, nothing mined`, async function () {
      await refused(task, args(), message());
    });
  }

  it("buy in a fee-on-transfer token is the contract's refusal before the approval, with nothing mined", async function () {
    // LicenseManagerUnderpaid comes after transferFrom: only a simulation with the allowance in place sees it.
    const { ethers } = await hre.network.getOrCreate();
    const fee = await ethers.deployContract("FeeOnTransferToken", [100n]); // 1% burnt on every transfer
    const feeAddress = await fee.getAddress();
    await (await fee.mint(a[8], 100n * 10n ** 18n)).wait();
    const modelId = await s.register("Fee-1B");
    await s.configure(modelId, feeAddress, 0n, 5000n);
    const description = "an offer in FEE";
    const terms: OfferTerms = {
      price: 10n ** 18n,
      paymentToken: feeAddress,
      duration: 0n,
      credits: 0n,
      cap: 0n,
      transferable: false,
      commercialUse: true,
      derivativesAllowed: false,
      onSale: true,
      termsURI: "ipfs://terms",
      termsHash: id("terms"),
      parentShareBps: 0n,
      minDerivativePrice: 0n,
    };
    await s.pass(modelId, await addOffer({ licenses: await licenses(), modelId, terms, description }));
    await refused(
      "buy",
      { modelId: String(modelId), offerId: "1", maxPrice: "1", signer: "8" },
      `--offer-id: refused by the contract: only 990000000000000000 of the 1000000000000000000 price arrived in ${feeAddress} (smallest units): a token that takes a fee on transfer cannot pay [LicenseManagerUnderpaid(${feeAddress}, 1000000000000000000, 990000000000000000)]`,
    );
    expect(await fee.allowance(a[8], licensesAddress)).to.equal(0n, "no approval mined");
  });

  it("renew of a licence whose offer was withdrawn is the contract's refusal, with no approval mined", async function () {
    const description = "withdraw offer 1";
    await s.pass(
      1n,
      await setOfferOnSale({ licenses: await licenses(), modelId: 1n, offerId: 1n, onSale: false, description }),
    );
    await refused(
      "renew",
      { licenceId: "1", maxPrice: "12.5", signer: "6" },
      "--licence-id: refused by the contract: offer 1 of model #1 is not on sale [LicenseManagerNotOnSale(1, 1)]",
    );
  });
});
