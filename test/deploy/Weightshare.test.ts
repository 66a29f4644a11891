/**
 * The Ignition module deploys the protocol as a user would: every proxy initialised and wired (ModelLineage to the
 * vault and the licences too), and protocol admin handed to the admin timelock, with nothing left to the deployer;
 * Raises and FractionSales built for its proxies; the two EAS resolvers on the chain's EAS (deployed by the local
 * module, taken from the parameters on real networks) with their schemas registered.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { expect } from "chai";
import { getAddress, solidityPackedKeccak256, type Interface } from "ethers";
import hre from "hardhat";

import WeightshareModule from "../../deploy/modules/Weightshare.js";
import WeightshareLocalModule from "../../deploy/modules/WeightshareLocal.js";
import { defaultGovernance, registerModel } from "../../sdk/index.js";

const REVIEW_SCHEMA = "uint256 modelId,uint256 licenceId,uint8 rating,string text,string reviewURI";
const PROVENANCE_SCHEMA = "uint256 modelId,bytes32 manifestHash,string kind,string uri";

describe("deploy/Weightshare (Ignition)", function () {
  it("deploys, wires and hands protocol admin to the admin timelock", async function () {
    const { ethers, ignition } = await hre.network.create();
    const [deployer, multisig, lab] = await ethers.getSigners();
    const deployed = await ignition.deploy(WeightshareLocalModule, {
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
    const lineage = await ethers.getContractAt("ModelLineage", await deployed.lineage.getAddress());
    for (const proxy of [shares, registry, vault, licenses, meter, lineage]) {
      expect(await proxy.hasRole(ethers.ZeroHash, timelock)).to.equal(true);
      expect(await proxy.hasRole(ethers.ZeroHash, deployer.address)).to.equal(false);
    }
    expect(await shares.hasRole(await shares.MODEL_CREATOR_ROLE(), await registry.getAddress())).to.equal(true);
    expect(await shares.revenueHook()).to.equal(await vault.getAddress());
    expect(await vault.SHARES()).to.equal(await shares.getAddress(), "the vault implementation knows ModelShares");
    expect(await licenses.usageMeter()).to.equal(await meter.getAddress(), "the meter alone spends credits");
    expect(await meter.licenses()).to.equal(await licenses.getAddress());
    // Derivatives: the lineage alone names a derivative's parents to the vault, and its price floor to the licences.
    const lineageRole = await vault.LINEAGE_ROLE();
    expect(await vault.hasRole(lineageRole, await lineage.getAddress())).to.equal(true, "the lineage names parents");
    expect(await vault.hasRole(lineageRole, deployer.address)).to.equal(false);
    expect(await licenses.lineage()).to.equal(await lineage.getAddress(), "derivatives' offers meet its floors");
    expect([...(await lineage.contracts())]).to.deep.equal([
      await registry.getAddress(),
      await licenses.getAddress(),
      await vault.getAddress(),
    ]);
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
    // EAS, deployed by the local module, and both resolvers with their schemas registered (revocable).
    const eas = await deployed.eas.getAddress();
    const schemaRegistry = await ethers.getContractAt(
      "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol:SchemaRegistry",
      await deployed.schemaRegistry.getAddress(),
    );
    const easContract = await ethers.getContractAt(
      "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS",
      eas,
    );
    expect(await easContract.getSchemaRegistry()).to.equal(await schemaRegistry.getAddress());
    const reviews = await ethers.getContractAt("LicenseeReviewResolver", await deployed.reviewResolver.getAddress());
    const provenance = await ethers.getContractAt("ProvenanceResolver", await deployed.provenanceResolver.getAddress());
    expect(await reviews.licences()).to.equal(await licenses.getAddress());
    expect(await provenance.shares()).to.equal(await shares.getAddress());
    for (const [resolver, schema] of [
      [reviews, REVIEW_SCHEMA],
      [provenance, PROVENANCE_SCHEMA],
    ] as const) {
      const address = await resolver.getAddress();
      const uid = solidityPackedKeccak256(["string", "address", "bool"], [schema, address, true]);
      expect(await resolver.schemaUID()).to.equal(uid);
      const record = await schemaRegistry.getSchema(uid);
      expect([record.uid, record.schema, record.resolver, record.revocable]).to.deep.equal([
        uid,
        schema,
        address,
        true,
      ]);
      for (const admin of ["hasRole", "owner", "upgradeToAndCall"]) {
        expect((resolver.interface as Interface).getFunction(admin), `no ${admin}`).to.equal(null);
      }
    }
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

  it("on a real network, builds on the EAS its parameters name (and that EAS's registry), deploying no EAS of its own", async function () {
    const { ethers, ignition } = await hre.network.create();
    const [, multisig] = await ethers.getSigners();
    // Stands for a network's official EAS: deployed before, outside the module.
    const registry = await ethers.deployContract(
      "@ethereum-attestation-service/eas-contracts/contracts/SchemaRegistry.sol:SchemaRegistry",
    );
    const eas = await ethers.deployContract("@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS", [
      await registry.getAddress(),
    ]);
    const deployed = await ignition.deploy(WeightshareModule, {
      parameters: {
        Weightshare: {
          adminDelay: 3600,
          adminProposers: [multisig.address],
          adminExecutors: [multisig.address],
          eas: await eas.getAddress(),
        },
      },
    });
    expect(await deployed.eas.getAddress()).to.equal(await eas.getAddress());
    expect(await deployed.schemaRegistry.getAddress()).to.equal(await registry.getAddress(), "read from EAS");
    const reviews = await ethers.getContractAt("LicenseeReviewResolver", await deployed.reviewResolver.getAddress());
    expect((await registry.getSchema(await reviews.schemaUID())).resolver).to.equal(await reviews.getAddress());
  });

  it("refuses to deploy on a real network without the EAS address, before sending anything", async function () {
    const { ethers, ignition } = await hre.network.create();
    const [deployer, multisig] = await ethers.getSigners();
    const nonce = await ethers.provider.getTransactionCount(deployer.address);
    const refusal = await ignition
      .deploy(WeightshareModule, {
        parameters: {
          Weightshare: { adminDelay: 3600, adminProposers: [multisig.address], adminExecutors: [multisig.address] },
        },
      })
      .then(
        () => "deployed",
        (error: Error) => error.message,
      );
    expect(refusal).to.match(/Module parameter 'eas' requires a value/);
    expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce, "nothing sent");
  });

  it("names in each real network's parameters the EAS that EAS itself published for that network", function () {
    // The source: the deployment records shipped in the pinned @ethereum-attestation-service/eas-contracts package
    // (the same addresses its npm README lists per network).
    const packageRoot = path.dirname(
      createRequire(import.meta.url).resolve("@ethereum-attestation-service/eas-contracts/package.json"),
    );
    const networks = {
      mainnet: "mainnet",
      sepolia: "sepolia",
      base: "base",
      optimism: "optimism",
      arbitrum: "arbitrum-one",
    };
    for (const [network, easDirectory] of Object.entries(networks)) {
      const file = path.join(import.meta.dirname, "../../deploy/parameters", `${network}.json`);
      const parameters = JSON.parse(readFileSync(file, "utf8")) as { Weightshare: { eas?: string } };
      const published = JSON.parse(
        readFileSync(path.join(packageRoot, "deployments", easDirectory, "EAS.json"), "utf8"),
      ) as { address: string };
      expect(getAddress(parameters.Weightshare.eas ?? ""), network).to.equal(getAddress(published.address));
    }
  });
});
