/**
 * `ws test-token`: an ERC-20 deployed and minted in its own units on the local chain (no deployment record needed),
 * its bad inputs (one line naming the argument, exit 1, nothing mined), and its refusal on any other chain.
 */
import { expect } from "chai";
import hre from "hardhat";

import { TaskInputError } from "../../tasks/lib/cli.js";
import { requireLocalChain } from "../../tasks/test-token.js";
import { expectRefused, runTask } from "./helpers.js";
import { badChecksum } from "./money-setup.js";

describe("tasks: ws test-token", function () {
  let a: string[];
  const run = (args: Record<string, unknown>) => runTask(hre, "test-token", { json: true, ...args });
  const refused = (args: Record<string, unknown>, message: string) =>
    expectRefused((_, a) => run(a), "test-token", args, message);

  before(async function () {
    a = (await (await hre.network.getOrCreate()).ethers.getSigners()).map((s) => s.address);
  });

  it("deploys an ERC-20 and mints in its own units, to addresses or local account indexes", async function () {
    const r = await run({ name: "Test USD", symbol: "USDC", decimals: "6", mint: `9:10000,${a[1]}:0.5` });
    expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
    const out = JSON.parse(r.stdout);
    expect(out).to.deep.include({ name: "Test USD", symbol: "USDC", decimals: 6 });
    expect(out.minted).to.deep.equal([
      {
        account: a[9],
        token: out.address,
        symbol: "USDC",
        decimals: 6,
        amount: "10000000000",
        formatted: "10000 USDC",
      },
      { account: a[1], token: out.address, symbol: "USDC", decimals: 6, amount: "500000", formatted: "0.5 USDC" },
    ]);
    const token = await (await hre.network.getOrCreate()).ethers.getContractAt("TestToken", out.address);
    expect(await token.balanceOf(a[9])).to.equal(10_000n * 10n ** 6n);
    expect([await token.symbol(), await token.decimals()]).to.deep.equal(["USDC", 6n]);
  });

  it("prints what it deployed and minted for a human", async function () {
    const r = await run({ json: false, name: "Stray", symbol: "STRAY", decimals: "18", mint: "2:1.25" });
    expect(r.stdout).to.match(
      new RegExp(`^deployed STRAY \\("Stray", 18 decimals\\) at 0x[0-9a-fA-F]{40}\\nminted 1.25 STRAY to ${a[2]}$`),
    );
  });

  it("refuses any chain but a local one (31337)", function () {
    expect(() => requireLocalChain(11155111n))
      .to.throw(TaskInputError)
      .with.property(
        "message",
        "--network: a test token is deployed on a local chain only (31337), not on chain 11155111",
      );
    expect(() => requireLocalChain(31337n)).to.not.throw();
  });

  describe("bad inputs: one line naming the argument, exit 1, nothing mined", function () {
    const cases: [string, () => Record<string, unknown>, () => string][] = [
      ["decimals not whole", () => ({ decimals: "6.5" }), () => '--decimals: expected a whole number, got "6.5"'],
      ["too many decimals", () => ({ decimals: "40" }), () => "--decimals: expected at most 36, got 40"],
      ["no decimals", () => ({ decimals: "" }), () => "--decimals: expected the token's decimals, such as 6 or 18"],
      ["no symbol", () => ({ symbol: "" }), () => '--symbol: expected 1 to 11 letters or digits, such as USDC, got ""'],
      ["no name", () => ({ name: " " }), () => '--name: expected the token\'s name, such as "Test USD"'],
      [
        "an amount with too many decimals",
        () => ({ mint: "9:1.0000001" }),
        () => '--mint: expected an amount of USDC with at most 6 decimals, such as 12.5, got "1.0000001"',
      ],
      [
        "a bad checksum",
        () => ({ mint: `${badChecksum(a[1])}:5` }),
        () =>
          `--mint: bad checksum in "${badChecksum(a[1])}" (a typo? the checksummed form of these characters is ${a[1]})`,
      ],
      [
        "an account index out of range",
        () => ({ mint: "99:5" }),
        () => "--mint: expected an address or a local account's index (0..19), got 99",
      ],
      ["no ACCOUNT:AMOUNT", () => ({ mint: "lots" }), () => '--mint: expected ACCOUNT:AMOUNT, got "lots"'],
    ];
    for (const [label, args, message] of cases) {
      it(label, async function () {
        await refused({ name: "Test USD", symbol: "USDC", decimals: "6", ...args() }, `error: ${message()}`);
      });
    }
  });
});
