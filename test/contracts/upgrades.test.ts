/**
 * Upgrade safety, checked on purpose: every upgradeable contract passes OpenZeppelin's storage-layout validation;
 * a V1 -> V2 upgrade keeps every balance, vote and model; a deliberately broken V2 is rejected; only the protocol
 * admin can upgrade.
 */
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { expect } from "chai";
import hre from "hardhat";

import { createModel } from "../../sdk/index.js";

/** Every UUPS contract of the protocol. Later issues append theirs; CI validates each one. */
export const UPGRADEABLE_CONTRACTS = [
  "ModelShares",
  "ModelRegistry",
  "RevenueVault",
  "LicenseManager",
  "UsageMeter",
  "ModelLineage",
] as const;

describe("upgrades", function () {
  it("validates the storage layout of every upgradeable contract", async function () {
    const connection = await hre.network.create();
    const up = await upgrades(hre, connection);
    // RevenueVault's implementation takes the ModelShares proxy as an immutable (any address validates the layout).
    const sharesAddress = connection.ethers.Wallet.createRandom().address;
    for (const name of UPGRADEABLE_CONTRACTS) {
      const factory = await connection.ethers.getContractFactory(name);
      const constructorArgs = name === "RevenueVault" ? [sharesAddress] : [];
      // The plugin reads `constructorArgs` at run time, but its validation options type leaves it out.
      await up.validateImplementation(factory, { kind: "uups", constructorArgs } as Parameters<
        typeof up.validateImplementation
      >[1]);
    }
  });

  it("accepts ModelShares -> compatible V2 and rejects a V2 that inserts a storage field", async function () {
    const connection = await hre.network.create();
    const up = await upgrades(hre, connection);
    const v1 = await connection.ethers.getContractFactory("ModelShares");
    const v2 = await connection.ethers.getContractFactory("ModelSharesV2");
    const broken = await connection.ethers.getContractFactory("ModelSharesBrokenV2");
    await up.validateUpgrade(v1, v2, { kind: "uups" });
    let error: unknown;
    try {
      await up.validateUpgrade(v1, broken, { kind: "uups" });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.include("New storage layout is incompatible");
    expect(String(error)).to.include("Inserted `insertedField`");
  });

  it("upgrades a filled ModelShares proxy to V2 and keeps balances, votes, history and models", async function () {
    const connection = await hre.network.create();
    const { ethers, networkHelpers } = connection;
    const up = await upgrades(hre, connection);
    const [admin, alice, bob, carol, treasury] = await ethers.getSigners();
    const votesImpl = await ethers.deployContract("ModelVotes");
    const proxy = await up.deployProxy(
      await ethers.getContractFactory("ModelShares"),
      [admin.address, await votesImpl.getAddress()],
      { kind: "uups" },
    );
    const shares = await ethers.getContractAt("ModelShares", await proxy.getAddress());
    await shares.grantRole(await shares.MODEL_CREATOR_ROLE(), admin.address);
    const { modelId, votes } = await createModel(ethers, shares, {
      treasury: treasury.address,
      name: "Model A Votes",
      symbol: "wsA",
      uri: "ipfs://a",
      members: [
        { account: alice.address, amount: 600n },
        { account: bob.address, amount: 400n },
      ],
    });
    await shares.connect(alice).safeTransferFrom(alice.address, carol.address, modelId, 100n, "0x");
    await votes.connect(bob).delegate(carol.address);
    await networkHelpers.time.increase(10);
    const before = await networkHelpers.time.latest();
    await networkHelpers.time.increase(10);

    const upgraded = await up.upgradeProxy(
      await shares.getAddress(),
      await ethers.getContractFactory("ModelSharesV2"),
      {
        kind: "uups",
      },
    );
    const v2 = await ethers.getContractAt("ModelSharesV2", await upgraded.getAddress());
    expect(await v2.version()).to.equal("2");
    await v2.markUpgraded();
    expect(await v2.upgradedAt()).to.be.greaterThan(0n);
    expect(await v2.balanceOf(alice.address, modelId)).to.equal(500n);
    expect(await v2.balanceOf(carol.address, modelId)).to.equal(100n);
    expect(await v2["totalSupply(uint256)"](modelId)).to.equal(1000n);
    expect(await v2.votesOf(modelId)).to.equal(await votes.getAddress());
    expect(await v2.treasuryOf(modelId)).to.equal(treasury.address);
    expect(await v2.uri(modelId)).to.equal("ipfs://a");
    expect(await votes.getVotes(carol.address)).to.equal(500n);
    expect(await votes.getPastVotes(carol.address, before)).to.equal(500n);
    // The votes hook still runs after the upgrade.
    await v2.connect(alice).safeTransferFrom(alice.address, bob.address, modelId, 50n, "0x");
    expect(await votes.getVotes(alice.address)).to.equal(450n);
    expect(await votes.getVotes(carol.address)).to.equal(550n);
  });

  it("refuses an upgrade from anyone but the protocol admin", async function () {
    const { ethers } = await hre.network.create();
    const [admin, attacker] = await ethers.getSigners();
    const votesImpl = await ethers.deployContract("ModelVotes");
    const impl = await ethers.deployContract("ModelShares");
    const proxy = await ethers.deployContract("@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy", [
      await impl.getAddress(),
      impl.interface.encodeFunctionData("initialize", [admin.address, await votesImpl.getAddress()]),
    ]);
    const shares = await ethers.getContractAt("ModelShares", await proxy.getAddress());
    const next = await ethers.deployContract("ModelSharesV2");
    await expect(shares.connect(attacker).upgradeToAndCall(await next.getAddress(), "0x"))
      .to.be.revertedWithCustomError(shares, "AccessControlUnauthorizedAccount")
      .withArgs(attacker.address, ethers.ZeroHash);
  });
});
