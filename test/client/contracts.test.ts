/**
 * The Hardhat-free client against a live protocol (issue #12, client/contracts.ts and client/reads.ts): the
 * protocol is deployed on Hardhat's simulated chain with the sdk, then read and driven only through a plain ethers
 * provider (`BrowserProvider` over the connection's EIP-1193 provider), as the gateway does against a node.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { BrowserProvider } from "ethers";
import hre from "hardhat";

import {
  connectProtocol,
  fundingContract,
  hasAccess,
  modelContracts,
  onChainVersion,
  readDeployment,
  type Deployment,
} from "../../client/index.js";
import { offerTerms, protocolWithModel, timelockSigner } from "../helpers/fixtures.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;
const PRICE = offerTerms().price;

/** The protocol with one model, an ETH offer on sale (offer 1), and the deployment's addresses. */
async function fixture() {
  const f = await protocolWithModel(ethers);
  const timelock = await timelockSigner(connection, f.model.timelock);
  await (await f.licenses.connect(timelock).addOffer(f.model.modelId, offerTerms())).wait();
  await (await f.vault.connect(timelock).setPaymentToken(f.model.modelId, ethers.ZeroAddress, true)).wait();
  const deployment: Deployment = {
    shares: await f.shares.getAddress(),
    registry: await f.registry.getAddress(),
    vault: await f.vault.getAddress(),
    licenses: await f.licenses.getAddress(),
    meter: await f.meter.getAddress(),
    raises: await f.raises.getAddress(),
    sales: await f.sales.getAddress(),
  };
  return { ...f, timelock, deployment, buyer: f.signers[6] };
}

/** A plain ethers provider over the simulated chain: nothing from Hardhat's ethers plugin. */
function plainProvider(): BrowserProvider {
  return new BrowserProvider(connection.provider);
}

describe("client/contracts and client/reads over a plain ethers provider", function () {
  it("connects to every contract of a deployment read from its JSON record", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const dir = mkdtempSync(path.join(tmpdir(), "ws-client-"));
    try {
      const file = path.join(dir, "deployment.json");
      writeFileSync(file, JSON.stringify(f.deployment));
      const c = connectProtocol(readDeployment(file), plainProvider());
      expect(await c.shares.getAddress()).to.equal(f.deployment.shares);
      expect(await c.registry.shares()).to.equal(f.deployment.shares);
      expect(await c.licenses.usageMeter()).to.equal(f.deployment.meter);
      expect(await c.vault.SHARES()).to.equal(f.deployment.shares);
      expect((await c.meter.eip712Domain()).verifyingContract).to.equal(f.deployment.meter);
      expect(await fundingContract(c, "raises").raiseCount()).to.equal(0n);
      expect(await fundingContract(c, "sales").saleCount()).to.equal(0n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves out raises and sales for a deployment from before them, and says so when they are asked for", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const { raises, sales, ...before } = f.deployment;
    void [raises, sales];
    const c = connectProtocol(before, plainProvider());
    expect([c.raises, c.sales]).to.deep.equal([undefined, undefined]);
    expect(await c.registry.shares()).to.equal(f.deployment.shares);
    expect(() => fundingContract(c, "raises")).to.throw(
      'the deployment has no Raises contract ("raises"): it predates raises and fraction sales; deploy them (Ignition module Weightshare) and add "raises" to the deployment record',
    );
    expect(() => fundingContract(c, "sales")).to.throw('the deployment has no FractionSales contract ("sales")');
  });

  it("finds a model's votes, governor and timelock, and rejects an unknown model with the registry's error", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const c = connectProtocol(f.deployment, plainProvider());
    const m = await modelContracts(c.registry, f.model.modelId);
    expect(m.modelId).to.equal(f.model.modelId);
    expect(await m.votes.getAddress()).to.equal(await f.model.votes.getAddress());
    expect(await m.governor.getAddress()).to.equal(await f.model.governor.getAddress());
    expect(await m.timelock.getAddress()).to.equal(await f.model.timelock.getAddress());
    expect(await m.governor.timelock()).to.equal(await m.timelock.getAddress());
    expect(await m.governor.token()).to.equal(await m.votes.getAddress());
    const unknown = await modelContracts(c.registry, 99n).then(
      () => "resolved",
      (error: { revert?: { name: string; args: unknown[] } }) => error.revert,
    );
    expect(unknown).to.deep.include({ name: "ModelRegistryUnknownModel" });
  });

  it("hasAccess: false for an outsider, true once it buys a licence (sent through a plain ethers signer)", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const provider = plainProvider();
    const c = connectProtocol(f.deployment, provider);
    const { modelId } = f.model;
    expect(await hasAccess(c.licenses, modelId, f.buyer.address)).to.equal(false);
    expect(await hasAccess(c.licenses, modelId, f.labA.address), "a holder of fractions").to.equal(true);
    const before = await provider.getBlockNumber();

    const buyer = connectProtocol(f.deployment, await provider.getSigner(f.buyer.address));
    await (await buyer.licenses.purchase(modelId, 1n, f.buyer.address, PRICE, { value: PRICE })).wait();

    expect(await hasAccess(c.licenses, modelId, f.buyer.address)).to.equal(true);
    expect(await hasAccess(c.licenses, modelId, f.buyer.address, before), "at the block before the purchase").to.equal(
      false,
    );
    expect(await hasAccess(c.licenses, modelId, f.outsider.address)).to.equal(false);
  });

  it("onChainVersion: the model's URI and content hash, now and at an earlier block", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const provider = plainProvider();
    const c = connectProtocol(f.deployment, provider);
    const { modelId } = f.model;
    const v1 = { uri: "ipfs://vision-7b", contentHash: ethers.id("vision-7b weights v1") };
    expect(await onChainVersion(c.shares, c.registry, modelId)).to.deep.equal(v1);
    const before = await provider.getBlockNumber();

    const v2 = { uri: "ipfs://vision-7b-v2", contentHash: ethers.id("vision-7b weights v2") };
    await (await f.shares.connect(f.timelock).setURI(modelId, v2.uri)).wait();
    await (await f.registry.connect(f.timelock).setContentHash(modelId, v2.contentHash)).wait();

    expect(await onChainVersion(c.shares, c.registry, modelId)).to.deep.equal(v2);
    expect(await onChainVersion(c.shares, c.registry, modelId, before)).to.deep.equal(v1);
    const unknown = await onChainVersion(c.shares, c.registry, 99n).then(
      () => "resolved",
      (error: { revert?: { name: string } }) => error.revert?.name,
    );
    expect(unknown).to.equal("ModelRegistryUnknownModel");
  });
});
