/**
 * Bad inputs of the revenue tasks (`deposit`, `claim`, `release-treasury`, `collect-royalties`, `revenue`) in ETH
 * and a 6-decimal ERC-20: unknown tokens, nothing to claim or release, amounts with too many decimals, bad
 * checksums. Each is one line naming the argument, exit code 1, and nothing mined.
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { combine, setContributors, setPaymentToken, setRevenueSplit } from "../../governance/index.js";

import { badChecksum, moneySetup, type MoneySetup } from "./money-setup.js";

describe("tasks: revenue refusals (deposit, claim, release-treasury, collect-royalties, revenue)", function () {
  let s: MoneySetup;
  let a: string[];
  let usdcAddress: string;
  let strayAddress: string;
  let receiver: string;
  const block = async () => (await hre.network.getOrCreate()).ethers.provider.getBlockNumber();

  before(async function () {
    s = await moneySetup(hre);
    a = s.accounts;
    const token = (args: Record<string, string>) => s.run("test-token", args).then((r) => s.ok(r).address);
    usdcAddress = await token({ name: "Test USD", symbol: "USDC", decimals: "6", mint: "9:10000" });
    strayAddress = await token({ name: "Stray", symbol: "STRAY", decimals: "18" });
    await s.register("Vision-7B");
    await s.register("Audio-3B");
    await s.configure(1n, usdcAddress, 2000n, 5000n);
    const { ethers } = await hre.network.getOrCreate();
    receiver = await (await ethers.getContractAt("RevenueVault", s.addresses.vault)).royaltyReceiverOf(1n);
  });

  const cases: [string, string, () => Record<string, unknown>, () => string][] = [
    [
      "deposit",
      "a token the model does not accept",
      () => ({ modelId: "1", amount: "1", token: strayAddress, signer: "9" }),
      () =>
        `--token: model #1 does not accept STRAY (${strayAddress}) as revenue; it accepts ETH, USDC (a token is allowed by vote: ws propose --action allow-token)`,
    ],
    [
      "deposit",
      "too many decimals for the token",
      () => ({ modelId: "1", amount: "1.0000001", token: usdcAddress, signer: "9" }),
      () => '--amount: expected an amount of USDC with at most 6 decimals, such as 12.5, got "1.0000001"',
    ],
    [
      "deposit",
      "a bad checksum",
      () => ({ modelId: "1", amount: "1", token: badChecksum(usdcAddress) }),
      () =>
        `--token: bad checksum in "${badChecksum(usdcAddress)}" (a typo? the checksummed form of these characters is ${usdcAddress})`,
    ],
    [
      "deposit",
      "an address with no code",
      () => ({ modelId: "1", amount: "1", token: a[7] }),
      () => `--token: ${a[7]} has no code on this chain; expected an ERC-20 token`,
    ],
    [
      "deposit",
      "more than the signer holds",
      () => ({ modelId: "1", amount: "5", token: usdcAddress, signer: "6" }),
      () => `--amount: ${a[6]} holds 0 USDC; this needs 5 USDC`,
    ],
    ["deposit", "nothing", () => ({ modelId: "1", amount: "0" }), () => "--amount: expected more than 0"],
    [
      "claim",
      "an unknown token",
      () => ({ modelId: "1", token: strayAddress, signer: "1" }),
      () => `--token: model #1 has no revenue in STRAY (${strayAddress}); its payment tokens: ETH, USDC`,
    ],
    [
      "claim",
      "nothing to claim",
      () => ({ modelId: "1", signer: "0" }),
      () => `--signer: ${a[0]} has nothing to claim as a holder of model #1`,
    ],
    [
      "claim",
      "nothing to release",
      () => ({ modelId: "1", release: true, signer: "0" }),
      () => `--signer: ${a[0]} has nothing to release as a contributor of model #1`,
    ],
    [
      "claim",
      "nothing to release in one token",
      () => ({ modelId: "1", release: true, token: usdcAddress, signer: "0" }),
      () => `--signer: ${a[0]} has nothing to release as a contributor of model #1 in USDC`,
    ],
    ["claim", "a model twice", () => ({ modelIds: "1,1" }), () => "--model-ids: model #1 is listed twice"],
    [
      "claim",
      "a model that does not exist",
      () => ({ modelIds: "1,9" }),
      () => "--model-ids: expected existing model ids (1..2), got 9",
    ],
    [
      "claim",
      "--model-id and --model-ids",
      () => ({ modelIds: "1,2", modelId: "1" }),
      () => "--model-ids: expected either --model-id N or --model-ids N,M,..., not both",
    ],
    [
      "claim",
      "--model-ids with --release",
      () => ({ modelIds: "1,2", release: true }),
      () =>
        "--release: contributor revenue is released one model at a time (--model-id N --release); --model-ids claims holder revenue",
    ],
    [
      "claim",
      "--model-ids with --to",
      () => ({ modelIds: "1,2", to: a[8] }),
      () =>
        "--to: --model-ids claims to the signer in one claimMany transaction; claim one model with --model-id N --to ADDRESS",
    ],
    [
      "claim",
      "--to with a bad checksum",
      () => ({ modelId: "1", to: badChecksum(a[8]) }),
      () =>
        `--to: bad checksum in "${badChecksum(a[8])}" (a typo? the checksummed form of these characters is ${a[8]})`,
    ],
    [
      "release-treasury",
      "an unknown token",
      () => ({ modelId: "1", token: strayAddress }),
      () => `--token: model #1 has no revenue in STRAY (${strayAddress}); its payment tokens: ETH, USDC`,
    ],
    [
      "collect-royalties",
      "a token the model does not accept",
      () => ({ modelId: "1", token: strayAddress }),
      () =>
        `--token: model #1 does not accept STRAY (${strayAddress}) as revenue (it accepts ETH, USDC); a token it does not accept is recovered by vote: ws propose --action recover-token`,
    ],
    [
      "deposit",
      "a model that accepts no token yet",
      () => ({ modelId: "2", amount: "1" }),
      () =>
        "--token: model #2 does not accept ETH as revenue; it accepts nothing yet (a token is allowed by vote: ws propose --action allow-token)",
    ],
    [
      "release-treasury",
      "nothing owed",
      () => ({ modelId: "1" }),
      () => "--model-id: the treasury of model #1 is owed nothing in ETH, USDC",
    ],
    [
      "release-treasury",
      "a model that accepts no token yet",
      () => ({ modelId: "2" }),
      () => "--model-id: the treasury of model #2 is owed nothing (the model accepts no payment token yet)",
    ],
    [
      "collect-royalties",
      "nothing to collect",
      () => ({ modelId: "1", token: usdcAddress }),
      () => `--token: the royalty receiver of model #1 (${receiver}) holds nothing to collect in USDC`,
    ],
    [
      "revenue",
      "a short address",
      () => ({ modelId: "1", token: "0x1234" }),
      () => '--token: expected a 0x-prefixed 20-byte address, got "0x1234"',
    ],
  ];
  for (const [task, label, args, message] of cases) {
    it(`${task}: ${label}`, async function () {
      const before = await block();
      const r = await s.run(task, args());
      expect([r.exitCode, r.stdout, r.stderr]).to.deep.equal([1, "", `error: ${message()}`]);
      expect(await block()).to.equal(before, "nothing mined");
    });
  }

  it("claim --release --to: a refusal of the second token's release leaves the first unmined", async function () {
    // Model #2 accepts USDC first, then ETH; the recipient refuses ETH, so only the second release would fail.
    const { ethers } = await hre.network.getOrCreate();
    const vault = await ethers.getContractAt("RevenueVault", s.addresses.vault);
    const description = "USDC before ETH";
    await s.pass(
      2n,
      combine(description, [
        await setPaymentToken({ vault, modelId: 2n, token: usdcAddress, allowed: true, description }),
        await setPaymentToken({ vault, modelId: 2n, token: ZeroAddress, allowed: true, description }),
        await setRevenueSplit({ vault, modelId: 2n, contributorsBps: 2000n, holdersBps: 5000n, description }),
        await setContributors({ vault, modelId: 2n, contributors: [{ account: a[4], shares: 1n }], description }),
      ]),
    );
    s.ok(await s.run("deposit", { modelId: "2", amount: "10", token: usdcAddress, signer: "9" }));
    s.ok(await s.run("deposit", { modelId: "2", amount: "1", signer: "9" }));
    const payee = await ethers.deployContract("HostilePayee", [s.addresses.vault]);
    await (await payee.configure(1n, 2n)).wait(); // mode 1: reverts when paid ETH
    const to = await payee.getAddress();
    const usdc = await ethers.getContractAt("TestToken", usdcAddress);
    const before = await block();
    const r = await s.run("claim", { modelId: "2", release: true, to, signer: "4" });
    expect([r.exitCode, r.stdout, r.stderr]).to.deep.equal([
      1,
      "",
      "error: --model-id: refused by the contract: the contract reverted with unknown error data 0xa069878b",
    ]);
    expect(await block()).to.equal(before, "nothing mined");
    expect(await usdc.balanceOf(to)).to.equal(0n, "the USDC release was not sent either");
  });
});
