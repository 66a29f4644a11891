/**
 * Licences: purchase in ETH and in an ERC-20 and renewal, each crediting the revenue vault in the same
 * transaction (the model's split: contributors, holders' cut locked and unlocking, treasury), on a live market
 * (earlier sales' holder revenue still unlocking). Usage: `UsageMeter.settle` with cumulative receipts, one per
 * licence, over 1, 10 and 100 licences (gas per licence), for a licence's first settlement and in steady state
 * (each licence settled before, with a new, higher running total signed since).
 */
import { Wallet } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import { defaultGovernance, deployProtocol, receiptDomain, registerModel, signReceipt } from "../../sdk/index.js";
import { configureRevenue } from "./revenue.js";
import { gasOf, row, type BenchRow } from "./types.js";

const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400n;
// The chain is moved to this time first, and each settlement pass to a fixed day after it, with receipts whose
// deadlines are fixed too (half a day ahead: within the meter's RECEIPT_WINDOW and the licences' 30 days), so
// calldata (and gas) is the same on every run.
const START = 2_000_000_000n;
const BATCHES = [1, 10, 100];

export async function benchLicensing(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, lab, operator, buyer, earlier, contributor1, contributor2] = await ethers.getSigners();
  await networkHelpers.time.increaseTo(START);
  const protocol = await deployProtocol(ethers, admin);
  const { licenses, meter } = protocol;
  const model = await registerModel(ethers, protocol.registry, {
    name: "L",
    symbol: "L",
    contentHash: ethers.ZeroHash,
    metadataURI: "",
    members: [{ account: lab.address, amount: 1000n }],
    governance: defaultGovernance(),
  });
  const usd = await ethers.deployContract("TestToken", ["USD", "USD", 6]);
  const usdAddress = await usd.getAddress();
  // The demo's split: 20% to two contributors, 50% to holders (unlocking over 7 days), 30% to the treasury.
  await configureRevenue(ethers, networkHelpers, protocol, model.modelId, {
    tokens: [ETH, usdAddress],
    contributorsBps: 2000n,
    holdersBps: 5000n,
    contributors: [contributor1.address, contributor2.address],
  });
  const timelock = await model.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  const asTimelock = await ethers.getSigner(timelock);
  const offer = {
    price: 10n ** 16n,
    paymentToken: ETH,
    duration: 30n * DAY,
    credits: 1_000_000n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://terms",
    termsHash: ethers.id("terms"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
  };
  await licenses.connect(asTimelock).addOffer(model.modelId, offer);
  await licenses
    .connect(asTimelock)
    .addOffer(model.modelId, { ...offer, paymentToken: usdAddress, price: 25_000_000n });
  await meter.connect(asTimelock).setOperator(model.modelId, operator.address);
  await networkHelpers.stopImpersonatingAccount(timelock);

  const tick = () => networkHelpers.time.increase(12);
  for (const who of [buyer, earlier]) {
    await usd.mint(who.address, 10n ** 12n);
    await usd.connect(who).approve(await licenses.getAddress(), 10n ** 12n);
  }
  // A live market: earlier sales in each currency a day apart, so the vault's holder accumulators are already
  // nonzero and the last sales' holder revenue is still unlocking when the measured transactions run.
  for (let day = 0; day < 2; ++day) {
    await licenses.connect(earlier).purchase(model.modelId, 1n, earlier.address, offer.price, { value: offer.price });
    await licenses.connect(earlier).purchase(model.modelId, 2n, earlier.address, 25_000_000n);
    await networkHelpers.time.increase(DAY);
  }
  const purchaseEth = await gasOf(
    licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, offer.price, { value: offer.price }),
  );
  const buyersLicence = 5n; // licences 1..4 were the earlier sales
  await tick();
  const purchaseErc20 = await gasOf(licenses.connect(buyer).purchase(model.modelId, 2n, buyer.address, 25_000_000n));
  await tick();
  const renew = await gasOf(licenses.connect(buyer).renew(buyersLicence, offer.price, { value: offer.price }));

  // One licence per holder (fixed keys: the same signatures on every run), bought for them by one payer.
  const holders = Array.from({ length: BATCHES.reduce((a, b) => a + b) }, (_, i) => new Wallet(ethers.id(`h${i}`)));
  const firstId = buyersLicence + 2n;
  for (const h of holders) {
    await licenses.connect(earlier).purchase(model.modelId, 1n, h.address, offer.price, { value: offer.price });
  }
  const domain = await receiptDomain(meter);
  // Batch `size` settles licences [from, from + size): each holder signs its running total, once per batch.
  async function settle(from: number, size: number, cap: bigint, deadline: bigint) {
    const receipts = [];
    for (let i = from; i < from + size; ++i) {
      receipts.push(await signReceipt(holders[i], domain, { licenceId: firstId + BigInt(i), cap, deadline }));
    }
    await tick();
    return (await gasOf(meter.connect(operator).settle(receipts))) / BigInt(size);
  }
  const first: bigint[] = [];
  const steady: bigint[] = [];
  for (const [pass, results] of [
    [1n, first],
    [2n, steady],
  ] as const) {
    const day = START + (pass + 4n) * DAY;
    await networkHelpers.time.increaseTo(day);
    let from = 0;
    for (const size of BATCHES) {
      results.push(await settle(from, size, 30n * pass, day + DAY / 2n));
      from += size;
    }
  }

  const settleRows = (label: string, perLicence: bigint[]) =>
    BATCHES.map((size, i) =>
      row(
        `UsageMeter.settle (${size} licence${size === 1 ? "" : "s"}, 1 receipt each, ${label}), per licence`,
        perLicence[i],
        size === 100 && label === "steady state"
          ? { name: "goal: under 20,000 gas per licence", gas: 20_000n, goal: 1.0 }
          : undefined,
      ),
    );
  return [
    row("LicenseManager.purchase (ETH, new buyer, mints the licence NFT, credits the vault)", purchaseEth, {
      name: "goal: under 200,000 gas",
      gas: 200_000n,
      goal: 1.0,
    }),
    row("LicenseManager.purchase (ERC-20, credits the vault)", purchaseErc20),
    row("LicenseManager.renew (ETH, credits the vault)", renew),
    ...settleRows("first settlement", first),
    ...settleRows("steady state", steady),
  ];
}
