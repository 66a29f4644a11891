/**
 * Every refusal of the attestation contracts comes out of a task as a plain sentence, with the custom error and its
 * values kept in brackets (tasks/lib/errors.ts, attestation-errors.ts): each error of both resolvers, and the errors
 * of EAS and its SchemaRegistry a user can meet (they carry no values, so the sentence says what each means).
 */
import { expect } from "chai";
import { ErrorFragment, Interface } from "ethers";
import hre from "hardhat";

import { explain, phrased, protocolErrors } from "../../tasks/lib/errors.js";

function reverted(iface: Interface, name: string, args: unknown[]) {
  return { data: iface.encodeErrorResult(name, args) };
}

describe("tasks/lib/errors: refusals of attestations in plain words", function () {
  it("phrases every custom error of both resolvers, and EAS's", async function () {
    const names = new Set<string>();
    for (const contract of [
      "LicenseeReviewResolver",
      "ProvenanceResolver",
      "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS",
    ]) {
      const { abi } = await hre.artifacts.readArtifact(contract);
      for (const fragment of new Interface(abi).fragments) {
        if (fragment instanceof ErrorFragment) names.add(fragment.name);
      }
    }
    expect([...names]).to.include.members([
      "LicenseeReviewNotLicensee",
      "ProvenanceUnauthorizedAttester",
      "AccessDenied",
      "AlreadyRevoked",
    ]);
    // EAS's errors of features the tasks never use (delegated and off-chain attestations, signatures) stay raw.
    const unused = new Set([
      "AlreadyRevokedOffchain",
      "AlreadyTimestamped",
      "InvalidAttestations",
      "InvalidRevocations",
      "InvalidOffset",
      "InvalidRegistry",
      "InvalidVerifier",
      "WrongSchema",
      "DeadlineExpired",
      "InvalidSignature",
      "InvalidNonce",
      "InvalidLength",
      "InvalidShortString",
      "StringTooLong",
      "InvalidEAS",
    ]);
    expect([...names].filter((name) => !unused.has(name) && !phrased(name))).to.deep.equal([]);
  });

  it("keeps the values a user acts on", async function () {
    const errors = await protocolErrors(hre);
    const holder = "0x00000000000000000000000000000000000000B1";
    const other = "0x00000000000000000000000000000000000000b2";
    expect(explain(errors, reverted(errors, "LicenseeReviewNotLicensee", [other, 3n, holder]))).to.equal(
      `${other} does not hold licence #3 (${holder} does); only a licence's owner reviews with it [LicenseeReviewNotLicensee(${other}, 3, ${holder})]`,
    );
    expect(explain(errors, reverted(errors, "LicenseeReviewRatingOutOfRange", [6n, 1n, 5n]))).to.equal(
      "the rating must be from 1 to 5, got 6 [LicenseeReviewRatingOutOfRange(6, 1, 5)]",
    );
    expect(explain(errors, reverted(errors, "LicenseeReviewTooLong", [0n, 2001n, 2000n]))).to.equal(
      "the review's text is 2001 bytes; at most 2000 [LicenseeReviewTooLong(0, 2001, 2000)]",
    );
    expect(explain(errors, reverted(errors, "ProvenanceUnknownKind", ["weights"]))).to.equal(
      'the kind must be training-data, evaluation or model-card, got "weights" [ProvenanceUnknownKind(weights)]',
    );
    expect(explain(errors, reverted(errors, "AccessDenied", []))).to.equal(
      "EAS refused: only the attester may revoke an attestation (or a resolver was called by another contract than its EAS) [AccessDenied()]",
    );
  });
});
