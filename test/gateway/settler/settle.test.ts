/**
 * The settler settles what the ledger says was served, on Hardhat's simulated chain: one `settle` per batch with one
 * receipt per licence, credits spent on chain equal to credits served, the ledger marked settled only once the
 * transaction is `confirmations` deep, batches of at most `maxLicences`, a receipt the chain refuses left out
 * without holding back the others, its metrics, and its loop's triggers (unsettled credits, interval).
 */
import { expect } from "chai";
import hre from "hardhat";
import type { Registry } from "prom-client";

import { measureSettleGas } from "../../../gateway/settler/batch.js";
import { defaultGovernance, registerModel } from "../../../sdk/index.js";
import { offerTerms, timelockSigner } from "../../helpers/fixtures.js";
import { receiptsOf } from "../../../gateway/settler/preflight.js";
import {
  CREDITS,
  operatorNonce,
  settledEvents,
  settledLicences,
  settlerChain,
  settlerWorld,
  type SettlerWorld,
} from "./fixture.js";

const connection = await hre.network.create();
const { networkHelpers } = connection;
const chain = () => settlerChain(connection);

/** Reads a metric's value (of one label set, when given). */
async function metric(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const values = (await registry.getSingleMetric(name)!.get()).values;
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
}

/** Polls `check` every 5 ms until it holds (at most `tries` times). */
async function until(check: () => Promise<boolean>, tries = 2_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("condition never held");
}

describe("gateway/settler: settling served usage on chain", function () {
  this.timeout(120_000);
  let world: SettlerWorld;

  beforeEach(async function () {
    world = await settlerWorld(connection, await networkHelpers.loadFixture(chain));
  });
  afterEach(async function () {
    await world?.close();
  });

  it("settles every licence's served credits in one batch, one receipt per licence", async function () {
    await world.serve(0, [3n, 4n, 5n]); // 12, three calls, three receipts (exact mode): one receipt settles
    await world.serve(1, [40n]);
    await world.serve(2, [1n, 1n]);
    await world.serve(2, [7n]); // a second, wider receipt for the same licence: still one line in the batch
    const settler = world.settler();
    const report = await settler.runOnce();

    expect(report.leader).to.equal(true);
    expect(report.batches).to.have.length(1);
    const [batch] = report.batches;
    expect(batch).to.include({ status: "confirmed", licences: 3 });
    expect(batch.gasUsed! > 0n).to.equal(true);
    const ids = await settledLicences(world, batch.txHash!);
    expect(ids).to.have.members(world.chain.licences.slice(0, 3));
    expect(new Set(ids).size).to.equal(ids.length, "one receipt per licence");
    const events = await settledEvents(world, batch.txHash!);
    expect(events.map((e) => [e.licenceId, e.charged])).to.have.deep.members([
      [world.chain.licences[0], 12n],
      [world.chain.licences[1], 40n],
      [world.chain.licences[2], 9n],
    ]);
    for (const [index, served] of [12n, 40n, 9n].entries()) {
      expect(await world.onChain(index)).to.deep.equal({ settled: served, credits: CREDITS - served });
      expect((await world.ledger.licence(world.chain.licences[index]))!.settled).to.equal(served);
    }
    expect(await world.onChain(3)).to.deep.equal({ settled: 0n, credits: CREDITS }, "nothing served, nothing charged");
    expect(await world.ledger.openBatches()).to.deep.equal([]);

    // Nothing left to settle: the next pass sends nothing; more usage settles only the difference.
    const nonce = await operatorNonce(world);
    expect((await settler.runOnce()).batches).to.deep.equal([]);
    expect(await operatorNonce(world)).to.equal(nonce);
    await world.serve(1, [10n]);
    const again = await settler.runOnce();
    expect(await settledEvents(world, again.batches[0].txHash!)).to.deep.equal([
      { licenceId: world.chain.licences[1], charged: 10n },
    ]);
    expect(await world.onChain(1)).to.deep.equal({ settled: 50n, credits: 50n });
  });

  it("marks the batch settled only once its transaction is `confirmations` blocks deep", async function () {
    await world.serve(0, [6n]);
    const settler = world.settler({ confirmations: 3 });
    const pass = settler.runOnce();
    await until(async () => (await world.ledger.openBatches())[0]?.status === "sent");
    const [sent] = await world.ledger.openBatches();
    expect(await world.onChain(0)).to.deep.include({ settled: 6n }, "mined");
    await networkHelpers.mine(1); // 2 deep
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await world.ledger.licence(world.chain.licences[0]))!.settled).to.equal(0n, "not settled at 2 blocks");
    expect((await world.ledger.openBatches()).map((b) => b.id)).to.deep.equal([sent.id]);
    await networkHelpers.mine(1); // 3 deep
    const report = await pass;
    expect(report.batches[0]).to.include({ status: "confirmed", txHash: sent.txHash });
    expect((await world.ledger.licence(world.chain.licences[0]))!.settled).to.equal(6n);
  });

  it("splits the due licences into batches of at most `maxLicences`", async function () {
    for (let i = 0; i < 10; i++) await world.serve(i, [BigInt(i + 1)]);
    const report = await world.settler({ maxLicences: 4 }).runOnce();
    expect(report.batches.map((b) => [b.status, b.licences])).to.deep.equal([
      ["confirmed", 4],
      ["confirmed", 4],
      ["confirmed", 2],
    ]);
    const all = (await Promise.all(report.batches.map((b) => settledLicences(world, b.txHash!)))).flat();
    expect(all).to.have.members(world.chain.licences);
    for (let i = 0; i < 10; i++) expect((await world.onChain(i)).settled).to.equal(BigInt(i + 1));
  });

  it("leaves out a receipt the chain refuses (signed by a non-holder) and settles the others in the same pass", async function () {
    const outsider = world.chain.protocol.outsider;
    await world.serve(0, [5n]);
    await world.serve(1, [10n], { signer: outsider });
    await world.serve(2, [7n]);
    const settler = world.settler();
    const report = await settler.runOnce();

    const bad = world.chain.licences[1];
    expect(report.batches.map((b) => [b.status, b.licences])).to.deep.equal([
      ["failed", 3],
      ["confirmed", 2],
    ]);
    expect(report.batches[0].quarantined).to.deep.equal([bad]);
    expect(report.batches[0].error).to.match(/UsageMeterSignerNotHolder\(1, /);
    expect(report.quarantined).to.deep.equal([bad]);
    expect(settler.quarantined()[0].reason).to.match(/^UsageMeterSignerNotHolder/);
    expect(world.logs.join("\n")).to.include(`licence ${bad}: left out of settlement batches`);
    expect(await settledLicences(world, report.batches[1].txHash!)).to.have.members([
      world.chain.licences[0],
      world.chain.licences[2],
    ]);
    expect(await world.onChain(0)).to.deep.include({ settled: 5n });
    expect(await world.onChain(1)).to.deep.equal({ settled: 0n, credits: CREDITS }, "the bad receipt charged nothing");
    expect(await world.onChain(2)).to.deep.include({ settled: 7n });
    // Still unsettled in the ledger, not forgotten; the next pass does not try it again while it is quarantined.
    expect((await world.ledger.stats(Date.now())).unsettledCredits).to.equal(10n);
    const nonce = await operatorNonce(world);
    expect((await settler.runOnce()).batches).to.deep.equal([]);
    expect(await operatorNonce(world)).to.equal(nonce);

    // The holder signs for the next calls: the licence's new receipt covers everything served, and settles.
    await world.serve(1, [15n], { cap: 30n });
    const after = await settler.runOnce();
    expect(after.batches.map((b) => b.status)).to.deep.equal(["confirmed"]);
    expect(after.quarantined).to.deep.equal([]);
    expect(await world.onChain(1)).to.deep.equal({ settled: 25n, credits: CREDITS - 25n });
  });

  it("leaves out every licence of a model this gateway does not operate, and settles the other model's", async function () {
    const { ethers } = connection;
    const p = world.chain.protocol;
    const audio = await registerModel(ethers, p.registry, {
      name: "Audio-1B",
      symbol: "wsAUD",
      contentHash: ethers.id("audio-1b weights v1"),
      metadataURI: "ipfs://audio-1b",
      members: [{ account: p.labA.address, amount: 1000n }],
      governance: defaultGovernance({}),
    });
    const timelock = await timelockSigner(connection, audio.timelock);
    await (await p.vault.connect(timelock).setPaymentToken(audio.modelId, ethers.ZeroAddress, true)).wait();
    await (await p.licenses.connect(timelock).addOffer(audio.modelId, offerTerms({ credits: CREDITS }))).wait();
    const holder = world.chain.licensees[3];
    const price = offerTerms().price;
    const licenceId = await p.licenses.connect(holder).purchase.staticCall(audio.modelId, 1n, holder.address, price, {
      value: price,
    });
    await (
      await p.licenses.connect(holder).purchase(audio.modelId, 1n, holder.address, price, { value: price })
    ).wait();
    // The audio model's timelock never named this gateway's operator.
    await world.serve(0, [3n]);
    await world.serveLicence({ licenceId, modelId: audio.modelId, holder }, [9n]);
    await world.serve(1, [4n]);

    const report = await world.settler().runOnce();
    expect(report.batches.map((b) => [b.status, b.licences])).to.deep.equal([
      ["failed", 3],
      ["confirmed", 2],
    ]);
    expect(report.batches[0].error).to.include(`UsageMeterNotOperator(${world.operator.address}, ${audio.modelId})`);
    expect(report.quarantined).to.deep.equal([licenceId]);
    expect((await p.meter.usageOf(licenceId)).settled).to.equal(0n);
    expect((await world.onChain(0)).settled).to.equal(3n);
    expect((await world.onChain(1)).settled).to.equal(4n);
  });

  it("exposes its lag, unsettled credits, batches and gas as Prometheus metrics", async function () {
    const start = 1_800_000_000_000;
    let now = start;
    await world.serve(0, [8n], { finishedAt: start });
    await world.serve(1, [2n], { finishedAt: start + 30_000 });
    now = start + 90_000;
    const settler = world.settler({ now: () => now });
    const registry = settler.metrics.registry;
    await settler.refreshMetrics();
    expect(await metric(registry, "weightshare_settler_lag_seconds")).to.equal(90);
    expect(await metric(registry, "weightshare_settler_unsettled_credits")).to.equal(10);
    const report = await settler.runOnce();
    expect(await metric(registry, "weightshare_settler_lag_seconds")).to.equal(0);
    expect(await metric(registry, "weightshare_settler_unsettled_credits")).to.equal(0);
    expect(await metric(registry, "weightshare_settler_batches_total", { result: "sent" })).to.equal(1);
    expect(await metric(registry, "weightshare_settler_batches_total", { result: "confirmed" })).to.equal(1);
    expect(await metric(registry, "weightshare_settler_last_batch_licences")).to.equal(2);
    expect(await metric(registry, "weightshare_settler_last_gas_used")).to.equal(Number(report.batches[0].gasUsed));
    expect(await metric(registry, "weightshare_settler_leader")).to.equal(1);
    expect(await registry.metrics()).to.match(/^weightshare_settler_lag_seconds 0$/m);
  });

  it("its loop settles when unsettled credits reach `maxCredits`, and otherwise once per interval", async function () {
    let now = Date.now();
    const settler = world.settler({ now: () => now, intervalMs: 60_000, maxCredits: 50n });
    const registry = settler.metrics.registry;
    settler.start();
    try {
      await world.serve(0, [30n]);
      // The loop has looked at the ledger (30 unsettled) and settled nothing: under 50 and within the interval.
      await until(async () => (await metric(registry, "weightshare_settler_unsettled_credits")) === 30);
      await new Promise((resolve) => setTimeout(resolve, 100)); // a few more looks
      expect(await world.ledger.openBatches()).to.deep.equal([]);
      expect((await world.onChain(0)).settled).to.equal(0n);
      await world.serve(1, [25n]); // 55 >= 50
      await until(async () => (await world.onChain(1)).settled === 25n);
      await until(async () => (await metric(registry, "weightshare_settler_unsettled_credits")) === 0);
      expect((await world.onChain(0)).settled).to.equal(30n);

      await world.serve(2, [5n]);
      await until(async () => (await metric(registry, "weightshare_settler_unsettled_credits")) === 5);
      expect((await world.onChain(2)).settled).to.equal(0n);
      now += 60_000; // an interval later
      await until(async () => (await world.onChain(2)).settled === 5n);
    } finally {
      await settler.stop();
    }
    expect(await metric(registry, "weightshare_settler_leader")).to.equal(0);
  });

  it("measures settle's gas for the benchmark (receipts from a ledger batch)", async function () {
    for (let i = 0; i < 3; i++) await world.serve(i, [2n]);
    const batch = await world.ledger.createBatch({
      now: await networkHelpers.time.latest(),
      deadlineMargin: 600,
      maxLicences: 100,
    });
    const gas = await measureSettleGas(world.meter, receiptsOf(batch!));
    expect(gas > 50_000n).to.equal(true);
    for (let i = 0; i < 3; i++) expect((await world.onChain(i)).settled).to.equal(2n);
  });
});
