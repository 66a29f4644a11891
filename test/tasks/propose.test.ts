/**
 * `ws propose`: every action's checks before anything is sent (treasury balances, GovernanceBounds and the
 * threshold rule, sums, contributors, tokens that exist), amounts in the token's units, durations with their unit,
 * and a duplicate proposal refused in plain words. Each refusal is one exact line on stderr, exit 1, nothing mined.
 * Offers and content hashes are in propose-offers.test.ts.
 */
import { expect } from "chai";
import hre from "hardhat";

import { shortId } from "../../tasks/lib/errors.js";
import { proposeFixture, type ProposeFixture } from "./propose-setup.js";

describe("tasks: ws propose", function () {
  let accounts: string[];
  let addresses: Record<string, string>;
  let treasury: string;
  let usdc: string;
  let other: string;
  let run: ProposeFixture["run"];
  let ok: ProposeFixture["ok"];
  let pass: ProposeFixture["pass"];
  let refused: ProposeFixture["refused"];

  before(async function () {
    ({ accounts, addresses, treasury, usdc, other, run, ok, pass, refused } = await proposeFixture());
    await pass({ action: "allow-token", token: usdc }); // the model accepts USDC, as propose-offers.test.ts sets up
  });

  it("spends in the asset's units, and warns when the treasury holds less than it sends", async function () {
    const { ethers } = await hre.network.getOrCreate();
    await refused(
      { action: "spend-eth", to: accounts[5], amount: "1.5" },
      `--amount: the treasury ${treasury} holds 0 ETH and this proposal sends 1.5 ETH (ws release-treasury --model-id 1 pays the treasury its cut from the vault: 0 ETH now); pass --force to send it anyway`,
    );
    await refused(
      { action: "spend-erc20", token: usdc, to: accounts[5], amount: "2.5" },
      `--amount: the treasury ${treasury} holds 0 USDC and this proposal sends 2.5 USDC (ws release-treasury --model-id 1 pays the treasury its cut from the vault: 0 USDC now); pass --force to send it anyway`,
    );
    await refused(
      { action: "spend-fractions", to: accounts[5], amount: "3" },
      `--amount: the treasury ${treasury} holds 0 fractions of model #1 and this proposal sends 3; pass --force to send it anyway`,
    );
    const token = await ethers.getContractAt("TestToken", usdc);
    await (await token.mint(treasury, 5_000_000n)).wait();
    await pass({ action: "spend-erc20", token: usdc, to: accounts[5], amount: "2.5" });
    expect(await token.balanceOf(accounts[5])).to.equal(2_500_000n);
    await refused(
      { action: "spend-erc20", token: usdc, to: accounts[5], amount: "1.1234567" },
      '--amount: expected an amount of USDC with at most 6 decimals, such as 12.5, got "1.1234567"',
    );
  });

  it("change-setting: durations for time settings, GovernanceBounds and the threshold rule checked first", async function () {
    const { ethers } = await hre.network.getOrCreate();
    await pass({ action: "change-setting", setting: "votingPeriod", amount: "2d" });
    const governor = await ethers.getContractAt("ModelGovernor", ok(await run("model", { modelId: "1" })).governor);
    expect(await governor.votingPeriod()).to.equal(172_800n);
    await refused(
      { action: "change-setting", setting: "votingPeriod", amount: "30m" },
      "--amount: votingPeriod must be from 1 hour to 90 days, got 30 minutes (1800 s)",
    );
    await refused(
      { action: "change-setting", setting: "votingDelay", amount: "31d" },
      "--amount: votingDelay must be at most 30 days, got 31 days (2678400 s)",
    );
    await refused(
      { action: "change-setting", setting: "timelockDelay", amount: "0s" },
      "--amount: timelockDelay must be from 1 hour to 30 days, got 0 s",
    );
    await refused(
      { action: "change-setting", setting: "votingDelay", amount: "2" },
      '--amount: expected a duration with its unit for votingDelay, such as 2d, 12h or 3600s, got "2"',
    );
    await refused(
      { action: "change-setting", setting: "quorumNumerator", amount: "0" },
      "--amount: quorumNumerator must be from 1 to 100 (percent of the votable supply), got 0",
    );
    await refused(
      { action: "change-setting", setting: "proposalThreshold", amount: "1001" },
      "--amount: proposalThreshold must be at most the votable supply of model #1 (1000 votes), got 1001",
    );
  });

  it("refuses bad splits, contributors and payment tokens in plain words", async function () {
    await refused(
      { action: "set-split", contributorsBps: "6000", holdersBps: "4001" },
      "--holders-bps: contributors + holders must not exceed 10,000 bps, got 6000 + 4001",
    );
    await refused(
      { action: "set-contributors", contributors: `${accounts[4]}:3,${accounts[5]}:1,${accounts[4]}:2` },
      `--contributors: ${accounts[4]} appears twice (entries 1 and 3); give each contributor once`,
    );
    await refused(
      { action: "set-contributors", contributors: `${accounts[4]}:3,${accounts[5]}:0` },
      `--contributors: entry 2 (${accounts[5]}) has 0 shares; expected at least 1`,
    );
    await refused(
      { action: "set-contributors", contributors: accounts[4] },
      `--contributors: entry 1 ("${accounts[4]}") is not ADDRESS:SHARES`,
    );
    await refused(
      { action: "allow-token", token: usdc },
      `--token: model #1 already accepts USDC (${usdc}) as revenue, so this proposal would change nothing; pass --force to send it anyway`,
    );
    await refused({ action: "allow-token" }, "--token: expected the ERC-20's address");
    await refused(
      { action: "remove-token", token: accounts[9] },
      `--token: ${accounts[9]} has no code on this chain; expected an ERC-20 token`,
    );
    await refused(
      { action: "recover-token", token: accounts[9] },
      `--token: ${accounts[9]} has no code on this chain; expected an ERC-20 token`,
    );
    const receiver = await (
      await (await hre.network.getOrCreate()).ethers.getContractAt("RevenueVault", addresses.vault)
    ).royaltyReceiverOf(1n);
    await refused(
      { action: "recover-token", token: other },
      `--token: the royalty receiver of model #1 (${receiver}) holds no OTH (${other}), so the recovery would fail unless some arrives first; pass --force to send it anyway`,
    );
  });

  it("warns when a call would be refused if executed now, and refuses a duplicate proposal in plain words", async function () {
    const huge = (2n ** 208n).toString();
    await refused(
      { action: "issue-fractions", to: accounts[5], amount: huge },
      `--action: executed now, call 1 (issue-fractions: issue ${huge} fractions of model #1 to ${accounts[5]}) would be refused: model #1 would have ${2n ** 208n + 1000n} fractions; at most ${2n ** 208n - 1n} [ModelSharesSupplyOverflow(1, ${2n ** 208n + 1000n}, ${2n ** 208n - 1n})]; pass --force to send it anyway`,
    );
    const action = { action: "set-operator", to: accounts[7], description: "Operator: gateway A" };
    const first = ok(await run("propose", { modelId: "1", ...action }));
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const again = await run("propose", { modelId: "1", ...action });
    expect([again.exitCode, again.stderr]).to.deep.equal([
      1,
      `error: --description: refused by the contract: this exact proposal already exists (${shortId(first.proposalId)}, Pending); change its description to propose it again [GovernorUnexpectedProposalState(${first.proposalId}, 0, 0x${"0".repeat(64)})]`,
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing mined");
    const noVotes = await run("propose", { modelId: "1", ...action, signer: "0" });
    expect(noVotes.stderr).to.equal(`error: --signer: ${accounts[0]} has 0 votes; proposing needs 10`);
  });
});
