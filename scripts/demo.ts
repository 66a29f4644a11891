/**
 * `npm run demo`: the Weightshare story on the embedded simulated chain, from nothing.
 *
 * Three labs register a model with two contributors; their DAO configures revenue, a licence offer and a gateway
 * by vote; a licensee buys a licence, and the payment is split in the vault in the same transaction; the licensee
 * signs a running total of credits after each call and the gateway settles one receipt for the licence; a grant
 * arrives; contributors and the treasury are paid at once while the holders' cut unlocks over 7 days; the holders
 * vote to raise the price; a new buyer pays the new price while the first licence keeps its terms; a fraction sale
 * halfway through an unlock window moves what is still to unlock, and the votes; finally the labs publish the model's
 * files encrypted to IPFS, the DAO votes the new metadata, and a licensee downloads them through the gateway with the
 * Hugging Face client while a non-licensee is refused; then it calls the model through the gateway, its credits fall
 * call by call, and the settler settles the calls on chain in one batch. Last, the labs fund a second model before
 * training it: backers oversubscribe a raise and are filled pro rata with exact refunds, the treasury receives the
 * money in milestone tranches, pre-sold seats become licences, and a raise that missed its goal is refunded. Then a
 * lab's fine-tune of Vision-7B, registered through the DAO's derivative licence, pays Vision-7B 10% of every payment.
 *
 * Every expected outcome is checked; the script exits non-zero if one does not hold.
 */
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { network } from "hardhat";

import {
  addOffer,
  combine,
  setContributors,
  setOperator,
  setPaymentToken,
  setRevenueSplit,
  updateOffer,
  type OfferTerms,
} from "../governance/index.js";
import {
  defaultGovernance,
  deployProtocol,
  passProposal,
  receiptDomain,
  registerModel,
  signReceipt,
  table,
  type Cell,
} from "../sdk/index.js";
import { fundingDemo } from "./demo/funding.js";
import { gatewayDemo } from "./demo/gateway.js";
import { lineageDemo } from "./demo/lineage.js";

const { ethers, networkHelpers, provider: eip1193 } = await network.create();
const [deployer, labA, labB, labC, labeller, finetuner, licensee, gateway, secondBuyer, investor, sponsor, hospital] =
  await ethers.getSigners();
const ETH = ethers.ZeroAddress;
const fmt = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;
const failures: string[] = [];
const gasRows: Cell[][] = [];

function check(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) failures.push(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}
async function step(
  what: string,
  sent: Promise<ContractTransactionResponse | ContractTransactionReceipt>,
): Promise<ContractTransactionReceipt> {
  const done = await sent;
  // The SDK's helpers (backRaise, ...) return the receipt; a contract call returns the sent transaction.
  const receipt = "wait" in done ? await done.wait() : done;
  if (receipt === null) throw new Error(`${what}: transaction dropped`);
  gasRows.push([what, receipt.gasUsed]);
  return receipt;
}
/** The amount a vault event in `receipt` reports as paid out. */
function paid(
  event: "HolderClaimed" | "ContributorReleased" | "TreasuryReleased",
  receipt: ContractTransactionReceipt,
) {
  const log = receipt.logs.map((l) => vault.interface.parseLog(l)).find((parsed) => parsed?.name === event);
  if (log === undefined || log === null) throw new Error(`no ${event} event`);
  return log.args.amount as bigint;
}
function say(text: string): void {
  console.log(`\n${text}`);
}

console.log("Weightshare: a research consortium co-owns a model on a simulated Ethereum chain.");

// 1. The protocol and the model ---------------------------------------------------------------------------------
const protocol = await deployProtocol(ethers, deployer);
const { shares, registry, vault, licenses, meter } = protocol;
const vaultAddress = await vault.getAddress();
const registration = await registerModel(
  ethers,
  registry,
  {
    name: "Vision-7B",
    symbol: "wsVIS",
    contentHash: ethers.id("vision-7b weights, release 1"),
    metadataURI: "ipfs://bafy-vision-7b",
    members: [
      { account: labA.address, amount: 500n },
      { account: labB.address, amount: 300n },
      { account: labC.address, amount: 200n },
    ],
    governance: defaultGovernance(),
  },
  labA,
);
const { modelId, votes, governor, timelock } = registration;
gasRows.push(["registerModel (3 labs: votes, governor, timelock, 1,000 fractions)", registration.receipt.gasUsed]);
say(`Labs A, B and C registered model #${modelId} "Vision-7B": 500 / 300 / 200 fractions, each voting with its own.`);

// 2. The DAO's first vote: revenue, contributors, a licence offer, the gateway -----------------------------------
const offer: OfferTerms = {
  price: ethers.parseEther("0.1"),
  paymentToken: ETH,
  duration: 30n * 86400n,
  credits: 1000n,
  cap: 0n,
  transferable: false,
  commercialUse: true,
  derivativesAllowed: false,
  onSale: true,
  termsURI: "ipfs://bafy-vision-7b-licence-v1",
  termsHash: ethers.id("Vision-7B commercial licence v1"),
  parentShareBps: 0n,
  minDerivativePrice: 0n,
};
const setup = combine("Open Vision-7B for business", [
  await setPaymentToken({ vault, modelId, token: ETH, allowed: true, description: "ETH" }),
  await setRevenueSplit({ vault, modelId, contributorsBps: 2000n, holdersBps: 5000n, description: "split" }),
  await setContributors({
    vault,
    modelId,
    contributors: [
      { account: labeller.address, shares: 3n },
      { account: finetuner.address, shares: 1n },
    ],
    description: "contributors",
  }),
  await addOffer({ licenses, modelId, terms: offer, description: "offer" }),
  await setOperator({ meter, modelId, operator: gateway.address, description: "gateway" }),
]);
const first = await passProposal(governor, setup, labA, [labA, labB], networkHelpers);
gasRows.push([
  "proposal 1: propose / votes / queue / execute",
  first.gas.propose + first.gas.votes + first.gas.queue + first.gas.execute,
]);
say(
  "Vote 1 passed and executed: revenue in ETH split 20% contributors (labeller 3 : fine-tuner 1), 50% holders," +
    " 30% treasury; a licence at 0.1 ETH for 30 days and 1,000 credits; the gateway is the model's usage-meter operator.",
);

// 3. A licensee buys: the payment is split in the vault in the same transaction ---------------------------------
const WINDOW = 7n * 86400n; // the vault's default unlock window: this DAO never voted another
const purchase = await step(
  "purchase licence (ETH, 0.05 ETH excess refunded, 0.1 ETH credited to the vault)",
  licenses.connect(licensee).purchase(modelId, 1n, licensee.address, offer.price, { value: ethers.parseEther("0.15") }),
);
const purchasedAt = BigInt((await purchase.getBlock()).timestamp);
const credited = purchase.logs
  .filter((log) => log.address === vaultAddress)
  .map((log) => vault.interface.parseLog(log))
  .find((parsed) => parsed?.name === "Deposited");
if (credited === undefined || credited === null) throw new Error("the purchase credited nothing to the vault");
check("the purchase credits the vault", credited.args.amount, offer.price);
check("contributors' 20% credited at purchase", credited.args.toContributors, ethers.parseEther("0.02"));
check("holders' 50% credited at purchase", credited.args.toHolders, ethers.parseEther("0.05"));
check("treasury's 30% credited at purchase", credited.args.toTreasury, ethers.parseEther("0.03"));
check("the licence contract keeps no revenue", await ethers.provider.getBalance(await licenses.getAddress()), 0n);
const [lockedAtPurchase, endAtPurchase, window] = await vault.unlocking(modelId, ETH);
check("holders' cut locked at purchase", lockedAtPurchase, ethers.parseEther("0.05"));
check("it unlocks over 7 days from the purchase", endAtPurchase, purchasedAt + WINDOW);
check("the model's unlock window", window, WINDOW);
check("nothing claimable in the purchase's block", await vault.claimable(modelId, ETH, labA.address), 0n);
say(
  "The licensee bought licence #1 for 0.1 ETH (0.05 ETH excess refunded). The purchase itself credited the" +
    ` vault: ${fmt(credited.args.toContributors)} to contributors and ${fmt(credited.args.toTreasury)} to the` +
    ` treasury at once; the holders' ${fmt(lockedAtPurchase)} unlocks linearly over ${window / 86400n} days.`,
);

// 4. The licensee signs a running total per call; the gateway settles one receipt for the licence ------------------
const domain = await receiptDomain(meter);
const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
let runningTotal = 0n;
const signed = [];
for (const credits of [40n, 60n, 50n]) {
  runningTotal += credits; // each call's receipt authorises the total so far and supersedes the previous one
  signed.push(await signReceipt(licensee, domain, { licenceId: 1n, cap: runningTotal, deadline }));
}
const latest = signed[signed.length - 1];
await step("gateway settles 1 receipt (3 calls, 150 credits)", meter.connect(gateway).settle([latest]));
const firstLicence = await licenses.licence(1n);
check("credits left after 150 used", firstLicence.credits, 850n);
check("settled running total", (await meter.usageOf(1n)).settled, 150n);
check("licensee has access", await licenses.hasAccess(modelId, licensee.address), true);
await (await meter.connect(gateway).settle([signed[1]])).wait(); // an older receipt, replayed
check("an older receipt charges nothing more", (await licenses.licence(1n)).credits, 850n);
say(
  `The licensee made 3 calls (40, 60, 50 credits), signing after each the running total (${signed
    .map((r) => r.cap)
    .join(", ")}); the gateway settled only the last receipt, in one batch: 150 credits charged, ` +
    `${firstLicence.credits} remain. Replaying an older receipt charges nothing.`,
);

// 5. Revenue unlocks for the holders; contributors and the treasury are paid at once ------------------------------
await networkHelpers.time.increaseTo(purchasedAt + WINDOW);
check("a week on, the licence's holder cut has unlocked", (await vault.unlocking(modelId, ETH))[0], 0n);
check("Lab A's half of it", await vault.claimable(modelId, ETH, labA.address), ethers.parseEther("0.025"));
const grant = await step(
  "sponsor deposits a 0.9 ETH grant",
  vault.connect(sponsor).deposit(modelId, ETH, ethers.parseEther("0.9"), { value: ethers.parseEther("0.9") }),
);
const grantAt = BigInt((await grant.getBlock()).timestamp);
const [grantLocked, grantEnd] = await vault.unlocking(modelId, ETH);
check("the grant's holder cut is locked", grantLocked, ethers.parseEther("0.45"));
check("and unlocks over the next 7 days", grantEnd, grantAt + WINDOW);
check(
  "labeller's share credited at once",
  await vault.releasable(modelId, ETH, labeller.address),
  ethers.parseEther("0.15"),
);
check("treasury's cut credited at once", await vault.treasuryReleasable(modelId, ETH), ethers.parseEther("0.3"));

const labs = [
  ["Lab A", labA],
  ["Lab B", labB],
  ["Lab C", labC],
] as const;
await networkHelpers.time.setNextBlockTimestamp(grantAt + WINDOW / 2n);
const labCEarly = paid(
  "HolderClaimed",
  await step("Lab C claims halfway through the window", vault.connect(labC).claim(modelId, ETH)),
);
const [halfLocked] = await vault.unlocking(modelId, ETH);
const halfway: Cell[][] = [];
for (const [name, who] of labs) {
  halfway.push([name, who === labC ? fmt(labCEarly) : null, fmt(await vault.claimable(modelId, ETH, who.address))]);
}
say(
  "A week after the purchase a sponsor deposited a 0.9 ETH grant. Contributors and the treasury could pull their" +
    ` cuts at once; the holders' ${fmt(grantLocked)} unlocks over the next 7 days. Halfway, ${fmt(halfLocked)} is` +
    " still unlocking; Lab C claims what it has earned so far:",
);
console.log(table(["holder", "claimed", "claimable"], halfway));
check("half the grant's holder cut still unlocking", halfLocked, ethers.parseEther("0.225"));
check("Lab A's claimable halfway", halfway[0][2], fmt(ethers.parseEther("0.1375")));
check("Lab C's claim halfway", labCEarly, ethers.parseEther("0.055"));

await networkHelpers.time.increaseTo(grantAt + WINDOW);
const claims: Cell[][] = [];
for (const [name, who] of labs) {
  const amount = paid(
    "HolderClaimed",
    await step(`${name} claims holder revenue`, vault.connect(who).claim(modelId, ETH)),
  );
  claims.push(who === labC ? [`${name} (2 claims)`, "holder", fmt(labCEarly + amount)] : [name, "holder", fmt(amount)]);
}
for (const [name, who] of [
  ["Labeller", labeller],
  ["Fine-tuner", finetuner],
] as const) {
  const amount = paid(
    "ContributorReleased",
    await step(`${name} releases contributor revenue`, vault.release(modelId, ETH, who.address)),
  );
  claims.push([name, "contributor", fmt(amount)]);
}
const treasuryCut = paid(
  "TreasuryReleased",
  await step("treasury cut paid to the timelock", vault.releaseTreasury(modelId, ETH)),
);
claims.push(["Treasury (timelock)", "treasury", fmt(treasuryCut)]);
say("Once the window ended, 1 ETH of revenue (0.1 licence + 0.9 grant) had been split and pulled:");
console.log(table(["who", "as", "received"], claims));
check("Lab A's holder share", claims[0][2], fmt(ethers.parseEther("0.25")));
check("Lab C's holder share, in two claims", claims[2][2], fmt(ethers.parseEther("0.1")));
check("labeller's contributor share", claims[3][2], fmt(ethers.parseEther("0.15")));
check("treasury's cut", treasuryCut, ethers.parseEther("0.3"));
check("vault keeps nothing it owes nobody", await ethers.provider.getBalance(vaultAddress), 0n);

// 6. The holders vote to double the price; the first licence keeps its terms ---------------------------------------
const raise = await updateOffer({
  licenses,
  modelId,
  offerId: 1n,
  terms: {
    ...offer,
    price: ethers.parseEther("0.2"),
    termsURI: "ipfs://bafy-vision-7b-licence-v2",
    termsHash: ethers.id("v2"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
  },
  description: "Raise the Vision-7B licence to 0.2 ETH",
});
await passProposal(governor, raise, labB, [labA, labB, labC], networkHelpers);
const stalePurchase = licenses
  .connect(secondBuyer)
  .purchase(modelId, 1n, secondBuyer.address, offer.price, { value: offer.price });
const staleRefused = await stalePurchase.then(() => false).catch(() => true);
check("a purchase with the old maxPrice is refused", staleRefused, true);
const secondSale = await step(
  "second buyer pays the new price (0.2 ETH credited to the vault)",
  licenses
    .connect(secondBuyer)
    .purchase(modelId, 1n, secondBuyer.address, ethers.parseEther("0.2"), { value: ethers.parseEther("0.2") }),
);
const secondSaleAt = BigInt((await secondSale.getBlock()).timestamp);
const kept = await licenses.licence(1n);
check("first licence keeps its terms", (await licenses.terms(kept.termsId)).price, offer.price);
check("first licence keeps its expiry", kept.expiry, firstLicence.expiry);
check(
  "second licence is under the new terms",
  (await licenses.terms((await licenses.licence(2n)).termsId)).price,
  ethers.parseEther("0.2"),
);
check("the vault has received 1.2 ETH in all", await vault.totalDeposited(modelId, ETH), ethers.parseEther("1.2"));
const [secondLocked, secondEnd] = await vault.unlocking(modelId, ETH);
check("the second licence's holder cut is locked", secondLocked, ethers.parseEther("0.1"));
check("and unlocks over 7 days from its sale", secondEnd, secondSaleAt + WINDOW);
say(
  "Vote 2 raised the price to 0.2 ETH. A stale purchase at 0.1 was refused; a new buyer paid 0.2, credited to the" +
    " vault at once (0.1 ETH for the holders, unlocking over 7 days); licence #1 still carries its 0.1 ETH terms" +
    " and expiry.",
);

// 7. A fraction sale moves revenue still to unlock and votes, never revenue already unlocked ------------------------
await networkHelpers.time.setNextBlockTimestamp(secondSaleAt + WINDOW / 2n);
await step(
  "Lab B sells 150 fractions to an investor (one payment token)",
  shares.connect(labB).safeTransferFrom(labB.address, investor.address, modelId, 150n, "0x"),
);
check("investor earned nothing from before", await vault.claimable(modelId, ETH, investor.address), 0n);
check(
  "Lab B keeps 30% of the half unlocked before the sale",
  await vault.claimable(modelId, ETH, labB.address),
  ethers.parseEther("0.015"),
);
check("investor votes with its fractions", await votes.getVotes(investor.address), 150n);
check("Lab B's votes follow its fractions", await votes.getVotes(labB.address), 150n);
await networkHelpers.time.increaseTo(secondSaleAt + WINDOW);
check(
  "investor earns 15% of the half that unlocked after the sale",
  await vault.claimable(modelId, ETH, investor.address),
  ethers.parseEther("0.0075"),
);
check(
  "Lab B: 30% of the first half, 15% of the second",
  await vault.claimable(modelId, ETH, labB.address),
  ethers.parseEther("0.0225"),
);

const holders: Cell[][] = [];
for (const [name, who] of [...labs, ["Investor", investor] as const]) {
  holders.push([
    name,
    await shares.balanceOf(who.address, modelId),
    await votes.getVotes(who.address),
    fmt(await vault.claimable(modelId, ETH, who.address)),
  ]);
}
say(
  "Halfway through the second licence's unlock window, Lab B sold 150 of its 300 fractions to an investor. Once" +
    " the window ended, its 0.1 ETH holder cut had been earned by whoever held while it unlocked:",
);
console.log(table(["holder", "fractions", "votes", "claimable"], holders));
check("Lab A's 50% of it", holders[0][3], fmt(ethers.parseEther("0.05")));
check("treasury holds no votes", await votes.getVotes(await timelock.getAddress()), 0n);

// 8. The model's files: published encrypted to IPFS, downloaded through the gateway by a licensee only -----------
const buyerAccess = await licenses.hasAccess(modelId, secondBuyer.address);
check("the second buyer's licence is live", buyerAccess, true);
const downloaded = await gatewayDemo({
  eip1193,
  networkHelpers,
  shares,
  registry,
  licenses,
  meter,
  vault,
  governor,
  modelId,
  proposer: labA,
  voters: [labA, labC],
  licensee: secondBuyer,
  outsider: sponsor,
  operator: gateway,
  contributor: labeller,
  holder: labA,
  check,
  say,
});
console.log(table(["file", "bytes", "sha256"], downloaded));

// 9. A model funded before it exists: raises with pro rata, tranches, pre-sold seats, and a failed raise refunded ---
await fundingDemo({
  ethers,
  networkHelpers,
  protocol,
  labs: [labA, labB, labC],
  backers: [investor, sponsor],
  check,
  say,
  step,
});

// 10. A lab's fine-tune pays its parent model ----------------------------------------------------------------------
await lineageDemo({
  ethers,
  networkHelpers,
  protocol,
  parent: { modelId, governor, proposer: labA, voters: [labA, labC] },
  lab: finetuner,
  hospital,
  check,
  say,
  step,
});

say("Gas per step:");
console.log(table(["step", "gas"], gasRows));

if (failures.length > 0) {
  console.error(`\nDemo FAILED:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("\nEvery expected outcome held.");
