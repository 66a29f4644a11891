/**
 * `npm run demo`: the Weightshare story on the embedded simulated chain, from nothing.
 *
 * Three labs register a model with two contributors; their DAO configures revenue, a licence offer and a gateway
 * by vote; a licensee buys a licence and spends credits with signed receipts; revenue splits; holders,
 * contributors and the treasury are paid; the holders vote to raise the price; a new buyer pays the new price while
 * the first licence keeps its terms; a fraction sale moves future revenue and votes.
 *
 * Every expected outcome is checked; the script exits non-zero if one does not hold.
 */
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

const { ethers, networkHelpers } = await network.create();
const [deployer, labA, labB, labC, labeller, finetuner, licensee, gateway, secondBuyer, investor, sponsor] =
  await ethers.getSigners();
const ETH = ethers.ZeroAddress;
const fmt = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;
const failures: string[] = [];
const gasRows: Cell[][] = [];

function check(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) failures.push(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}
async function step<T extends { wait(): Promise<{ gasUsed: bigint } | null> }>(what: string, sent: Promise<T>) {
  const receipt = await (await sent).wait();
  gasRows.push([what, receipt?.gasUsed ?? 0n]);
  return receipt;
}
function say(text: string): void {
  console.log(`\n${text}`);
}

console.log("Weightshare: a research consortium co-owns a model on a simulated Ethereum chain.");

// 1. The protocol and the model ---------------------------------------------------------------------------------
const protocol = await deployProtocol(ethers, deployer);
const { shares, registry, vault, licenses } = protocol;
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
  await setOperator({ licenses, modelId, operator: gateway.address, description: "gateway" }),
]);
const first = await passProposal(governor, setup, labA, [labA, labB], networkHelpers);
gasRows.push([
  "proposal 1: propose / votes / queue / execute",
  first.gas.propose + first.gas.votes + first.gas.queue + first.gas.execute,
]);
say(
  "Vote 1 passed and executed: revenue in ETH split 20% contributors (labeller 3 : fine-tuner 1), 50% holders," +
    " 30% treasury; a licence at 0.1 ETH for 30 days and 1,000 credits; the gateway may meter usage.",
);

// 3. A licensee buys, and spends credits with signed receipts -------------------------------------------------------
await step(
  "purchase licence (ETH, 0.05 ETH excess refunded)",
  licenses.connect(licensee).purchase(modelId, 1n, licensee.address, offer.price, { value: ethers.parseEther("0.15") }),
);
const domain = await receiptDomain(licenses);
const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
const receipts = [];
for (const [nonce, amount] of [40n, 60n, 50n].entries()) {
  receipts.push(await signReceipt(licensee, domain, { licenceId: 1n, amount, nonce: BigInt(nonce), deadline }));
}
await step("gateway settles 3 signed usage receipts", licenses.connect(gateway).settleUsage(receipts));
const firstLicence = await licenses.licence(1n);
check("credits left after 150 used", firstLicence.credits, 850n);
check("licensee has access", await licenses.hasAccess(modelId, licensee.address), true);
say(`The licensee bought licence #1 and used 150 inference credits; ${firstLicence.credits} remain.`);

// 4. Revenue arrives and splits; everyone pulls their share ---------------------------------------------------------
await step("route licence revenue to the vault", licenses.flushRevenue(modelId, ETH));
await step(
  "sponsor deposits a 0.9 ETH grant",
  vault.connect(sponsor).deposit(modelId, ETH, ethers.parseEther("0.9"), { value: ethers.parseEther("0.9") }),
);
const claims: Cell[][] = [];
for (const [name, who] of [
  ["Lab A", labA],
  ["Lab B", labB],
  ["Lab C", labC],
] as const) {
  const amount = await vault.claimable(modelId, ETH, who.address);
  await step(`${name} claims holder revenue`, vault.connect(who).claim(modelId, ETH));
  claims.push([name, "holder", fmt(amount)]);
}
for (const [name, who] of [
  ["Labeller", labeller],
  ["Fine-tuner", finetuner],
] as const) {
  const amount = await vault.releasable(modelId, ETH, who.address);
  await step(`${name} releases contributor revenue`, vault.release(modelId, ETH, who.address));
  claims.push([name, "contributor", fmt(amount)]);
}
const treasuryCut = await vault.treasuryReleasable(modelId, ETH);
await step("treasury cut paid to the timelock", vault.releaseTreasury(modelId, ETH));
claims.push(["Treasury (timelock)", "treasury", fmt(treasuryCut)]);
say("1 ETH of revenue (0.1 licence + 0.9 grant) was split and pulled:");
console.log(table(["who", "as", "received"], claims));
check("Lab A's holder share", claims[0][2], fmt(ethers.parseEther("0.25")));
check("labeller's contributor share", claims[3][2], fmt(ethers.parseEther("0.15")));
check("treasury's cut", treasuryCut, ethers.parseEther("0.3"));
check("vault keeps nothing it owes nobody", await ethers.provider.getBalance(await vault.getAddress()), 0n);

// 5. The holders vote to double the price; the first licence keeps its terms ---------------------------------------
const raise = await updateOffer({
  licenses,
  modelId,
  offerId: 1n,
  terms: {
    ...offer,
    price: ethers.parseEther("0.2"),
    termsURI: "ipfs://bafy-vision-7b-licence-v2",
    termsHash: ethers.id("v2"),
  },
  description: "Raise the Vision-7B licence to 0.2 ETH",
});
await passProposal(governor, raise, labB, [labA, labB, labC], networkHelpers);
const stalePurchase = licenses
  .connect(secondBuyer)
  .purchase(modelId, 1n, secondBuyer.address, offer.price, { value: offer.price });
const staleRefused = await stalePurchase.then(() => false).catch(() => true);
check("a purchase with the old maxPrice is refused", staleRefused, true);
await step(
  "second buyer pays the new price",
  licenses
    .connect(secondBuyer)
    .purchase(modelId, 1n, secondBuyer.address, ethers.parseEther("0.2"), { value: ethers.parseEther("0.2") }),
);
const kept = await licenses.licence(1n);
check("first licence keeps its terms", (await licenses.terms(kept.termsId)).price, offer.price);
check("first licence keeps its expiry", kept.expiry, firstLicence.expiry);
check(
  "second licence is under the new terms",
  (await licenses.terms((await licenses.licence(2n)).termsId)).price,
  ethers.parseEther("0.2"),
);
say(
  "Vote 2 raised the price to 0.2 ETH. A stale purchase at 0.1 was refused; a new buyer paid 0.2; licence #1 still carries its 0.1 ETH terms and expiry.",
);

// 6. A fraction sale moves future revenue and votes, never past revenue ---------------------------------------------
await step(
  "Lab B sells 150 fractions to an investor",
  shares.connect(labB).safeTransferFrom(labB.address, investor.address, modelId, 150n, "0x"),
);
check("investor earned nothing from before", await vault.claimable(modelId, ETH, investor.address), 0n);
await licenses.flushRevenue(modelId, ETH); // the second buyer's 0.2 ETH
check(
  "investor earns 15% of the holders' half",
  await vault.claimable(modelId, ETH, investor.address),
  ethers.parseEther("0.015"),
);
check(
  "Lab B keeps 15% for its remaining fractions",
  await vault.claimable(modelId, ETH, labB.address),
  ethers.parseEther("0.015"),
);
check("investor votes with its fractions", await votes.getVotes(investor.address), 150n);
check("Lab B's votes follow its fractions", await votes.getVotes(labB.address), 150n);

const holders: Cell[][] = [];
for (const [name, who] of [
  ["Lab A", labA],
  ["Lab B", labB],
  ["Lab C", labC],
  ["Investor", investor],
] as const) {
  holders.push([
    name,
    await shares.balanceOf(who.address, modelId),
    await votes.getVotes(who.address),
    fmt(await vault.claimable(modelId, ETH, who.address)),
  ]);
}
say("After the sale and the second licence's 0.2 ETH:");
console.log(table(["holder", "fractions", "votes", "claimable"], holders));
check("treasury holds no votes", await votes.getVotes(await timelock.getAddress()), 0n);

say("Gas per step:");
console.log(table(["step", "gas"], gasRows));

if (failures.length > 0) {
  console.error(`\nDemo FAILED:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("\nEvery expected outcome held.");
