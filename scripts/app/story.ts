/**
 * The story `npm run app` seeds into its local chain, played through the sdk and the governance builders exactly as
 * users would (every treasury action by vote), so each page of the app has something to show and each browser test
 * has an account in the state it needs:
 *
 * - Vision-7B (model 1), owned by `consortium` and `member`, published through the gateway's `publish` (v1 at
 *   registration, v2's metadata URI and content hash adopted by vote), accepting ETH, splitting revenue with two
 *   contributors, selling a transferable ETH licence (bought by `customer`) and a derivative licence (bought by
 *   `builder`); revenue deposited and unlocked (holders can claim, contributors can release); an Active proposal
 *   `member` voted For and `consortium` has not voted on; `customer` reviewed it on EAS.
 * - Speech-1B (model 2), whose treasury opened a raise by vote (open until long after the seeding, `customer` backed
 *   it once; `backer` has not).
 * - Climate-3B (model 3), a plain registered and published model.
 * - Vision-7B-Tiny (model 4), `builder`'s derivative of Vision-7B.
 *
 * Nothing runs on import; `seedStory` is called by seed.ts.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

import { attestReview, connectAttestations } from "../../client/attestations.js";
import type { Deployment } from "../../client/deployment.js";
import { registerDerivative } from "../../client/lineage.js";
import { backRaise } from "../../client/raises.js";
import { openEmbeddedStore } from "../../gateway/storage/embedded.js";
import {
  addOffer,
  combine,
  descriptionHash,
  openRaise,
  setContributors,
  setOperator,
  setPaymentToken,
  setRevenueSplit,
  setUnlockWindow,
  updateMetadata,
} from "../../governance/index.js";
import { defaultGovernance, deployProtocol, passProposal, publish, registerModel } from "../../sdk/index.js";
import { CARDS, offer } from "./cards.js";
import { writeTinyModel, type TinyModel } from "./model-files.js";
import { ROLE_INDEX, type Role, type SeedResult } from "./roles.js";

const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400n;

/** Plays the story on `connection` (a fresh chain); model files are published into `dataDir` under `kek`. */
export async function seedStory(
  connection: NetworkConnection,
  options: { dataDir: string; workDir: string; kek: Uint8Array; onDeployed?: (d: Deployment) => Promise<void> },
): Promise<SeedResult> {
  const { ethers, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const s = Object.fromEntries(Object.entries(ROLE_INDEX).map(([role, i]) => [role, signers[i]])) as Record<
    Role,
    HardhatEthersSigner
  >;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const mined = async (sent: Promise<{ wait(): Promise<unknown> }>) => void (await (await sent).wait());
  const now = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

  const protocol = await deployProtocol(ethers, s.deployer);
  const { registry, shares, vault, licenses, raises, lineage } = protocol;
  const deployment: Deployment = {
    shares: await shares.getAddress(),
    registry: await registry.getAddress(),
    vault: await vault.getAddress(),
    licenses: await licenses.getAddress(),
    meter: await protocol.meter.getAddress(),
    raises: await raises.getAddress(),
    sales: await protocol.sales.getAddress(),
    lineage: await lineage.getAddress(),
    eas: await protocol.eas.getAddress(),
    reviewResolver: await protocol.reviewResolver.getAddress(),
    provenanceResolver: await protocol.provenanceResolver.getAddress(),
    reviewSchema: protocol.reviewSchema,
    provenanceSchema: protocol.provenanceSchema,
  };
  // The indexer can start now, while the story plays.
  await options.onDeployed?.(deployment);

  // Every model's files go through the gateway's publisher: encrypted into the store, metadata on "IPFS".
  const store = await openEmbeddedStore(`${options.dataDir}/blocks`);
  const published: Record<string, Awaited<ReturnType<typeof publish>>> = {};
  const publishModel = async (key: string, modelId: bigint, card: TinyModel) => {
    const dir = await writeTinyModel(options.workDir, card);
    published[key] = await publish({ dir, chainId, modelId, store, dataDir: options.dataDir, kek: options.kek });
    return published[key];
  };
  try {
    const register = async (modelId: bigint, key: string, members: { account: string; amount: bigint }[]) => {
      const v1 = await publishModel(key, modelId, CARDS[key]);
      const card = CARDS[key];
      const symbol = `ws${card.name
        .replace(/[^A-Za-z]/g, "")
        .slice(0, 4)
        .toUpperCase()}`;
      const model = await registerModel(
        ethers,
        registry,
        {
          name: card.name,
          symbol,
          contentHash: v1.contentHash,
          metadataURI: v1.metadataURI,
          members,
          governance: defaultGovernance(),
        },
        members.length === 1 ? signers.find((x) => x.address === members[0].account) : s.consortium,
      );
      if (model.modelId !== modelId) {
        throw new Error(`seed: expected ${card.name} to be model ${modelId}, got ${model.modelId}`);
      }
      return model;
    };
    const vision = await register(1n, "vision", [
      { account: s.consortium.address, amount: 600n },
      { account: s.member.address, amount: 400n },
    ]);
    const speech = await register(2n, "speech", [
      { account: s.consortium.address, amount: 70n },
      { account: s.member.address, amount: 30n },
    ]);
    await register(3n, "climate", [
      { account: s.member.address, amount: 900n },
      { account: s.consortium.address, amount: 100n },
    ]);
    const voters = [s.consortium, s.member];

    // Speech-1B's treasury opens a raise by vote: 0.01 ETH a fraction, goal 10, cap 100, open for 90 days.
    const t0 = await now();
    const raisePrice = ethers.parseEther("0.01");
    const raise = await openRaise({
      shares,
      raises,
      terms: {
        modelId: 2n,
        token: ETH,
        price: raisePrice,
        goal: 10n,
        cap: 100n,
        accountCap: 0n,
        opensAt: t0,
        closesAt: t0 + 90n * DAY,
        allowlistRoot: ethers.ZeroHash,
        termsHash: ethers.id("speech-1b raise terms"),
        termsURI: "ipfs://speech-1b-raise-terms",
        tranches: [],
        seatPrice: 0n,
        seats: 0n,
        accessDeadline: 0n,
      },
      description: "Raise 1 ETH for Speech-1B's next training run",
    });
    await passProposal(speech.governor, raise, s.member, voters, networkHelpers);

    // Vision-7B opens for business by one vote, adopting its v2 files.
    const v2 = await publishModel("vision", 1n, { ...CARDS.vision, revision: 2 });
    const open = combine("Open Vision-7B for business and publish v2", [
      await setPaymentToken({ vault, modelId: 1n, token: ETH, allowed: true, description: "part" }),
      await setRevenueSplit({ vault, modelId: 1n, contributorsBps: 1000n, holdersBps: 6000n, description: "part" }),
      await setContributors({
        vault,
        modelId: 1n,
        contributors: [
          { account: s.contributor.address, shares: 3n },
          { account: s.coContributor.address, shares: 1n },
        ],
        description: "part",
      }),
      await addOffer({ licenses, modelId: 1n, terms: offer({}, ethers), description: "part" }),
      await addOffer({
        licenses,
        modelId: 1n,
        terms: offer({ derivativesAllowed: true, parentShareBps: 1000n, transferable: false }, ethers),
        description: "part",
      }),
      await setOperator({ meter: protocol.meter, modelId: 1n, operator: s.deployer.address, description: "part" }),
      await setUnlockWindow({ vault, modelId: 1n, seconds: DAY, description: "part" }),
      await updateMetadata({
        shares,
        registry,
        modelId: 1n,
        uri: v2.metadataURI,
        contentHash: v2.contentHash,
        description: "part",
      }),
    ]);
    await passProposal(vision.governor, open, s.consortium, voters, networkHelpers);

    // Customers: a licence bought and revenue paid in; the raise backed once; a review on EAS.
    const price = ethers.parseEther("0.1");
    await mined(licenses.connect(s.customer).purchase(1n, 1n, s.customer.address, price, { value: price }));
    const paid = ethers.parseEther("1");
    await mined(vault.connect(s.customer).deposit(1n, ETH, paid, { value: paid }));
    await backRaise(raises, s.customer, 1n, { fractions: 5n });
    const attestations = connectAttestations(
      {
        eas: await protocol.eas.getAddress(),
        reviewResolver: await protocol.reviewResolver.getAddress(),
        provenanceResolver: await protocol.provenanceResolver.getAddress(),
      },
      s.customer,
    );
    await attestReview(attestations, s.customer, {
      modelId: 1n,
      licenceId: 1n,
      rating: 5,
      text: "Accurate and fast to download.",
      reviewURI: "",
    });

    // builder buys the derivative licence (licence 2) and registers Vision-7B-Tiny as a derivative of Vision-7B.
    await mined(licenses.connect(s.builder).purchase(1n, 2n, s.builder.address, price, { value: price }));
    await register(4n, "tiny", [{ account: s.builder.address, amount: 100n }]);
    await registerDerivative(lineage, s.builder, 4n, [2n]);

    // The unlock window passes: holders can claim, contributors can release.
    await networkHelpers.time.increase(DAY + 3600n);

    // An Active proposal on Vision-7B: member proposes and votes For; consortium has not voted.
    const pending = await setUnlockWindow({
      vault,
      modelId: 1n,
      seconds: 2n * DAY,
      description: "Unlock Vision-7B's holder revenue over two days",
    });
    await mined(
      vision.governor
        .connect(s.member)
        .propose(pending.targets, pending.values, pending.calldatas, pending.description),
    );
    const proposalId = await vision.governor.getProposalId(
      pending.targets,
      pending.values,
      pending.calldatas,
      descriptionHash(pending),
    );
    await networkHelpers.time.increaseTo((await vision.governor.proposalSnapshot(proposalId)) + 1n);
    await mined(vision.governor.connect(s.member).castVote(proposalId, 1));

    return {
      chainId,
      deployment,
      head: await ethers.provider.getBlockNumber(),
      addresses: Object.fromEntries(Object.entries(s).map(([role, signer]) => [role, signer.address])) as Record<
        Role,
        string
      >,
      models: [
        { id: 1, name: CARDS.vision.name, metadataURI: v2.metadataURI },
        { id: 2, name: CARDS.speech.name, metadataURI: published.speech.metadataURI },
        { id: 3, name: CARDS.climate.name, metadataURI: published.climate.metadataURI },
        { id: 4, name: CARDS.tiny.name, metadataURI: published.tiny.metadataURI },
      ],
      activeProposal: { modelId: 1, proposalId: proposalId.toString(), description: pending.description },
      raise: { id: 1, modelId: 2, price: raisePrice.toString() },
      offers: { licence: 1, derivative: 2, price: price.toString() },
      holds: {
        deployer: "protocol admin; Vision-7B's usage operator",
        consortium:
          "600/1000 Vision-7B fractions (votes self-delegated), 70/100 Speech-1B, 100/1000 Climate-3B; claimable " +
          "ETH revenue on Vision-7B; has not voted on Vision-7B's Active proposal",
        member: "400/1000 Vision-7B, 30/100 Speech-1B, 900/1000 Climate-3B; proposed and voted For the Active proposal",
        contributor: "Vision-7B contributor (3 of 4 shares): releasable ETH revenue; no fractions",
        coContributor: "Vision-7B contributor (1 of 4 shares): releasable ETH revenue; no fractions",
        licensee: "ETH only: no licence yet (Vision-7B's offer 1 costs 0.1 ETH)",
        backer: "ETH only: Speech-1B's raise 1 is open to back (0.01 ETH a fraction)",
        customer: "licence 1 on Vision-7B (offer 1), reviewed it on EAS; backed raise 1 with 5 fractions",
        builder: "licence 2 (derivative offer) on Vision-7B; all 100 fractions of its derivative Vision-7B-Tiny",
      },
    };
  } finally {
    await store.close();
  }
}
