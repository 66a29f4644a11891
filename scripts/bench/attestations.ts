/**
 * Attestations on EAS: a licensee's review through the review resolver (which reads the licence's model and owner
 * and records the review against the licence), its revocation, and an evaluator's provenance attestation; next to
 * the same attestation on EAS under a schema without a resolver (what EAS alone costs), measured in the same run.
 */
import { ZeroAddress } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import {
  attestationRequest,
  encodeProvenance,
  encodeReview,
  REVIEW_SCHEMA,
  revocationRequest,
} from "../../client/attestations.js";
import { defaultGovernance, deployProtocol, registerModel } from "../../sdk/index.js";
import { gasOf, row, type BenchRow } from "./types.js";

const DAY = 86_400n;

export async function benchAttestations(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, lab, buyer, evaluator] = await ethers.getSigners();
  const protocol = await deployProtocol(ethers, admin);
  const { licenses, eas, schemaRegistry, reviewSchema, provenanceSchema } = protocol;
  const model = await registerModel(ethers, protocol.registry, {
    name: "A",
    symbol: "A",
    contentHash: ethers.ZeroHash,
    metadataURI: "",
    members: [{ account: lab.address, amount: 1000n }],
    governance: defaultGovernance(),
  });
  const timelock = await model.timelock.getAddress();
  await networkHelpers.impersonateAccount(timelock);
  await networkHelpers.setBalance(timelock, 10n ** 18n);
  const asTimelock = await ethers.getSigner(timelock);
  await protocol.vault.connect(asTimelock).setPaymentToken(model.modelId, ZeroAddress, true);
  const price = 10n ** 16n;
  await licenses.connect(asTimelock).addOffer(model.modelId, {
    price,
    paymentToken: ZeroAddress,
    duration: 30n * DAY,
    credits: 0n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://terms",
    termsHash: ethers.id("terms"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
  });
  await protocol.provenanceResolver.connect(asTimelock).setEvaluator(model.modelId, evaluator.address, true);
  await networkHelpers.stopImpersonatingAccount(timelock);
  for (let i = 0; i < 2; ++i) {
    await licenses.connect(buyer).purchase(model.modelId, 1n, buyer.address, price, { value: price });
  }
  // The same review schema without a resolver: what EAS itself costs for the same data.
  const plainSchema = await schemaRegistry.register.staticCall(REVIEW_SCHEMA, ZeroAddress, true);
  await (await schemaRegistry.register(REVIEW_SCHEMA, ZeroAddress, true)).wait();

  const review = (licenceId: bigint) =>
    encodeReview({
      modelId: model.modelId,
      licenceId,
      rating: 4,
      text: "Solid on Welsh, slow on long inputs.",
      reviewURI: "",
    });
  const baseline = await gasOf(eas.connect(buyer).attest(attestationRequest(plainSchema, review(2n))));
  const attested = await (await eas.connect(buyer).attest(attestationRequest(reviewSchema, review(1n)))).wait();
  const reviewGas = attested!.gasUsed;
  const uid = eas.interface.parseLog(attested!.logs.find((l) => l.address === (eas.target as string))!)!.args.uid;
  const revokeGas = await gasOf(eas.connect(buyer).revoke(revocationRequest(reviewSchema, uid)));
  const provenanceGas = await gasOf(
    eas.connect(evaluator).attest(
      attestationRequest(
        provenanceSchema,
        encodeProvenance({
          modelId: model.modelId,
          manifestHash: ethers.id("manifest"),
          kind: "evaluation",
          uri: "ipfs://evals",
        }),
      ),
    ),
  );
  return [
    row("attest a review (licensee, via the review resolver)", reviewGas, {
      name: "the same attestation on EAS without a resolver",
      gas: baseline,
    }),
    row("revoke a review (its author; frees the licence)", revokeGas),
    row("attest provenance (named evaluator)", provenanceGas),
  ];
}
