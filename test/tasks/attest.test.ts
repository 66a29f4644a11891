/**
 * Reviews through the tasks: `ws attest` (a licensee reviews a model, one review per licence, an expired licence
 * still counts), `ws reviews` (the reviews from EAS with revoked ones marked, and the average of the rest) and
 * `ws revoke-review` (its author only; the licence may then review again). Every bad input is one line naming the
 * argument, exit 1, and nothing mined.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { attestSetup, type AttestSetup } from "./attest-setup.js";
import { expectRefused, runTask } from "./helpers.js";

describe("tasks: attest, reviews, revoke-review (reviews on EAS)", function () {
  let s: AttestSetup;
  let a: string[];
  /** Licences: #1 (account 6), #2 (account 7), #3 (account 8) of model 1; #4 (account 6) of model 2. */
  const refused = (task: string, args: Record<string, unknown>, message: string) =>
    expectRefused(s.run, task, args, `error: ${message}`);

  before(async function () {
    s = await attestSetup(hre);
    a = s.accounts;
    expect([await s.buy(1n, 6), await s.buy(1n, 7), await s.buy(1n, 8), await s.buy(2n, 6)]).to.deep.equal([
      1n,
      2n,
      3n,
      4n,
    ]);
  });

  it("a licensee reviews a model; ws reviews lists each review and the average", async function () {
    const first = s.ok(
      await s.run("attest", { modelId: "1", licenceId: "1", rating: "4", text: "Solid on Welsh.", signer: "6" }),
    );
    expect(first).to.deep.include({
      modelId: "1",
      licenceId: "1",
      rating: 4,
      text: "Solid on Welsh.",
      reviewURI: "",
      attester: a[6],
      schema: s.reviewSchema,
    });
    const onEas = await s.eas.getAttestation(first.uid);
    expect([onEas.attester, onEas.schema, onEas.revocable]).to.deep.equal([a[6], s.reviewSchema, true]);
    const second = s.ok(
      await s.run("attest", { modelId: "1", licenceId: "2", rating: "5", reviewUri: "ipfs://bafyreview", signer: "7" }),
    );
    const listed = s.ok(await s.run("reviews", { modelId: "1" }));
    expect([listed.count, listed.average]).to.deep.equal([2, 4.5]);
    expect(
      listed.reviews.map((r: Record<string, unknown>) => [r.uid, r.licenceId, r.rating, r.attester, r.revoked]),
    ).to.deep.equal([
      [first.uid, "1", 4, a[6], false],
      [second.uid, "2", 5, a[7], false],
    ]);
    expect(listed.reviews[1].reviewURI).to.equal("ipfs://bafyreview");
    // Reviews are per model: model 2 has none.
    expect(s.ok(await s.run("reviews", { modelId: "2" }))).to.deep.include({ count: 0, average: null, reviews: [] });
    const text = await runTask(hre, "reviews", { deployment: s.deployment, modelId: "1" });
    expect(text.stdout).to.match(/^model #1: 2 reviews, average 4\.5\/5\n {2}4\/5 licence #1 by 0x/);
    expect(text.stdout).to.include(`: "Solid on Welsh."\n    uid ${first.uid}`);
    expect(text.stdout).to.include("(ipfs://bafyreview)");
  });

  it("refuses a second review from the same licence, naming how to free it", async function () {
    const uid = (await s.run("reviews", { modelId: "1" }).then((r) => s.ok(r))).reviews[1].uid;
    await refused(
      "attest",
      { modelId: "1", licenceId: "2", rating: "1", text: "Changed my mind.", signer: "7" },
      `--licence-id: licence #2 has a review already (${uid}, by ${a[7]}); one review per licence: revoke it first with ws revoke-review --uid ${uid}`,
    );
  });

  it("refuses a review by an account that does not hold the licence, or of another model", async function () {
    await refused(
      "attest",
      { modelId: "1", licenceId: "3", rating: "1", text: "Never used it.", signer: "9" },
      `--signer: ${a[9]} does not hold licence #3 (${a[8]} does)`,
    );
    await refused(
      "attest",
      { modelId: "2", licenceId: "3", rating: "5", text: "Wrong model.", signer: "8" },
      "--licence-id: licence #3 is a licence of model #1, not of #2",
    );
    await refused(
      "attest",
      { modelId: "1", licenceId: "99", rating: "5", text: "?", signer: "8" },
      "--licence-id: expected an existing licence id, got 99",
    );
  });

  it("refuses a rating outside 1..5, an empty review and one too long, before sending", async function () {
    const base = { modelId: "1", licenceId: "3", text: "ok", signer: "8" };
    for (const rating of ["0", "6", "4.5", "five"]) {
      await refused("attest", { ...base, rating }, `--rating: expected a whole number from 1 to 5, got "${rating}"`);
    }
    await refused("attest", { ...base, rating: "" }, "--rating: expected a whole number from 1 to 5");
    await refused(
      "attest",
      { ...base, rating: "3", text: "" },
      "--text: expected the review's text, or --review-uri for a review document",
    );
    await refused(
      "attest",
      { ...base, rating: "3", text: "é".repeat(1_001) },
      "--text: expected at most 2000 bytes (a longer review belongs in a document), got 2002",
    );
    await refused(
      "attest",
      { ...base, rating: "3", reviewUri: `ipfs://${"x".repeat(506)}` },
      "--review-uri: expected at most 512 bytes, got 513",
    );
  });

  it("refuses a review mixed with provenance options, or neither, and a missing model", async function () {
    await refused(
      "attest",
      { modelId: "1", licenceId: "3", rating: "3", text: "ok", kind: "evaluation", signer: "8" },
      "--manifest-hash: a review (--licence-id, --rating, --text, --review-uri) and a provenance attestation (--manifest-hash, --kind, --uri) are separate attestations; give the options of one",
    );
    await refused(
      "attest",
      { modelId: "1" },
      "--licence-id: expected a review (--licence-id L --rating 1-5 --text T) or a provenance attestation (--manifest-hash 0x… --kind K --uri U)",
    );
    await refused(
      "attest",
      { licenceId: "3", rating: "3", text: "ok", signer: "8" },
      "--model-id: expected the model the attestation is about",
    );
    await refused("reviews", { modelId: "" }, "--model-id: expected the model whose reviews to list");
    await refused("reviews", { modelId: "7" }, "--model-id: expected an existing model id (1..2), got 7");
  });

  it("an expired licence still reviews: its owner paid for what it reviews", async function () {
    const { networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.time.increase(31 * 86_400);
    const licences = await hre.network
      .getOrCreate()
      .then(({ ethers }) => ethers.getContractAt("LicenseManager", s.addresses.licenses));
    expect(await licences.isLive(3n)).to.equal(false);
    const r = s.ok(await s.run("attest", { modelId: "1", licenceId: "3", rating: "2", text: "Lapsed.", signer: "8" }));
    expect(r.licenceId).to.equal("3");
  });

  it("revoke-review: only its author revokes; the review is marked, leaves the average, and frees the licence", async function () {
    const before = s.ok(await s.run("reviews", { modelId: "1" }));
    const mine = before.reviews[0].uid;
    await refused(
      "revoke-review",
      { uid: mine, signer: "7" },
      `--signer: ${a[7]} did not write review ${mine} (${a[6]} did); only its author revokes it`,
    );
    const revoked = s.ok(await s.run("revoke-review", { uid: mine, signer: "6" }));
    expect(revoked).to.deep.include({ uid: mine, modelId: "1", licenceId: "1", rating: 4, licenceFree: true });
    const after = s.ok(await s.run("reviews", { modelId: "1" }));
    expect([after.count, after.average]).to.deep.equal([2, 3.5]);
    expect(after.reviews.map((r: { revoked: boolean }) => r.revoked)).to.deep.equal([true, false, false]);
    const text = (await runTask(hre, "reviews", { deployment: s.deployment, modelId: "1" })).stdout;
    expect(text.split("\n")[0]).to.equal("model #1: 2 reviews, average 3.5/5 (1 revoked, not counted)");
    expect(text).to.match(/4\/5 licence #1 by 0x[0-9a-fA-F]{40} at [^\n]+ \[revoked /);
    await refused("revoke-review", { uid: mine, signer: "6" }, `--uid: review ${mine} is revoked already`);
    // The licence reviews again.
    const again = s.ok(
      await s.run("attest", { modelId: "1", licenceId: "1", rating: "5", text: "Fairer now.", signer: "6" }),
    );
    expect(again.uid).to.not.equal(mine);
  });

  it("revoke-review refuses a malformed or unknown UID, and one that is not a review", async function () {
    await refused("revoke-review", { uid: "" }, "--uid: expected the attestation's UID (32 bytes, 0x…)");
    await refused(
      "revoke-review",
      { uid: "0x1234" },
      '--uid: expected an attestation UID (32 bytes, 0x followed by 64 hex digits), got "0x1234"',
    );
    const unknown = `0x${"ab".repeat(32)}`;
    await refused("revoke-review", { uid: unknown }, `--uid: EAS has no attestation ${unknown}`);
  });

  it("refuses the attestation tasks on a deployment recorded before attestations", async function () {
    const { eas, schemaRegistry, reviewResolver, provenanceResolver, ...before15 } = s.addresses;
    void [eas, schemaRegistry, reviewResolver, provenanceResolver];
    const file = path.join(path.dirname(s.deployment), "before-15.json");
    writeFileSync(file, JSON.stringify(before15));
    const message =
      'error: --deployment: expected "eas", "reviewResolver" and "provenanceResolver" addresses (EAS and the resolvers, deployed with the protocol since attestations were added); this deployment lacks them';
    const run = (task: string, args: Record<string, unknown>) => runTask(hre, task, { json: true, ...args });
    await expectRefused(run, "reviews", { deployment: file, modelId: "1" }, message);
    await expectRefused(
      run,
      "attest",
      { deployment: file, modelId: "1", licenceId: "3", rating: "3", text: "ok", signer: "8" },
      message,
    );
  });
});
