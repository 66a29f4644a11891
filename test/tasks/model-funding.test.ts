/**
 * `ws model` shows a model's raises, its treasury's sales of fractions, its reviews and its provenance attestations
 * (tasks/lib/model-funding.ts): the DAO opens an ETH raise in two tranches and a sale of treasury fractions, names
 * two evaluators and attests a model card by vote; a backer commits with `ws back`, a buyer buys with
 * `ws buy-fractions`, licensees review with `ws attest` (one review revoked, so not counted) and both evaluators
 * attest, then the DAO drops one of them. A deployment record from before raises and attestations shows none of it.
 */
import { expect } from "chai";
import { id, ZeroAddress, ZeroHash } from "ethers";
import hre from "hardhat";

import {
  attestProvenance,
  combine,
  issueFractions,
  openRaise,
  openSale,
  setEvaluator,
} from "../../governance/index.js";
import { attestSetup, type AttestSetup } from "./attest-setup.js";
import { deploymentFile, runTask } from "./helpers.js";

const MANIFEST = `0x${"5e".repeat(32)}`;
const DAY = 86_400n;

describe("ws model: raises, sales, reviews and provenance", function () {
  this.timeout(300_000);
  let s: AttestSetup;
  let a: string[];
  let treasury: string;
  const text = async (args: Record<string, unknown>) => {
    const r = await runTask(hre, "model", { deployment: s.deployment, ...args });
    expect(r.exitCode, r.stderr).to.equal(0);
    return r.stdout.split("\n");
  };

  before(async function () {
    s = await attestSetup(hre);
    a = s.accounts;
    const { ethers } = await hre.network.getOrCreate();
    const shares = await ethers.getContractAt("ModelShares", s.addresses.shares);
    const raises = await ethers.getContractAt("Raises", s.addresses.raises);
    const sales = await ethers.getContractAt("FractionSales", s.addresses.sales);
    treasury = await shares.treasuryOf(1n);
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const description = "fund model 1 and vouch for its card";
    const raiseTerms = {
      modelId: 1n,
      token: ZeroAddress,
      price: 10n ** 16n,
      goal: 100n,
      cap: 200n,
      accountCap: 0n,
      opensAt: now,
      closesAt: now + 30n * DAY,
      allowlistRoot: ZeroHash,
      termsHash: id("raise terms"),
      termsURI: "ipfs://raise-terms",
      tranches: [5000n, 5000n],
      seatPrice: 0n,
      seats: 0n,
      accessDeadline: 0n,
    };
    const saleTerms = {
      modelId: 1n,
      token: ZeroAddress,
      startPrice: 2n * 10n ** 16n,
      endPrice: 2n * 10n ** 16n,
      amount: 50n,
      startsAt: now,
      endsAt: now + 30n * DAY,
    };
    const card = { modelId: 1n, manifestHash: MANIFEST, kind: "model-card", uri: "ipfs://bafycard" };
    await s.pass(
      1n,
      combine(description, [
        await openRaise({ shares, raises, terms: raiseTerms, description }),
        await issueFractions({ shares, modelId: 1n, to: treasury, amount: 100n, description }),
        await openSale({ shares, sales, terms: saleTerms, description }),
        await setEvaluator({ provenance: s.provenance, modelId: 1n, evaluator: a[9], allowed: true, description }),
        await setEvaluator({ provenance: s.provenance, modelId: 1n, evaluator: a[10], allowed: true, description }),
        await attestProvenance({ eas: s.eas, provenanceSchema: s.provenanceSchema, attestation: card, description }),
      ]),
    );
    s.ok(await s.run("back", { raiseId: "1", fractions: "60", signer: "4" }));
    s.ok(await s.run("buy-fractions", { saleId: "1", amount: "5", maxPrice: "0.02", signer: "5" }));
    for (const [licenceId, rating, signer] of [
      [await s.buy(1n, 6), "4", "6"],
      [await s.buy(1n, 7), "2", "7"],
      [await s.buy(1n, 8), "5", "8"],
    ]) {
      s.ok(await s.run("attest", { modelId: "1", licenceId: String(licenceId), rating, text: "ok", signer }));
    }
    // The third review is revoked by its author: it is not counted.
    const listed = s.ok(await s.run("reviews", { modelId: "1" }));
    s.ok(await s.run("revoke-review", { uid: listed.reviews[2].uid, signer: "8" }));
    const evaluation = { modelId: "1", manifestHash: MANIFEST, kind: "evaluation" };
    s.ok(await s.run("attest", { ...evaluation, uri: "ipfs://bafyevals-9", signer: "9" }));
    s.ok(await s.run("attest", { ...evaluation, uri: "ipfs://bafyevals-10", signer: "10" }));
    const drop = "drop evaluator 9";
    await s.pass(
      1n,
      await setEvaluator({ provenance: s.provenance, modelId: 1n, evaluator: a[9], allowed: false, description: drop }),
    );
  });

  it("--json: the raises, sales, review count and average, and each attester's standing", async function () {
    const out = s.ok(await s.run("model", { modelId: "1" }));
    const eth = { token: ZeroAddress, symbol: "ETH", decimals: 18 };
    expect(out.raises).to.deep.equal([
      {
        raiseId: "1",
        status: "Open",
        token: ZeroAddress,
        symbol: "ETH",
        committed: "60",
        goal: "100",
        cap: "200",
        raised: { ...eth, amount: "600000000000000000", formatted: "0.6 ETH" },
        released: { ...eth, amount: "0", formatted: "0 ETH" },
        tranchesReleased: "0",
        trancheCount: 2,
      },
    ]);
    expect(out.sales).to.deep.equal([
      {
        saleId: "1",
        status: "Active",
        token: ZeroAddress,
        symbol: "ETH",
        price: { ...eth, amount: "20000000000000000", formatted: "0.02 ETH" },
        sold: "5",
        amount: "50",
      },
    ]);
    expect(out.reviews).to.deep.equal({ count: 2, average: 3 });
    expect(
      out.provenance.map((p: Record<string, unknown>) => [p.kind, p.uri, p.attester, p.byTreasury, p.isEvaluator]),
    ).to.deep.equal([
      ["model-card", "ipfs://bafycard", treasury, true, false],
      ["evaluation", "ipfs://bafyevals-9", a[9], false, false],
      ["evaluation", "ipfs://bafyevals-10", a[10], false, true],
    ]);
    expect(out.provenance[0]).to.deep.include({ manifestHash: MANIFEST, revoked: false });
  });

  it("says it in text, flagging an attester no longer an evaluator", async function () {
    const lines = await text({ modelId: "1" });
    const all = lines.join("\n");
    expect(
      lines.some((l) => /^\s*1\s+Open\s+ETH\s+60 \/ 100 \/ 200\s+0\.6 ETH\s+0 of 2 \(0 ETH\)\s*$/.test(l)),
      all,
    ).to.equal(true);
    expect(
      lines.some((l) => /^\s*1\s+Active\s+0\.02 ETH\s+5 \/ 50\s*$/.test(l)),
      all,
    ).to.equal(true);
    expect(lines).to.include("2 reviews, average rating 3/5");
    const card = lines.findIndex((l) => l === "provenance attestations:");
    expect(card, all).to.be.greaterThan(-1);
    expect(lines[card + 1]).to.match(
      /^ {2}model-card of version 0x5e5e…5e5e at ipfs:\/\/bafycard by the treasury, \S+/,
    );
    expect(lines[card + 2]).to.match(
      new RegExp(
        `^ {2}evaluation of version 0x5e5e…5e5e at ipfs://bafyevals-9 by ${a[9]} \\(no longer an evaluator\\), `,
      ),
    );
    expect(lines[card + 3]).to.match(
      new RegExp(`^ {2}evaluation of version 0x5e5e…5e5e at ipfs://bafyevals-10 by evaluator ${a[10]}, `),
    );
  });

  it("a model with none of them says so", async function () {
    const out = s.ok(await s.run("model", { modelId: "2" }));
    expect([out.raises, out.sales, out.reviews, out.provenance]).to.deep.equal([
      [],
      [],
      { count: 0, average: null },
      [],
    ]);
    const lines = await text({ modelId: "2" });
    for (const line of ["no raises", "no sales of treasury fractions", "no reviews", "no provenance attestations"]) {
      expect(lines).to.include(line);
    }
  });

  it("a deployment record without raises, sales or attestations shows none of them, without an error", async function () {
    // What a deployment made before raises and attestations were added records.
    const { shares, registry, vault, licenses, meter, adminTimelock, multicall } = s.addresses;
    const deployment = deploymentFile({ shares, registry, vault, licenses, meter, adminTimelock, multicall });
    const r = await runTask(hre, "model", { deployment, modelId: "1", json: true });
    expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
    const out = JSON.parse(r.stdout);
    expect(out.modelId).to.equal("1");
    for (const key of ["raises", "sales", "reviews", "provenance"]) expect(out).to.not.have.property(key);
    const shown = await runTask(hre, "model", { deployment, modelId: "1" });
    expect(shown.exitCode, shown.stderr).to.equal(0);
    expect(shown.stdout).to.not.match(/raise|sales|review|provenance/);
  });
});
