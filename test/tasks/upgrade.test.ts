/**
 * `ws upgrade`: validates the storage layout before anything ships, deploys the new implementation and schedules
 * the upgrade on the admin timelock; refuses an unsafe layout with one line and changes nothing.
 */
import { expect } from "chai";
import hre from "hardhat";

import { deployForTasks, deploymentFile, runTask } from "./helpers.js";

describe("tasks: ws upgrade", function () {
  let deployment: string;
  let proxy: string;
  let addresses: Record<string, string>;
  let accounts: string[];

  before(async function () {
    const deployed = await deployForTasks(hre);
    deployment = deployed.deployment;
    addresses = deployed.addresses;
    accounts = deployed.accounts;
    proxy = deployed.addresses.shares;
  });

  /** `ws upgrade` of the ModelShares proxy to ModelSharesV2, scheduling only, unless `over` says otherwise. */
  const upgrade = (over: Record<string, unknown> = {}) =>
    runTask(hre, "upgrade", {
      proxy,
      from: "ModelShares",
      to: "ModelSharesV2",
      deployment,
      execute: false,
      constructorArgs: "",
      signer: "",
      json: false,
      ...over,
    });

  it("refuses an unsafe layout with one line naming it, and schedules nothing", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const before = await ethers.provider.getBlockNumber();
    const run = await upgrade({ to: "ModelSharesBrokenV2" });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr.split("\n")).to.have.length(1);
    expect(run.stderr).to.match(
      /^error: --to: ModelSharesBrokenV2 is not a safe upgrade of ModelShares: .*Inserted `insertedField`/,
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(before, "no transaction sent");
  });

  it("rejects bad arguments before sending anything", async function () {
    const bad = await upgrade({ proxy: "0x1234" });
    expect(bad.stderr).to.equal('error: --proxy: expected a 0x-prefixed 20-byte address, got "0x1234"');
    const unknown = await upgrade({ to: "NoSuchContract" });
    expect(unknown.stderr).to.equal('error: --to: expected the name of a compiled contract, got "NoSuchContract"');
    const early = await upgrade({ execute: true });
    expect(early.stderr).to.match(/^error: --proxy: no upgrade of .* to ModelSharesV2 is scheduled$/);
    const args = await upgrade({
      proxy: addresses.vault,
      from: "RevenueVault",
      to: "RevenueVault",
      constructorArgs: "[]",
    });
    expect(args.stderr).to.equal(
      "error: --constructor-args: expected a JSON list of 1 for RevenueVault(address shares_), got []",
    );
    const noGetter = await upgrade({ proxy: addresses.licenses, from: "LicenseManager", to: "RevenueVault" });
    expect(noGetter.stderr).to.equal(
      "error: --constructor-args: RevenueVault(address shares_) needs them as a JSON list (the proxy has no SHARES() to keep)",
    );
    expect([bad.exitCode, unknown.exitCode, early.exitCode, args.exitCode, noGetter.exitCode]).to.deep.equal([
      1, 1, 1, 1, 1,
    ]);
  });

  it("reads a deployment record from before V2 (no UsageMeter): it needs only the admin timelock", async function () {
    const beforeV2 = Object.fromEntries(Object.entries(addresses).filter(([key]) => key !== "meter"));
    const early = await upgrade({ execute: true, deployment: deploymentFile(beforeV2) });
    expect([early.exitCode, early.stderr]).to.deep.equal([
      1,
      `error: --proxy: no upgrade of ${proxy} to ModelSharesV2 is scheduled`,
    ]);
  });

  it("refuses a signer without PROPOSER_ROLE before deploying anything, naming --signer", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const before = await ethers.provider.getBlockNumber();
    const run = await upgrade({ signer: "5" });
    expect([run.exitCode, run.stderr]).to.deep.equal([
      1,
      `error: --signer: ${accounts[5]} lacks PROPOSER_ROLE on the admin timelock ${addresses.adminTimelock}, so it cannot schedule the upgrade; pass a proposer's account`,
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(before, "no implementation deployed");
    const bad = await upgrade({ signer: "LAB_Z" });
    expect(bad.stderr).to.match(
      /^error: --signer: expected an account index 0\.\.\d+ or one of its addresses, got "LAB_Z"$/,
    );
  });

  it("prints the time it can execute with its unit and the delay", async function () {
    const run = await upgrade({ proxy: addresses.licenses, from: "LicenseManager", to: "LicenseManager" });
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/executable from \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+\) \(after its 1 hour delay\)/);
  });

  it("keeps the RevenueVault's ModelShares immutable: its new implementation is built with the proxy's SHARES()", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const scheduled = await upgrade({ proxy: addresses.vault, from: "RevenueVault", to: "RevenueVault", json: true });
    expect(scheduled.exitCode, scheduled.stderr).to.equal(0);
    const { implementation } = JSON.parse(scheduled.stdout);
    expect(await (await ethers.getContractAt("RevenueVault", implementation)).SHARES()).to.equal(addresses.shares);
  });

  it("schedules a safe upgrade on the admin timelock and executes it after the delay", async function () {
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    const scheduled = await upgrade({ json: true });
    expect(scheduled.exitCode, scheduled.stderr).to.equal(0);
    const { implementation, readyAt } = JSON.parse(scheduled.stdout);
    const notYet = await upgrade({ execute: true });
    expect(notYet.stderr).to.match(
      /^error: --execute: the upgrade is scheduled but not ready until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+\)$/,
    );
    const stranger = await upgrade({ execute: true, signer: "5" });
    expect(stranger.stderr).to.equal(
      `error: --signer: ${accounts[5]} lacks EXECUTOR_ROLE on the admin timelock ${addresses.adminTimelock}; pass an executor's account`,
    );
    await networkHelpers.time.increaseTo(BigInt(readyAt));
    const done = await upgrade({ execute: true, json: true });
    expect(done.exitCode, done.stderr).to.equal(0);
    expect(JSON.parse(done.stdout).implementation).to.equal(implementation);
    expect(await (await ethers.getContractAt("ModelSharesV2", proxy)).version()).to.equal("2");
  });
});
