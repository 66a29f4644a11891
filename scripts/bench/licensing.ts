/**
 * Licences: purchase in ETH and in an ERC-20, renewal, and settling 1, 10 and 100 signed usage receipts (gas per
 * receipt). Receipts are spread over 10 licences, as a gateway settles a batch for many users.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { defaultGovernance, deployProtocol, receiptDomain, registerModel, signReceipt } from "../../sdk/index.js";
import { gasOf, row, type BenchRow } from "./types.js";

const ETH = "0x0000000000000000000000000000000000000000";

export async function benchLicensing(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, lab, operator, ...buyers] = await ethers.getSigners();
  const protocol = await deployProtocol(ethers, admin);
  const model = await registerModel(ethers, protocol.registry, {
    name: "L",
    symbol: "L",
    contentHash: ethers.ZeroHash,
    metadataURI: "",
    members: [{ account: lab.address, amount: 1000n }],
    governance: defaultGovernance(),
  });
  const timelock = await model.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  const licenses = protocol.licenses.connect(await ethers.getSigner(timelock));
  const usd = await ethers.deployContract("TestToken", ["USD", "USD", 6]);
  const offer = {
    price: 10n ** 16n,
    paymentToken: ETH,
    duration: 30n * 86400n,
    credits: 1_000_000n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://terms",
    termsHash: ethers.id("terms"),
  };
  await licenses.addOffer(model.modelId, offer);
  await licenses.addOffer(model.modelId, { ...offer, paymentToken: await usd.getAddress(), price: 25_000_000n });
  await licenses.setOperator(model.modelId, operator.address);
  await networkHelpers.stopImpersonatingAccount(timelock);

  const tick = () => networkHelpers.time.increase(12);
  const buyer = buyers[0];
  // Warm the model's pending-revenue slots with a first sale in each currency, as on a live market.
  await protocol.licenses
    .connect(buyers[1])
    .purchase(model.modelId, 1n, buyers[1].address, offer.price, { value: offer.price });
  await usd.mint(buyer.address, 10n ** 12n);
  await usd.connect(buyer).approve(await protocol.licenses.getAddress(), 10n ** 12n);
  await usd.mint(buyers[1].address, 10n ** 12n);
  await usd.connect(buyers[1]).approve(await protocol.licenses.getAddress(), 10n ** 12n);
  await protocol.licenses.connect(buyers[1]).purchase(model.modelId, 2n, buyers[1].address, 25_000_000n);
  await tick();
  const purchaseEth = await gasOf(
    protocol.licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, offer.price, { value: offer.price }),
  );
  await tick();
  const purchaseErc20 = await gasOf(
    protocol.licenses.connect(buyer).purchase(model.modelId, 2n, buyer.address, 25_000_000n),
  );
  await tick();
  const renew = await gasOf(protocol.licenses.connect(buyer).renew(3n, offer.price, { value: offer.price }));

  // Ten licences, one per buyer, then batches of 1, 10 and 100 receipts spread across them.
  const holders = buyers.slice(2, 12);
  for (const h of holders) {
    await protocol.licenses.connect(h).purchase(model.modelId, 1n, h.address, offer.price, { value: offer.price });
  }
  const firstId = 5n; // licences 1..4 were bought above; these are 5..14
  const domain = await receiptDomain(protocol.licenses);
  const nonces = new Map<bigint, bigint>();
  async function batch(size: number) {
    const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
    const receipts = [];
    for (let i = 0; i < size; ++i) {
      const licenceId = firstId + BigInt(i % holders.length);
      const nonce = nonces.get(licenceId) ?? 0n;
      nonces.set(licenceId, nonce + 1n);
      receipts.push(await signReceipt(holders[i % holders.length], domain, { licenceId, amount: 3n, nonce, deadline }));
    }
    await tick();
    return gasOf(protocol.licenses.connect(operator).settleUsage(receipts));
  }
  const one = await batch(1);
  const ten = await batch(10);
  const hundred = await batch(100);

  return [
    row("LicenseManager.purchase (ETH, mints the licence NFT)", purchaseEth, {
      name: "goal: under 150,000 gas",
      gas: 150_000n,
      goal: 1.0,
    }),
    row("LicenseManager.purchase (ERC-20)", purchaseErc20),
    row("LicenseManager.renew (ETH)", renew),
    row("LicenseManager.settleUsage (1 receipt), per receipt", one),
    row("LicenseManager.settleUsage (10 receipts over 10 licences), per receipt", ten / 10n),
    row("LicenseManager.settleUsage (100 receipts over 10 licences), per receipt", hundred / 100n, {
      name: "goal: under 15,000 gas per receipt",
      gas: 15_000n,
      goal: 1.0,
    }),
  ];
}
