/**
 * Upgrading a deployed LicenseManager V1 (usage metering inside it, licence revenue held until `flushRevenue`) to V2
 * (metering in the UsageMeter, revenue credited at purchase). The layout only grew, so no migration is needed: the
 * storage-layout validation passes, and every licence, credit balance, nonce, offer and pending payment survives.
 * V1 is the source as it shipped (contracts/mocks/legacy/), built as it was.
 */
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { expect } from "chai";
import hre from "hardhat";

import { defaultGovernance, deployProtocol, receiptDomain, registerModel, signReceipt } from "../../../sdk/index.js";

const ETH = "0x0000000000000000000000000000000000000000";
const PRICE = 10n ** 16n;

describe("LicenseManager V1 -> V2 upgrade", function () {
  it("keeps every licence, credit balance, nonce, offer and pending payment; V2 then meters through the UsageMeter", async function () {
    const connection = await hre.network.create();
    const { ethers, networkHelpers } = connection;
    const up = await upgrades(hre, connection);
    const [admin, lab, buyer, second, operator] = await ethers.getSigners();
    const protocol = await deployProtocol(ethers, admin);
    const model = await registerModel(ethers, protocol.registry, {
      name: "Model",
      symbol: "M",
      contentHash: ethers.id("m"),
      metadataURI: "ipfs://m",
      members: [{ account: lab.address, amount: 100n }],
      governance: defaultGovernance(),
    });
    const timelockAddress = await model.timelock.getAddress();
    await networkHelpers.impersonateAccount(timelockAddress);
    await networkHelpers.setBalance(timelockAddress, ethers.parseEther("1"));
    const timelock = await ethers.getSigner(timelockAddress);
    await protocol.vault.connect(timelock).setPaymentToken(model.modelId, ETH, true);

    // V1, deployed and used as it was.
    const v1Factory = await ethers.getContractFactory("LicenseManagerV1");
    const proxy = await up.deployProxy(
      v1Factory,
      [admin.address, await protocol.shares.getAddress(), await protocol.vault.getAddress()],
      { kind: "uups" },
    );
    const v1 = await ethers.getContractAt("LicenseManagerV1", await proxy.getAddress());
    const offer = {
      price: PRICE,
      paymentToken: ETH,
      duration: 30n * 86400n,
      credits: 100n,
      cap: 0n,
      transferable: true,
      commercialUse: true,
      derivativesAllowed: false,
      onSale: true,
      termsURI: "ipfs://terms",
      termsHash: ethers.id("terms"),
    };
    await v1.connect(timelock).addOffer(model.modelId, offer);
    await v1.connect(timelock).setOperator(model.modelId, operator.address);
    await v1.connect(buyer).purchase(model.modelId, 1n, buyer.address, PRICE, { value: PRICE });
    await v1.connect(second).purchase(model.modelId, 1n, second.address, PRICE, { value: PRICE });
    const d = await v1.eip712Domain();
    const v1Receipt = {
      licenceId: 1n,
      amount: 30n,
      nonce: 0n,
      deadline: BigInt(await networkHelpers.time.latest()) + 3600n,
    };
    const signature = await buyer.signTypedData(
      { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract },
      {
        UsageReceipt: [
          { name: "licenceId", type: "uint256" },
          { name: "amount", type: "uint64" },
          { name: "nonce", type: "uint32" },
          { name: "deadline", type: "uint48" },
        ],
      },
      v1Receipt,
    );
    await v1.connect(operator).settleUsage([{ ...v1Receipt, signature }]);
    const before = [await v1.licence(1n), await v1.licence(2n)];
    expect(before[0].credits).to.equal(70n);
    expect(before[0].nonce).to.equal(1n);
    expect(await v1.pendingRevenue(model.modelId, ETH)).to.equal(2n * PRICE);

    // The upgrade, validated first (the same check `ws upgrade` runs).
    const v2Factory = await ethers.getContractFactory("LicenseManager");
    await up.validateUpgrade(v1Factory, v2Factory, { kind: "uups" });
    await up.upgradeProxy(await proxy.getAddress(), v2Factory, { kind: "uups" });
    const v2 = await ethers.getContractAt("LicenseManager", await proxy.getAddress());

    for (const [i, licence] of before.entries()) {
      const after = await v2.licence(BigInt(i + 1));
      expect([...after]).to.deep.equal([...licence], `licence ${i + 1} unchanged (every field, nonce included)`);
      expect(await v2.ownerOf(BigInt(i + 1))).to.equal([buyer.address, second.address][i]);
    }
    expect((await v2.offer(model.modelId, 1n)).sold).to.equal(2n);
    expect(await v2.hasAccess(model.modelId, buyer.address)).to.equal(true);
    // What V1 held back is still there, and flushing it now starts its unlocking like any payment.
    expect(await v2.pendingRevenue(model.modelId, ETH)).to.equal(2n * PRICE);
    await v2.flushRevenue(model.modelId, ETH);
    expect(await protocol.vault.totalDeposited(model.modelId, ETH)).to.equal(2n * PRICE);

    // V2 meters through the UsageMeter once the admin points it there.
    const meterProxy = await up.deployProxy(
      await ethers.getContractFactory("UsageMeter"),
      [admin.address, await v2.getAddress(), await protocol.shares.getAddress()],
      { kind: "uups" },
    );
    const meter = await ethers.getContractAt("UsageMeter", await meterProxy.getAddress());
    await v2.connect(admin).setUsageMeter(await meter.getAddress());
    await meter.connect(timelock).setOperator(model.modelId, operator.address);
    const receipt = await signReceipt(buyer, await receiptDomain(meter), {
      licenceId: 1n,
      cap: 20n,
      deadline: BigInt(await networkHelpers.time.latest()) + 3600n,
    });
    await meter.connect(operator).settle([receipt]);
    expect((await v2.licence(1n)).credits).to.equal(50n);
    expect((await meter.usageOf(1n)).settled).to.equal(20n);
    // A V2 purchase is credited to the vault at once.
    await v2.connect(second).purchase(model.modelId, 1n, second.address, PRICE, { value: PRICE });
    expect(await protocol.vault.totalDeposited(model.modelId, ETH)).to.equal(3n * PRICE);
    expect(await v2.pendingRevenue(model.modelId, ETH)).to.equal(0n);
  });
});
