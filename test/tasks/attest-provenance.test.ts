/**
 * Provenance and evaluations through the tasks: `ws propose --action set-evaluator | attest-provenance |
 * revoke-provenance` (filed, decoded in plain words, and, passed by the members, doing what they said), and
 * `ws attest --manifest-hash ...` by an evaluator the treasury named; `ws reviews` lists them, the treasury's marked.
 * Bad input is one line naming the argument, exit 1, and nothing mined.
 */
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";
import hre from "hardhat";

import { attestProvenance, revokeProvenance, setEvaluator } from "../../governance/index.js";
import { attestSetup, type AttestSetup } from "./attest-setup.js";
import { expectRefused } from "./helpers.js";

const MANIFEST = `0x${"5e".repeat(32)}`;

describe("tasks: provenance and evaluations on EAS (attest, propose)", function () {
  let s: AttestSetup;
  let a: string[];
  let treasury: string;
  const refused = (task: string, args: Record<string, unknown>, message: string) =>
    expectRefused(s.run, task, args, `error: ${message}`);
  const propose = (action: string, args: Record<string, unknown>) =>
    s.run("propose", { modelId: "1", action, description: `${action} test`, signer: "1", ...args });
  const evaluation = { modelId: "1", manifestHash: MANIFEST, kind: "evaluation", uri: "ipfs://bafyevals" };

  before(async function () {
    s = await attestSetup(hre);
    a = s.accounts;
    const { ethers } = await hre.network.getOrCreate();
    const shares = await ethers.getContractAt("ModelShares", s.addresses.shares);
    treasury = await shares.treasuryOf(1n);
  });

  it("an account the treasury did not name is refused, with how evaluators are named", async function () {
    await refused(
      "attest",
      { ...evaluation, signer: "9" },
      `--signer: ${a[9]} is not an evaluator of model #1; its treasury names evaluators by vote (ws propose --action set-evaluator) and attests itself by vote (ws propose --action attest-provenance)`,
    );
  });

  it("set-evaluator is proposed in plain words; once passed, the evaluator attests and ws reviews lists it", async function () {
    const filed = s.ok(await propose("set-evaluator", { to: a[9] }));
    expect(filed.calls).to.deep.equal([
      {
        action: "set-evaluator",
        summary: `name ${a[9]} an evaluator of model #1: it may attest provenance and evaluations of the model's versions without a vote`,
        args: { modelId: "1", evaluator: a[9], allowed: true },
      },
    ]);
    const description = "name an evaluator";
    await s.pass(
      1n,
      await setEvaluator({ provenance: s.provenance, modelId: 1n, evaluator: a[9], allowed: true, description }),
    );
    expect(await s.provenance.isEvaluator(1n, a[9])).to.equal(true);
    const attested = s.ok(await s.run("attest", { ...evaluation, signer: "9" }));
    expect(attested).to.deep.include({
      modelId: "1",
      manifestHash: MANIFEST,
      kind: "evaluation",
      uri: "ipfs://bafyevals",
      attester: a[9],
      schema: s.provenanceSchema,
    });
    const listed = s.ok(await s.run("reviews", { modelId: "1" }));
    expect(listed.provenance).to.have.length(1);
    expect(listed.provenance[0]).to.deep.include({
      uid: attested.uid,
      attester: a[9],
      byTreasury: false,
      revoked: false,
    });
    // An evaluator of model 1 is not one of model 2.
    await refused(
      "attest",
      { ...evaluation, modelId: "2", signer: "9" },
      `--signer: ${a[9]} is not an evaluator of model #2; its treasury names evaluators by vote (ws propose --action set-evaluator) and attests itself by vote (ws propose --action attest-provenance)`,
    );
  });

  it("attest-provenance and revoke-provenance: the treasury attests and revokes by vote", async function () {
    const card = { manifestHash: MANIFEST, kind: "model-card", uri: "ipfs://bafycard" };
    const filed = s.ok(await propose("attest-provenance", card));
    expect(filed.calls).to.have.length(1);
    expect(filed.calls[0]).to.deep.equal({
      action: "attest-provenance",
      summary: `attest on EAS, as the treasury, to the signed model card of model #1's version ${MANIFEST} at ipfs://bafycard (revocable by vote)`,
      args: { modelId: "1", manifestHash: MANIFEST, kind: "model-card", uri: "ipfs://bafycard", revocable: true },
    });
    const description = "attest the model card";
    const attestation = { modelId: 1n, ...card };
    await s.pass(
      1n,
      await attestProvenance({ eas: s.eas, provenanceSchema: s.provenanceSchema, attestation, description }),
    );
    const listed = s.ok(await s.run("reviews", { modelId: "1" }));
    const byTreasury = listed.provenance.find((p: { byTreasury: boolean }) => p.byTreasury);
    expect(byTreasury).to.deep.include({
      attester: treasury,
      kind: "model-card",
      uri: "ipfs://bafycard",
      revoked: false,
    });

    const revoking = s.ok(await propose("revoke-provenance", { uid: byTreasury.uid }));
    expect(revoking.calls[0]).to.deep.equal({
      action: "revoke-provenance",
      summary: `revoke the treasury's provenance attestation ${byTreasury.uid} on EAS`,
      args: { uid: byTreasury.uid },
    });
    await s.pass(
      1n,
      await revokeProvenance({
        eas: s.eas,
        provenanceSchema: s.provenanceSchema,
        uid: byTreasury.uid,
        description: "revoke the model card",
      }),
    );
    const after = s.ok(await s.run("reviews", { modelId: "1" }));
    expect(after.provenance.find((p: { uid: string }) => p.uid === byTreasury.uid).revoked).to.equal(true);
    await refused(
      "propose",
      { modelId: "1", action: "revoke-provenance", uid: byTreasury.uid, description: "again", signer: "1" },
      `--uid: provenance attestation ${byTreasury.uid} is revoked already`,
    );
  });

  it("refuses bad provenance fields in ws attest and ws propose, before sending", async function () {
    for (const task of ["attest", "propose"]) {
      const base =
        task === "attest"
          ? { ...evaluation, signer: "9" }
          : { ...evaluation, action: "attest-provenance", description: "x", signer: "1" };
      await refused(
        task,
        { ...base, kind: "weights" },
        '--kind: expected one of training-data, evaluation, model-card, got "weights"',
      );
      await refused(
        task,
        { ...base, manifestHash: "0x12" },
        "--manifest-hash: expected the model version's manifest hash (32 bytes, 0x…, not zero), got 0x12",
      );
      await refused(
        task,
        { ...base, manifestHash: ZeroHash },
        `--manifest-hash: expected the model version's manifest hash (32 bytes, 0x…, not zero), got ${ZeroHash}`,
      );
      await refused(
        task,
        { ...base, uri: "" },
        "--uri: expected where the evidence is (training data sources, evaluation results, model card)",
      );
      await refused(task, { ...base, uri: `ipfs://${"x".repeat(506)}` }, "--uri: expected at most 512 bytes, got 513");
    }
  });

  it("refuses set-evaluator without an evaluator, the zero address, and one that changes nothing", async function () {
    const base = { modelId: "1", action: "set-evaluator", description: "x", signer: "1" };
    await refused("propose", base, "--to: expected the evaluator to name (or to drop, with --remove)");
    await refused("propose", { ...base, to: ZeroAddress }, "--to: the zero address cannot be an evaluator");
    await refused(
      "propose",
      { ...base, to: a[9] },
      `--to: ${a[9]} is already an evaluator of model #1; this changes nothing; pass --force to send it anyway`,
    );
    await refused(
      "propose",
      { ...base, to: a[8], remove: true },
      `--to: ${a[8]} is not an evaluator of model #1; this changes nothing; pass --force to send it anyway`,
    );
    const dropping = s.ok(await propose("set-evaluator", { to: a[9], remove: true }));
    expect(dropping.calls[0].args).to.deep.equal({ modelId: "1", evaluator: a[9], allowed: false });
  });

  it("refuses to revoke by vote what the treasury did not attest, or what is not provenance", async function () {
    const listed = s.ok(await s.run("reviews", { modelId: "1" }));
    const byEvaluator = listed.provenance.find((p: { byTreasury: boolean }) => !p.byTreasury).uid;
    const base = { modelId: "1", action: "revoke-provenance", description: "x", signer: "1" };
    await refused(
      "propose",
      { ...base, uid: byEvaluator },
      `--uid: provenance attestation ${byEvaluator} was made by ${a[9]}, not by the treasury of model #1 (${treasury}); only its attester revokes it`,
    );
    await s.buy(1n, 6);
    const review = s.ok(
      await s.run("attest", { modelId: "1", licenceId: "1", rating: "5", text: "Good.", signer: "6" }),
    );
    await refused(
      "propose",
      { ...base, uid: review.uid },
      `--uid: attestation ${review.uid} is not a provenance attestation, it is a review`,
    );
    await refused(
      "revoke-review",
      { uid: byEvaluator, signer: "9" },
      `--uid: attestation ${byEvaluator} is not a review, it is a provenance attestation`,
    );
  });
});
