/**
 * The Hardhat-free attestation client (client/attestations.ts) against a live protocol: the sdk deploys it with EAS
 * from its npm sources, then reviews and provenance are written and read back only through a plain ethers provider;
 * the schemas' encoding, UIDs and field checks agree with the resolvers'.
 */
import { expect } from "chai";
import { BrowserProvider, ZeroHash } from "ethers";
import hre from "hardhat";

import {
  attestAsEvaluator,
  attestReview,
  connectAttestations,
  decodeProvenance,
  decodeReview,
  encodeProvenance,
  encodeReview,
  provenanceOf,
  provenanceProblem,
  PROVENANCE_SCHEMA,
  reviewProblem,
  reviewsOf,
  REVIEW_SCHEMA,
  revocationRequest,
  schemaUID,
} from "../../client/index.js";
import { offerTerms, protocolWithModel, timelockSigner } from "../helpers/fixtures.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;
const MANIFEST = `0x${"5e".repeat(32)}`;

/** The protocol with one model selling ETH licences (offer 1); accounts 6 and 7 hold licences 1 and 2. */
async function fixture() {
  const f = await protocolWithModel(ethers);
  const timelock = await timelockSigner(connection, f.model.timelock);
  const modelId = f.model.modelId;
  await (await f.licenses.connect(timelock).addOffer(modelId, offerTerms())).wait();
  await (await f.vault.connect(timelock).setPaymentToken(modelId, ethers.ZeroAddress, true)).wait();
  for (const buyer of [f.signers[6], f.signers[7]]) {
    const price = offerTerms().price;
    await (await f.licenses.connect(buyer).purchase(modelId, 1n, buyer.address, price, { value: price })).wait();
  }
  await (await f.provenanceResolver.connect(timelock).setEvaluator(modelId, f.signers[9].address, true)).wait();
  return { ...f, modelId };
}

describe("client/attestations over a plain ethers provider", function () {
  it("the schemas and their UIDs are the resolvers' (each registered its own with EAS's registry)", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    expect(await f.reviewResolver.SCHEMA()).to.equal(REVIEW_SCHEMA);
    expect(await f.provenanceResolver.SCHEMA()).to.equal(PROVENANCE_SCHEMA);
    expect(schemaUID(REVIEW_SCHEMA, await f.reviewResolver.getAddress())).to.equal(f.reviewSchema);
    expect(schemaUID(PROVENANCE_SCHEMA, await f.provenanceResolver.getAddress())).to.equal(f.provenanceSchema);
    const record = await f.schemaRegistry.getSchema(f.reviewSchema);
    expect([record.schema, record.resolver, record.revocable]).to.deep.equal([
      REVIEW_SCHEMA,
      await f.reviewResolver.getAddress(),
      true,
    ]);
  });

  it("encodes and decodes both schemas, and checks their fields as the resolvers do", function () {
    const review = { modelId: 3n, licenceId: 9n, rating: 4, text: "Good.", reviewURI: "ipfs://r" };
    expect(decodeReview(encodeReview(review))).to.deep.equal(review);
    const provenance = { modelId: 3n, manifestHash: MANIFEST, kind: "evaluation", uri: "ipfs://e" };
    expect(decodeProvenance(encodeProvenance(provenance))).to.deep.equal(provenance);
    expect(reviewProblem(review)).to.equal(null);
    expect(reviewProblem({ ...review, rating: 0 })).to.deep.equal(["rating", "a whole number from 1 to 5, got 0"]);
    expect(reviewProblem({ ...review, text: "", reviewURI: "" })?.[0]).to.equal("text");
    expect(reviewProblem({ ...review, text: "x".repeat(2_000) })).to.equal(null);
    expect(reviewProblem({ ...review, text: "x".repeat(2_001) })?.[0]).to.equal("text");
    expect(provenanceProblem(provenance)).to.equal(null);
    expect(provenanceProblem({ ...provenance, manifestHash: ZeroHash })?.[0]).to.equal("manifest-hash");
    expect(provenanceProblem({ ...provenance, kind: "weights" })?.[0]).to.equal("kind");
  });

  it("a licensee reviews and an evaluator attests through plain ethers; both read back, revoked reviews marked", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const provider = new BrowserProvider(connection.provider);
    const addresses = {
      eas: await f.eas.getAddress(),
      reviewResolver: await f.reviewResolver.getAddress(),
      provenanceResolver: await f.provenanceResolver.getAddress(),
    };
    const c = connectAttestations(addresses, provider);
    expect([c.reviewSchema, c.provenanceSchema]).to.deep.equal([f.reviewSchema, f.provenanceSchema]);
    const [six, seven, nine] = await Promise.all([6, 7, 9].map((i) => provider.getSigner(i)));
    const first = await attestReview(c, six, {
      modelId: f.modelId,
      licenceId: 1n,
      rating: 2,
      text: "Slow.",
      reviewURI: "",
    });
    const second = await attestReview(c, seven, {
      modelId: f.modelId,
      licenceId: 2n,
      rating: 5,
      text: "",
      reviewURI: "ipfs://bafyreview",
    });
    await (await c.eas.connect(six).revoke(revocationRequest(c.reviewSchema, first))).wait();
    const listed = await reviewsOf(c, f.modelId);
    expect([listed.count, listed.average]).to.deep.equal([1, 5]);
    expect(listed.reviews.map((r) => [r.uid, r.licenceId, r.rating, r.attester, r.revoked])).to.deep.equal([
      [first, 1n, 2, six.address, true],
      [second, 2n, 5, seven.address, false],
    ]);
    expect(await c.reviews.reviewOf(1n)).to.equal(ZeroHash, "the revoked review freed licence 1");

    const attestation = { modelId: f.modelId, manifestHash: MANIFEST, kind: "training-data", uri: "ipfs://sources" };
    const uid = await attestAsEvaluator(c, nine, attestation);
    const provenance = await provenanceOf(c, f.modelId);
    expect(provenance).to.have.length(1);
    expect(provenance[0]).to.deep.include({ ...attestation, uid, attester: nine.address, revoked: false });
    expect(await reviewsOf(c, f.modelId + 1n)).to.deep.include({ count: 0, average: null, reviews: [] });
  });
});
