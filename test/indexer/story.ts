/**
 * The story the indexer tests play on a local node, through the sdk and the same governance builders users run:
 * history (before the indexer starts) and live (while it runs). Nothing runs on import.
 *
 * History: the protocol is deployed; two models are registered; model 1 votes (proposal executed) to accept ETH,
 * split revenue, name contributors, publish a transferable offer and a derivative one, name its operator, set its
 * unlock window and royalty, and change its voting period, quorum and timelock delay; fractions move one by one and
 * in a batch; a licence is bought; revenue is deposited; model 2's treasury opens a raise (backed) and a sale of its
 * fractions (bought from).
 * Live: labC re-delegates to labA; a proposal is voted for, against and abstaining; another is proposed and
 * cancelled; the first licence is renewed and given away; a second licence is bought, made primary, and 120 of its
 * credits are settled by the operator; more revenue arrives; after the unlock window labA claims, royalties are
 * collected, labC's contributor revenue and the treasury's cut are released; fractions move again; the raise is
 * backed again, finalized and claimed; the sale is bought from and stopped; labA registers a third model as a
 * derivative of the first, and payments into it set aside its parent's share (collected once); two licensees review
 * the first model on EAS and one revokes its review; the second model's treasury names an evaluator, who attests
 * two provenance claims and revokes one.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

import type { Deployment } from "../../client/deployment.js";
import { attestAsEvaluator, attestReview, connectAttestations, revocationRequest } from "../../client/attestations.js";
import { registerDerivative } from "../../client/lineage.js";
import { backRaise } from "../../client/raises.js";
import { receiptDomain, signReceipt } from "../../client/receipts.js";
import {
  addOffer,
  changeSettings,
  combine,
  descriptionHash,
  openRaise,
  openSale,
  setContributors,
  setEvaluator,
  setOperator,
  setPaymentToken,
  setRevenueSplit,
  setRoyalty,
  setUnlockWindow,
  stopSale,
  type Proposal,
} from "../../governance/index.js";
import { defaultGovernance, deployProtocol, passProposal, registerModel, type Protocol } from "../../sdk/index.js";
import type { ModelGovernor, ModelTimelock, ModelVotes } from "../../types/ethers-contracts/index.js";
import { offerTerms, timelockSigner } from "../helpers/fixtures.js";

const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400n;

export interface Story {
  connection: NetworkConnection;
  protocol: Protocol;
  deployment: Deployment;
  labA: string;
  labB: string;
  labC: string;
  outsider: string;
  /** Everyone the story touches (for "every account" checks). */
  accounts: string[];
  signers: Record<"admin" | "labA" | "labB" | "labC" | "outsider" | "licensee" | "payer", HardhatEthersSigner>;
  /** Runs a proposal's calls as model 2's timelock (impersonated): its raise and sale without a vote each. */
  asSpeechTreasury(p: Proposal): Promise<void>;
  /** What labA's claim paid it (its ETH balance change plus gas), known once `playLive` ran. */
  claimed: { labA: bigint };
  head(): Promise<number>;
  ethBalance(address: string): Promise<bigint>;
  votesOf(modelId: bigint): Promise<ModelVotes>;
  governorOf(modelId: bigint): Promise<ModelGovernor>;
  timelockOf(modelId: bigint): Promise<ModelTimelock>;
}

async function mined(sent: Promise<{ wait(): Promise<unknown> }>) {
  await (await sent).wait();
}

export async function playHistory(connection: NetworkConnection): Promise<Story> {
  const { ethers, networkHelpers } = connection;
  const [admin, labA, labB, labC, outsider, licensee, payer] = await ethers.getSigners();
  const protocol = await deployProtocol(ethers, admin);
  const vision = await registerModel(ethers, protocol.registry, {
    name: "Vision-7B",
    symbol: "wsVIS",
    contentHash: ethers.id("vision-7b weights v1"),
    metadataURI: "ipfs://vision-7b",
    members: [
      { account: labA.address, amount: 500n },
      { account: labB.address, amount: 300n },
      { account: labC.address, amount: 200n },
    ],
    governance: defaultGovernance(),
  });
  await registerModel(ethers, protocol.registry, {
    name: "Speech-1B",
    symbol: "wsSPK",
    contentHash: ethers.id("speech-1b weights v1"),
    metadataURI: "ipfs://speech-1b",
    members: [
      { account: labB.address, amount: 70n },
      { account: outsider.address, amount: 30n },
    ],
    governance: defaultGovernance(),
  });
  const { shares, vault, licenses } = protocol;
  const open = combine("Open Vision-7B for business", [
    await setPaymentToken({ vault, modelId: 1n, token: ETH, allowed: true, description: "part" }),
    await setRevenueSplit({ vault, modelId: 1n, contributorsBps: 1000n, holdersBps: 6000n, description: "part" }),
    await setContributors({
      vault,
      modelId: 1n,
      contributors: [
        { account: labC.address, shares: 3n },
        { account: outsider.address, shares: 1n },
      ],
      description: "part",
    }),
    await addOffer({ licenses, modelId: 1n, terms: offerTerms({ transferable: true }), description: "part" }),
    await addOffer({
      licenses,
      modelId: 1n,
      terms: offerTerms({ derivativesAllowed: true, parentShareBps: 1000n }),
      description: "part",
    }),
    await setOperator({ meter: protocol.meter, modelId: 1n, operator: admin.address, description: "part" }),
    await setUnlockWindow({ vault, modelId: 1n, seconds: 2n * DAY, description: "part" }),
    await setRoyalty({ shares, modelId: 1n, receiver: labC.address, feeBps: 250n, description: "part" }),
    await changeSettings({
      governor: vision.governor,
      timelock: vision.timelock,
      change: { votingPeriod: 4n * DAY, quorumNumerator: 5n, timelockDelay: DAY },
      description: "part",
    }),
  ]);
  await passProposal(vision.governor, open, labA, [labA, labB], networkHelpers);

  await mined(shares.connect(labA).safeTransferFrom(labA.address, outsider.address, 1n, 50n, "0x"));
  await mined(shares.connect(labB).safeBatchTransferFrom(labB.address, outsider.address, [1n, 2n], [20n, 10n], "0x"));
  const price = offerTerms().price;
  await mined(licenses.connect(licensee).purchase(1n, 1n, licensee.address, price, { value: price }));
  await mined(vault.connect(payer).deposit(1n, ETH, ethers.parseEther("1"), { value: ethers.parseEther("1") }));

  // Model 2's treasury opens a raise (backed once) and sells 40 of 100 fractions it mints itself (bought once).
  const speech = await protocol.registry.model(2n);
  const treasury = await timelockSigner(connection, { getAddress: async () => speech.timelock });
  const asSpeechTreasury = async (p: Proposal) => {
    for (const [i, target] of p.targets.entries()) {
      await mined(treasury.sendTransaction({ to: target, value: p.values[i], data: p.calldatas[i] }));
    }
  };
  const { raises, sales } = protocol;
  const t0 = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  await asSpeechTreasury(
    await openRaise({
      shares,
      raises,
      terms: {
        modelId: 2n,
        token: ETH,
        price: ethers.parseEther("0.01"),
        goal: 10n,
        cap: 40n,
        accountCap: 0n,
        opensAt: t0,
        closesAt: t0 + 7n * DAY,
        allowlistRoot: ethers.ZeroHash,
        termsHash: ethers.id("speech raise terms"),
        termsURI: "ipfs://speech-raise-terms",
        tranches: [],
        seatPrice: 0n,
        seats: 0n,
        accessDeadline: 0n,
      },
      description: "Raise for Speech-1B",
    }),
  );
  await backRaise(raises, licensee, 1n, { fractions: 15n });
  await mined(shares.connect(treasury).mint(speech.timelock, 2n, 100n, "0x"));
  const saleTerms = { modelId: 2n, token: ETH, startPrice: 100n, endPrice: 50n, amount: 40n };
  await asSpeechTreasury(
    await openSale({
      shares,
      sales,
      terms: { ...saleTerms, startsAt: t0, endsAt: t0 + 10n * DAY },
      description: "Sell 40 fractions",
    }),
  );
  await mined(sales.connect(payer).buy(1n, 5n, 100n, payer.address, { value: 500n }));

  const deployment: Deployment = {
    shares: await shares.getAddress(),
    registry: await protocol.registry.getAddress(),
    vault: await vault.getAddress(),
    licenses: await licenses.getAddress(),
    meter: await protocol.meter.getAddress(),
    raises: await protocol.raises.getAddress(),
    sales: await protocol.sales.getAddress(),
    lineage: await protocol.lineage.getAddress(),
    reviewResolver: await protocol.reviewResolver.getAddress(),
    provenanceResolver: await protocol.provenanceResolver.getAddress(),
    eas: await protocol.eas.getAddress(),
    provenanceSchema: protocol.provenanceSchema,
  };
  const record = async (modelId: bigint) => protocol.registry.model(modelId);
  return {
    connection,
    protocol,
    deployment,
    labA: labA.address,
    labB: labB.address,
    labC: labC.address,
    outsider: outsider.address,
    accounts: [admin, labA, labB, labC, outsider, licensee, payer].map((s) => s.address),
    signers: { admin, labA, labB, labC, outsider, licensee, payer },
    claimed: { labA: 0n },
    asSpeechTreasury,
    head: () => ethers.provider.getBlockNumber(),
    ethBalance: (address) => ethers.provider.getBalance(address),
    votesOf: async (modelId) => ethers.getContractAt("ModelVotes", (await record(modelId)).votes),
    governorOf: async (modelId) => ethers.getContractAt("ModelGovernor", (await record(modelId)).governor),
    timelockOf: async (modelId) => ethers.getContractAt("ModelTimelock", (await record(modelId)).timelock),
  };
}

export async function playLive(story: Story): Promise<void> {
  const { ethers, networkHelpers } = story.connection;
  const { labA, labB, labC, outsider, licensee, payer } = story.signers;
  const { shares, vault, licenses } = story.protocol;

  await mined((await story.votesOf(1n)).connect(labC).delegate(labA.address));

  // A proposal voted for, against and abstaining (left open), and one cancelled by its proposer while pending.
  const vision = await story.governorOf(1n);
  const window = await setUnlockWindow({ vault, modelId: 1n, seconds: 86400n, description: "Unlock in a day" });
  await mined(vision.connect(labA).propose(window.targets, window.values, window.calldatas, window.description));
  const windowId = await vision.getProposalId(window.targets, window.values, window.calldatas, descriptionHash(window));
  await networkHelpers.time.increaseTo((await vision.proposalSnapshot(windowId)) + 1n);
  await mined(vision.connect(labA).castVote(windowId, 1));
  await mined(vision.connect(labB).castVoteWithReason(windowId, 0, "a day is too short"));
  await mined(vision.connect(outsider).castVote(windowId, 2));
  const speech = await story.governorOf(2n);
  const allow = await setPaymentToken({ vault, modelId: 2n, token: ETH, allowed: true, description: "Accept ETH" });
  await mined(speech.connect(labB).propose(allow.targets, allow.values, allow.calldatas, allow.description));
  await mined(speech.connect(labB).cancel(allow.targets, allow.values, allow.calldatas, descriptionHash(allow)));

  // Licences: renewed and given away; a second one bought and made primary.
  const price = offerTerms().price;
  await mined(licenses.connect(licensee).renew(1n, price, { value: price }));
  await mined(licenses.connect(licensee).transferFrom(licensee.address, outsider.address, 1n));
  await mined(licenses.connect(payer).purchase(1n, 1n, payer.address, price, { value: price }));
  await mined(licenses.connect(payer).usePrimaryLicence(2n));
  // The model's operator (admin) settles 120 credits of licence 2 on payer's signed receipt.
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const usage = await signReceipt(payer, await receiptDomain(story.protocol.meter), {
    licenceId: 2n,
    cap: 120n,
    deadline: now + DAY,
  });
  await mined(story.protocol.meter.connect(story.signers.admin).settle([usage]));

  await backRaise(story.protocol.raises, payer, 1n, { fractions: 10n });

  // Revenue: more arrives, unlocks, and is claimed and released.
  await mined(vault.connect(payer).deposit(1n, ETH, ethers.parseEther("2"), { value: ethers.parseEther("2") }));
  await networkHelpers.time.increase(8n * 86400n);
  const before = await ethers.provider.getBalance(labA.address);
  const receipt = await (await vault.connect(labA).claim(1n, ETH)).wait();
  const after = await ethers.provider.getBalance(labA.address);
  story.claimed.labA = after - before + receipt!.gasUsed * receipt!.gasPrice;
  // A marketplace pays Vision-7B's royalty receiver; anyone sweeps it into the model's revenue.
  await mined(payer.sendTransaction({ to: await vault.royaltyReceiverOf(1n), value: ethers.parseEther("0.2") }));
  await mined(vault.connect(payer).collectRoyalties(1n, ETH));
  await mined(vault.connect(payer).release(1n, ETH, labC.address));
  await mined(vault.connect(payer).releaseTreasury(1n, ETH));

  await mined(shares.connect(labA).safeTransferFrom(labA.address, labB.address, 1n, 10n, "0x"));

  // Funding: the raise is backed again, finalized (past its close) and claimed; the sale is bought from and stopped.
  const { raises, sales } = story.protocol;
  await mined(raises.finalize(1n));
  await mined(raises.connect(licensee).claimFractions(1n, licensee.address, licensee.address));
  await mined(sales.connect(labA).buy(1n, 3n, 100n, labA.address, { value: 300n }));
  await story.asSpeechTreasury(await stopSale({ sales, saleId: 1n, description: "Stop selling" }));

  // Lineage: labA registers Vision-Tiny and makes it a derivative of Vision-7B through a derivative licence (offer
  // 2, licence 3).
  await registerModel(
    ethers,
    story.protocol.registry,
    {
      name: "Vision-Tiny",
      symbol: "wsTNY",
      contentHash: ethers.id("vision-tiny weights v1"),
      metadataURI: "ipfs://vision-tiny",
      members: [{ account: labA.address, amount: 100n }],
      governance: defaultGovernance(),
    },
    labA,
  );
  await mined(licenses.connect(labA).purchase(1n, 2n, labA.address, price, { value: price }));
  await registerDerivative(story.protocol.lineage, labA, 3n, [3n]);
  // Its treasury accepts ETH; two payments into it each set a tenth aside for Vision-7B, collected once in between.
  const tiny = await story.protocol.registry.model(3n);
  const tinyTreasury = await timelockSigner(story.connection, { getAddress: async () => tiny.timelock });
  await mined(vault.connect(tinyTreasury).setPaymentToken(3n, ETH, true));
  await mined(vault.connect(payer).deposit(3n, ETH, ethers.parseEther("1"), { value: ethers.parseEther("1") }));
  await mined(vault.connect(payer).collectFromDerivatives(1n, ETH));
  await mined(vault.connect(payer).deposit(3n, ETH, ethers.parseEther("0.5"), { value: ethers.parseEther("0.5") }));

  // Reviews on EAS: the licence's new owner reviews Vision-7B; payer reviews it too, then revokes its review.
  const p = story.protocol;
  const attestations = connectAttestations(
    {
      eas: await p.eas.getAddress(),
      reviewResolver: await p.reviewResolver.getAddress(),
      provenanceResolver: await p.provenanceResolver.getAddress(),
    },
    payer,
  );
  await attestReview(attestations, outsider, { modelId: 1n, licenceId: 1n, rating: 4, text: "Solid", reviewURI: "" });
  const revoked = await attestReview(attestations, payer, {
    modelId: 1n,
    licenceId: 2n,
    rating: 2,
    text: "Slow",
    reviewURI: "",
  });
  await mined(attestations.eas.connect(payer).revoke(revocationRequest(attestations.reviewSchema, revoked)));

  // Provenance: Speech-1B's treasury names outsider its evaluator, who attests an evaluation and a model card of the
  // registered version and revokes the second.
  await story.asSpeechTreasury(
    await setEvaluator({
      provenance: p.provenanceResolver,
      modelId: 2n,
      evaluator: outsider.address,
      allowed: true,
      description: "Name an evaluator",
    }),
  );
  const manifestHash = ethers.id("speech-1b weights v1");
  await attestAsEvaluator(attestations, outsider, {
    modelId: 2n,
    manifestHash,
    kind: "evaluation",
    uri: "ipfs://eval",
  });
  const card = await attestAsEvaluator(attestations, outsider, {
    modelId: 2n,
    manifestHash,
    kind: "model-card",
    uri: "",
  });
  await mined(attestations.eas.connect(outsider).revoke(revocationRequest(attestations.provenanceSchema, card)));
}
