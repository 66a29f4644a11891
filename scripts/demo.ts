/**
 * The Weightshare scenario on the embedded simulated chain (`npm run demo`).
 *
 * Today: deploy the fractions and votes, register two models for a consortium, move fractions, delegate (also
 * by signature), and print balances and votes per model. Every expected outcome is checked; the script exits
 * non-zero if one does not hold. Later issues grow this into the full story (governance, licences, revenue).
 */
import { network } from "hardhat";

import { createModel, deployShares, short, table } from "../sdk/index.js";

const failures: string[] = [];
function expectEqual(what: string, actual: bigint, expected: bigint): void {
  if (actual !== expected) failures.push(`${what}: expected ${expected}, got ${actual}`);
}

const { ethers, networkHelpers } = await network.create();
const [deployer, labA, labB, labC, buyer, treasuryA, treasuryB] = await ethers.getSigners();
const names = new Map<string, string>([
  [labA.address, "Lab A"],
  [labB.address, "Lab B"],
  [labC.address, "Lab C"],
  [buyer.address, "Buyer"],
  [treasuryA.address, "Treasury A"],
  [treasuryB.address, "Treasury B"],
]);

console.log("Weightshare scenario: two models, their fractions and their votes\n");
const { shares } = await deployShares(ethers, deployer);
console.log(`ModelShares proxy at ${await shares.getAddress()}\n`);

const vision = await createModel(ethers, shares, {
  treasury: treasuryA.address,
  name: "Vision-7B Votes",
  symbol: "wsVIS",
  uri: "ipfs://bafy-vision-7b-metadata",
  members: [
    { account: labA.address, amount: 500n },
    { account: labB.address, amount: 300n },
    { account: labC.address, amount: 200n },
  ],
});
const speech = await createModel(ethers, shares, {
  treasury: treasuryB.address,
  name: "Speech-1B Votes",
  symbol: "wsSPE",
  uri: "ipfs://bafy-speech-1b-metadata",
  members: [
    { account: labA.address, amount: 100n },
    { account: labC.address, amount: 900n },
  ],
});
console.log(`Registered model #${vision.modelId} (Vision-7B) and model #${speech.modelId} (Speech-1B).`);

// Lab B sells 120 Vision fractions to a buyer; the buyer votes with them at once (self-delegation on receipt).
await networkHelpers.time.increase(60);
await (await shares.connect(labB).safeTransferFrom(labB.address, buyer.address, vision.modelId, 120n, "0x")).wait();
console.log("Lab B sold 120 Vision-7B fractions to a buyer.");

// Lab C delegates its Vision votes to Lab A; Lab A delegates its Speech votes to Lab C by signature (gasless).
await (await vision.votes.connect(labC).delegate(labA.address)).wait();
const expiry = BigInt((await networkHelpers.time.latest()) + 3600);
const domain = await speech.votes.eip712Domain();
const signature = await labA.signTypedData(
  { name: domain.name, version: domain.version, chainId: domain.chainId, verifyingContract: domain.verifyingContract },
  {
    Delegation: [
      { name: "delegatee", type: "address" },
      { name: "nonce", type: "uint256" },
      { name: "expiry", type: "uint256" },
    ],
  },
  { delegatee: labC.address, nonce: 0n, expiry },
);
const { v, r, s } = ethers.Signature.from(signature);
await (await speech.votes.connect(buyer).delegateBySig(labC.address, 0n, expiry, v, r, s)).wait();
console.log("Lab C delegated its Vision-7B votes to Lab A; Lab A delegated Speech-1B votes to Lab C by signature.\n");

// The treasury of Vision receives new issuance: it carries no votes and stays out of the quorum base.
await (await shares.connect(treasuryA).mint(treasuryA.address, vision.modelId, 250n, "0x")).wait();
console.log("Vision-7B's treasury issued 250 new fractions to itself (no votes, not in the quorum base).\n");

for (const model of [vision, speech]) {
  const rows = [];
  for (const account of [labA, labB, labC, buyer, model === vision ? treasuryA : treasuryB]) {
    const delegate = await model.votes.delegates(account.address);
    rows.push([
      names.get(account.address)!,
      await shares.balanceOf(account.address, model.modelId),
      delegate === ethers.ZeroAddress ? "-" : (names.get(delegate) ?? short(delegate)),
      await model.votes.getVotes(account.address),
    ]);
  }
  console.log(`Model #${model.modelId}: ${await model.votes.name()}`);
  console.log(table(["holder", "fractions", "delegate", "votes"], rows));
  console.log(
    `supply ${await shares["totalSupply(uint256)"](model.modelId)}, votable ${await model.votes.votableSupply()}\n`,
  );
}

expectEqual("Vision votes of Lab A", await vision.votes.getVotes(labA.address), 700n);
expectEqual("Vision votes of buyer", await vision.votes.getVotes(buyer.address), 120n);
expectEqual("Vision votes of Lab B", await vision.votes.getVotes(labB.address), 180n);
expectEqual("Vision votable supply", await vision.votes.votableSupply(), 1000n);
expectEqual("Vision treasury votes", await vision.votes.getVotes(treasuryA.address), 0n);
expectEqual("Speech votes of Lab C", await speech.votes.getVotes(labC.address), 1000n);
expectEqual("Speech votes of Lab A", await speech.votes.getVotes(labA.address), 0n);
expectEqual("Speech votes of buyer (never crosses models)", await speech.votes.getVotes(buyer.address), 0n);

if (failures.length > 0) {
  console.error(`Scenario FAILED:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("Every expected outcome held.");
