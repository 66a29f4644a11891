/**
 * `ws upgrade`: validates the storage layout before anything ships, deploys the new implementation and schedules
 * the upgrade on the admin timelock; refuses an unsafe layout with one line and changes nothing.
 */
import { expect } from "chai";
import hre from "hardhat";

import WeightshareModule from "../../deploy/modules/Weightshare.js";
import { deploymentFile, runTask } from "./helpers.js";

describe("tasks: ws upgrade", function () {
  let deployment: string;
  let proxy: string;

  before(async function () {
    const { ethers, ignition } = await hre.network.getOrCreate();
    const [deployer] = await ethers.getSigners();
    const d = await ignition.deploy(WeightshareModule, {
      parameters: {
        Weightshare: { adminDelay: 3600, adminProposers: [deployer.address], adminExecutors: [deployer.address] },
      },
    });
    proxy = await d.shares.getAddress();
    deployment = deploymentFile({
      shares: proxy,
      registry: await d.registry.getAddress(),
      vault: await d.vault.getAddress(),
      licenses: await d.licenses.getAddress(),
      adminTimelock: await d.adminTimelock.getAddress(),
    });
  });

  it("refuses an unsafe layout with one line naming it, and schedules nothing", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const before = await ethers.provider.getBlockNumber();
    const run = await runTask(hre, "upgrade", {
      proxy,
      from: "ModelShares",
      to: "ModelSharesBrokenV2",
      deployment,
      execute: false,
      json: false,
    });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr.split("\n")).to.have.length(1);
    expect(run.stderr).to.match(
      /^error: --to: ModelSharesBrokenV2 is not a safe upgrade of ModelShares: .*Inserted `insertedField`/,
    );
    expect(await ethers.provider.getBlockNumber()).to.equal(before, "no transaction sent");
  });

  it("rejects bad arguments before sending anything", async function () {
    const bad = await runTask(hre, "upgrade", {
      proxy: "0x1234",
      from: "ModelShares",
      to: "ModelSharesV2",
      deployment,
      execute: false,
      json: false,
    });
    expect(bad.stderr).to.equal('error: --proxy: expected a 0x-prefixed 20-byte address, got "0x1234"');
    const unknown = await runTask(hre, "upgrade", {
      proxy,
      from: "ModelShares",
      to: "NoSuchContract",
      deployment,
      execute: false,
      json: false,
    });
    expect(unknown.stderr).to.equal('error: --to: expected the name of a compiled contract, got "NoSuchContract"');
    const early = await runTask(hre, "upgrade", {
      proxy,
      from: "ModelShares",
      to: "ModelSharesV2",
      deployment,
      execute: true,
      json: false,
    });
    expect(early.stderr).to.match(/^error: --proxy: no upgrade of .* to ModelSharesV2 is scheduled$/);
    expect([bad.exitCode, unknown.exitCode, early.exitCode]).to.deep.equal([1, 1, 1]);
  });

  it("schedules a safe upgrade on the admin timelock and executes it after the delay", async function () {
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    const scheduled = await runTask(hre, "upgrade", {
      proxy,
      from: "ModelShares",
      to: "ModelSharesV2",
      deployment,
      execute: false,
      json: true,
    });
    expect(scheduled.exitCode, scheduled.stderr).to.equal(0);
    const { implementation, readyAt } = JSON.parse(scheduled.stdout);
    const notYet = await runTask(hre, "upgrade", {
      proxy,
      from: "ModelShares",
      to: "ModelSharesV2",
      deployment,
      execute: true,
      json: false,
    });
    expect(notYet.stderr).to.match(/^error: --execute: the upgrade is scheduled but not ready until \d+$/);
    await networkHelpers.time.increaseTo(BigInt(readyAt));
    const done = await runTask(hre, "upgrade", {
      proxy,
      from: "ModelShares",
      to: "ModelSharesV2",
      deployment,
      execute: true,
      json: true,
    });
    expect(done.exitCode, done.stderr).to.equal(0);
    expect(JSON.parse(done.stdout).implementation).to.equal(implementation);
    expect(await (await ethers.getContractAt("ModelSharesV2", proxy)).version()).to.equal("2");
  });
});
