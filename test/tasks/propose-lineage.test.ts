/**
 * `ws propose --action register-derivative`: a model's treasury registers the model as a derivative by vote, through
 * a derivative licence bought for it (`ws buy --recipient TREASURY`). Every check the lineage registry makes is made
 * first with the treasury as holder and registrant, refused in one line with nothing filed; the proposal that passes
 * through the model's real Governor (proposed, voted, queued and executed with the tasks) registers the model with
 * the treasury as registrant, and `ws proposal` reads it in words.
 */
import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import hre from "hardhat";

import { addOffer, combine, setPaymentToken } from "../../governance/index.js";
import type { IModelLineage } from "../../types/ethers-contracts/index.js";
import { deploymentFile, expectRefused, runTask, type RunTask } from "./helpers.js";
import { moneySetup, unmeteredTerms as terms, type MoneySetup } from "./money-setup.js";

describe("ws propose --action register-derivative: a treasury registers its model as a derivative by vote", function () {
  this.timeout(300_000);
  let s: MoneySetup;
  let a: string[];
  let run: RunTask;
  let lineage: IModelLineage;
  /** The treasury (timelock) of model #2, the fine-tune. */
  let treasury: string;
  /** Licences of Vision-7B: a derivative one and a plain one bought for the treasury, a derivative one for account 0. */
  const L = { treasury: "1", plain: "2", mine: "3" };
  let count = 0;
  /** `ws propose` on model #2 by account 1 (a holder), with `args`. */
  const propose = (args: Record<string, unknown>) =>
    run("propose", {
      modelId: "2",
      action: "register-derivative",
      description: `register the fine-tune ${++count}`,
      signer: "1",
      ...args,
    });
  const refused = (args: Record<string, unknown>, message: string) =>
    expectRefused((_, a) => propose(a), "propose", args, `error: ${message}`);

  before(async function () {
    s = await moneySetup(hre);
    a = s.accounts;
    run = (name, args) => runTask(hre, name, { deployment: s.deployment, json: true, ...args });
    const { ethers } = await hre.network.getOrCreate();
    lineage = await ethers.getContractAt("IModelLineage", s.addresses.lineage);
    const vault = await ethers.getContractAt("RevenueVault", s.addresses.vault);
    const licenses = await ethers.getContractAt("LicenseManager", s.addresses.licenses);
    expect(await s.register("Vision-7B")).to.equal(1n);
    const description = "Vision-7B sells a derivative licence taking 10%, and a plain one";
    await s.pass(
      1n,
      combine(description, [
        await setPaymentToken({ vault, modelId: 1n, token: ZeroAddress, allowed: true, description }),
        await addOffer({
          licenses,
          modelId: 1n,
          terms: terms({ derivativesAllowed: true, parentShareBps: 1000n, minDerivativePrice: parseEther("0.05") }),
          description,
        }),
        await addOffer({ licenses, modelId: 1n, terms: terms({}), description }),
      ]),
    );
    expect(await s.register("Vision-ft")).to.equal(2n);
    treasury = s.ok(await run("model", { modelId: "2" })).timelock;
    // The licences a treasury registers through are bought for it: LicenseManager.purchase(..., recipient, ...).
    const buy = async (offerId: string, recipient: string) =>
      s.ok(await run("buy", { modelId: "1", offerId, maxPrice: "0.1", recipient })).licenceId;
    expect([await buy("1", treasury), await buy("2", treasury), await buy("1", a[0])]).to.deep.equal(Object.values(L));
  });

  it("refuses what the registry would refuse of the treasury, in one line, filing nothing", async function () {
    await refused(
      {},
      `--licences: expected the derivative licences the treasury of model #2 holds, one per parent, comma-separated, e.g. 3,4 (ws licences --account ${treasury} lists them)`,
    );
    await refused({ licences: "1,1" }, "--licences: expected each licence once; #1 is named twice");
    await refused(
      { licences: L.mine },
      `--licences: expected licences the treasury of model #2 holds; licence #${L.mine} is held by ${a[0]}`,
    );
    await refused(
      { licences: L.plain },
      `--licences: expected derivative licences; licence #${L.plain} (model #1, offer 2) does not allow derivatives`,
    );
    await refused({ licences: "99" }, "--licences: expected existing licences; there is no licence #99");
    await refused(
      { licences: L.treasury, modelId: "1" },
      "--model-id: expected a new model that publishes no licence offer yet; model #1 has 2 (its parents would miss what it earned before)",
    );
    // A deployment record from before derivative models has no lineage registry to call.
    const { lineage: _, ...before } = s.addresses;
    void _;
    await refused(
      { licences: L.treasury, deployment: deploymentFile(before) },
      '--deployment: expected a "lineage" address (the ModelLineage registry, deployed with the protocol since derivative models were added); this deployment has none',
    );
    expect(await lineage.parentsOf(2n)).to.deep.equal([]);
  });

  it("files it, passes it through the Governor, and the model is a derivative registered by its treasury", async function () {
    const { networkHelpers } = await hre.network.getOrCreate();
    const p = s.ok(await propose({ licences: L.treasury }));
    expect(p.action).to.equal("register-derivative");
    expect(p.calls).to.deep.equal([
      {
        action: "register-derivative",
        summary: "register model #2 as a derivative through licence 1",
        args: { modelId: "2", licenceIds: ["1"] },
      },
    ]);
    const shown = await runTask(hre, "proposal", { deployment: s.deployment, modelId: "2", proposalId: p.proposalId });
    expect(shown.stdout).to.include("register-derivative: register model #2 as a derivative through licence 1");

    await networkHelpers.time.increaseTo(BigInt(p.snapshot) + 1n);
    for (const signer of ["1", "2"]) {
      s.ok(await run("vote", { modelId: "2", proposalId: p.proposalId, support: "for", signer }));
    }
    await networkHelpers.time.increaseTo(BigInt(p.deadline) + 1n);
    const q = s.ok(await run("queue", { modelId: "2", proposalId: p.proposalId }));
    await networkHelpers.time.increaseTo(BigInt(q.eta));
    s.ok(await run("execute", { modelId: "2", proposalId: p.proposalId }));

    const [registered] = await lineage.queryFilter(lineage.filters.DerivativeRegistered(2n));
    expect(registered.args.registrant).to.equal(treasury);
    expect(await lineage.derivativeOf(BigInt(L.treasury))).to.equal(2n);
    const out = s.ok(await run("model", { modelId: "2" }));
    expect(out.lineage).to.deep.include({
      parents: [{ modelId: "1", name: "Vision-7B", shareBps: "1000", share: "10%", licenceId: L.treasury }],
      parentShare: "10%",
      depth: "1",
    });
    expect(out.lineage.floor.formatted).to.equal("0.05 ETH");
    // Registered once: the same proposal again is refused before filing.
    await refused(
      { licences: L.treasury },
      "--model-id: expected a model not yet registered as a derivative; model #2 is one of #1",
    );
  });
});
