/**
 * The Ignition module deploys the protocol as a user would: every proxy initialised and wired, and protocol admin
 * handed to the admin timelock, with nothing left to the deployer; Raises and FractionSales built for its proxies.
 */
import { expect } from "chai";
import type { Interface } from "ethers";
import hre from "hardhat";

import WeightshareModule from "../../deploy/modules/Weightshare.js";
import { defaultGovernance, registerModel } from "../../sdk/index.js";

describe("deploy/Weightshare (Ignition)", function () {
  it("deploys, wires and hands protocol admin to the admin timelock", async function () {
    const { ethers, ignition } = await hre.network.create();
    const [deployer, multisig, lab] = await ethers.getSigners();
    const deployed = await ignition.deploy(WeightshareModule, {
      parameters: {
        Weightshare: { adminDelay: 3600, adminProposers: [multisig.address], adminExecutors: [multisig.address] },
      },
    });
    const timelock = await deployed.adminTimelock.getAddress();
    const shares = await ethers.getContractAt("ModelShares", await deployed.shares.getAddress());
    const registry = await ethers.getContractAt("ModelRegistry", await deployed.registry.getAddress());
    const vault = await ethers.getContractAt("RevenueVault", await deployed.vault.getAddress());
    const licenses = await ethers.getContractAt("LicenseManager", await deployed.licenses.getAddress());
    const meter = await ethers.getContractAt("UsageMeter", await deployed.meter.getAddress());
    for (const proxy of [shares, registry, vault, licenses, meter]) {
      expect(await proxy.hasRole(ethers.ZeroHash, timelock)).to.equal(true);
      expect(await proxy.hasRole(ethers.ZeroHash, deployer.address)).to.equal(false);
    }
    expect(await shares.hasRole(await shares.MODEL_CREATOR_ROLE(), await registry.getAddress())).to.equal(true);
    expect(await shares.revenueHook()).to.equal(await vault.getAddress());
    expect(await vault.SHARES()).to.equal(await shares.getAddress(), "the vault implementation knows ModelShares");
    expect(await licenses.usageMeter()).to.equal(await meter.getAddress(), "the meter alone spends credits");
    expect(await meter.licenses()).to.equal(await licenses.getAddress());
    // Raises and fraction sales: plain contracts built for these proxies, with no admin to hand over.
    const raises = await ethers.getContractAt("Raises", await deployed.raises.getAddress());
    const sales = await ethers.getContractAt("FractionSales", await deployed.sales.getAddress());
    expect(await raises.SHARES()).to.equal(await shares.getAddress());
    expect(await raises.LICENSES()).to.equal(await licenses.getAddress());
    expect(await sales.SHARES()).to.equal(await shares.getAddress());
    for (const plain of [raises, sales]) {
      for (const admin of ["hasRole", "owner", "upgradeToAndCall"]) {
        expect((plain.interface as Interface).getFunction(admin), `no ${admin}`).to.equal(null);
      }
    }
    expect([await raises.raiseCount(), await sales.saleCount()]).to.deep.equal([0n, 0n]);
    const adminTimelock = await ethers.getContractAt("TimelockController", timelock);
    expect(await adminTimelock.hasRole(await adminTimelock.PROPOSER_ROLE(), multisig.address)).to.equal(true);
    expect(await adminTimelock.getMinDelay()).to.equal(3600n);
    // The deployed protocol works end to end.
    const model = await registerModel(ethers, registry, {
      name: "Deployed",
      symbol: "D",
      contentHash: ethers.ZeroHash,
      metadataURI: "",
      members: [{ account: lab.address, amount: 10n }],
      governance: defaultGovernance(),
    });
    expect(await shares.balanceOf(lab.address, model.modelId)).to.equal(10n);
    expect(await licenses.hasAccess(model.modelId, lab.address)).to.equal(true);
    expect(await meter.operatorOf(model.modelId)).to.equal(ethers.ZeroAddress, "operators are named by each DAO");
    // Upgrades: only through the admin timelock.
    await expect(
      shares.connect(deployer).upgradeToAndCall(await vault.getAddress(), "0x"),
    ).to.be.revertedWithCustomError(shares, "AccessControlUnauthorizedAccount");
  });
});
