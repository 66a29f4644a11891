/**
 * Crash recovery: a gateway that dies at any point of a settlement and restarts (a new settler on the reopened
 * ledger file) settles everything once: nothing charged twice, nothing forgotten. Each test builds the state the
 * crash left by hand through the ledger API and the operator's own transactions, then runs one pass.
 */
import { expect } from "chai";
import { Transaction } from "ethers";
import hre from "hardhat";

import type { Batch } from "../../../gateway/ledger/ledger.js";
import { receiptsOf } from "../../../gateway/settler/preflight.js";
import { CREDITS, operatorNonce, settledEvents, settlerChain, settlerWorld, type SettlerWorld } from "./fixture.js";

const connection = await hre.network.create();
const { networkHelpers } = connection;
const chain = () => settlerChain(connection);
const eip1193 = connection.provider as { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

/** Polls `check` every 5 ms until it holds (at most `tries` times). */
async function until(check: () => Promise<boolean>, tries = 2_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("condition never held");
}

describe("gateway/settler: crash recovery (nothing settled twice, nothing forgotten)", function () {
  this.timeout(120_000);
  let world: SettlerWorld;

  /** Licences 0 and 1 served 10 and 20 credits; returns the batch the settler had built before "crashing". */
  async function servedAndBatched(): Promise<Batch> {
    await world.serve(0, [4n, 6n]);
    await world.serve(1, [20n]);
    const now = await networkHelpers.time.latest();
    return (await world.ledger.createBatch({ now, deadlineMargin: 600, maxLicences: 100 }))!;
  }

  /** Both licences settled exactly once, on chain and in the ledger. */
  async function settledOnce() {
    expect(await world.onChain(0)).to.deep.equal({ settled: 10n, credits: CREDITS - 10n });
    expect(await world.onChain(1)).to.deep.equal({ settled: 20n, credits: CREDITS - 20n });
    for (const [index, served] of [10n, 20n].entries()) {
      expect((await world.ledger.licence(world.chain.licences[index]))!.settled).to.equal(served);
    }
    expect(await world.ledger.openBatches()).to.deep.equal([]);
  }

  beforeEach(async function () {
    world = await settlerWorld(connection, await networkHelpers.loadFixture(chain));
  });
  afterEach(async function () {
    await eip1193.request({ method: "evm_setAutomine", params: [true] });
    await world?.close();
  });

  it("confirms a batch sent and recorded before the crash, without sending it again", async function () {
    const batch = await servedAndBatched();
    const tx = await world.meter.settle(receiptsOf(batch));
    await world.ledger.markSent(batch.id, tx.hash);
    await world.reopen(); // the process died while waiting for confirmations

    const nonce = await operatorNonce(world);
    const report = await world.settler().runOnce();
    expect(report.batches).to.have.length(1);
    expect(report.batches[0]).to.include({ batchId: batch.id, status: "confirmed", txHash: tx.hash });
    expect(await operatorNonce(world)).to.equal(nonce, "nothing sent again");
    await settledOnce();
  });

  it("waits for a recorded transaction still in the mempool after the restart, then confirms it", async function () {
    const batch = await servedAndBatched();
    await eip1193.request({ method: "evm_setAutomine", params: [false] });
    const tx = await world.meter.settle(receiptsOf(batch));
    await world.ledger.markSent(batch.id, tx.hash);
    await world.reopen();

    const pass = world.settler().runOnce();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the settler looks at a pending transaction a few times
    expect(await world.provider.getTransactionReceipt(tx.hash)).to.equal(null);
    await eip1193.request({ method: "evm_mine", params: [] });
    const report = await pass;
    expect(report.batches[0]).to.include({ status: "confirmed", txHash: tx.hash });
    expect(await operatorNonce(world)).to.equal(tx.nonce + 1, "one transaction in all");
    await settledOnce();
  });

  it("sends a batch that was built but never sent, once", async function () {
    const batch = await servedAndBatched();
    await world.reopen();

    const nonce = await operatorNonce(world);
    const report = await world.settler().runOnce();
    expect(report.batches.map((b) => [b.batchId, b.status])).to.deep.equal([[batch.id, "confirmed"]]);
    expect(await operatorNonce(world)).to.equal(nonce + 1);
    await settledOnce();
  });

  it("sends again a batch broadcast but not recorded (crash in between): the second settle charges nothing", async function () {
    const batch = await servedAndBatched();
    const lost = await world.meter.settle(receiptsOf(batch)); // mined; the process died before markSent
    await world.reopen();

    const report = await world.settler().runOnce();
    expect(report.batches[0], world.logs.join("\n")).to.include({ batchId: batch.id, status: "confirmed" });
    expect(report.batches[0].txHash).to.not.equal(lost.hash);
    expect((await settledEvents(world, lost.hash)).map((e) => e.charged)).to.have.members([10n, 20n]);
    expect((await settledEvents(world, report.batches[0].txHash!)).map((e) => e.charged)).to.deep.equal([0n, 0n]);
    await settledOnce();
  });

  it("sends again a batch whose recorded transaction the chain never saw (dropped, or never broadcast)", async function () {
    const batch = await servedAndBatched();
    const unsigned = await world.operator.populateTransaction(
      await world.meter.settle.populateTransaction(receiptsOf(batch)),
    );
    const never = Transaction.from(await world.operator.signTransaction(unsigned)).hash!;
    await world.ledger.markSent(batch.id, never);
    await world.reopen();

    const report = await world.settler().runOnce();
    expect(report.batches[0], world.logs.join("\n")).to.include({ batchId: batch.id, status: "confirmed" });
    // Signed again with the same nonce and fees, it is the very transaction recorded: now on chain.
    expect((await world.provider.getTransactionReceipt(report.batches[0].txHash!))!.status).to.equal(1);
    expect(world.logs.join("\n")).to.include(`transaction ${never} is unknown to the chain`);
    await settledOnce();
  });

  it("marks a batch whose transaction reverted failed, and settles its licences in a new batch", async function () {
    const batch = await servedAndBatched();
    const outsider = world.chain.protocol.outsider;
    // A reverting transaction recorded for the batch, sent with a fixed gas limit so that nothing simulated it.
    // Hardhat mines it and answers the broadcast with the revert: the hash is taken from the signed bytes.
    const [first, second] = receiptsOf(batch);
    const bad = [{ ...first, signer: outsider.address }, second];
    const unsigned = await world.meter.settle.populateTransaction(bad, { gasLimit: 1_000_000 });
    const signed = await world.operator.signTransaction(await world.operator.populateTransaction(unsigned));
    await world.provider.broadcastTransaction(signed).catch(() => undefined);
    const reverted = Transaction.from(signed);
    await world.ledger.markSent(batch.id, reverted.hash!);
    expect((await world.provider.getTransactionReceipt(reverted.hash!))!.status).to.equal(0);
    await world.reopen();

    const report = await world.settler().runOnce();
    expect(report.batches.map((b) => [b.batchId, b.status])).to.deep.equal([
      [batch.id, "failed"],
      [batch.id + 1, "confirmed"],
    ]);
    expect(report.batches[0].error).to.include(`transaction ${reverted.hash} reverted`);
    await settledOnce();
  });

  it("stop() abandons a wait for confirmations cleanly; the next settler confirms the same transaction", async function () {
    await servedAndBatched();
    await world.reopen(); // start from an open, never-sent batch
    const first = world.settler({ confirmations: 5 });
    const pass = first.runOnce();
    await until(async () => (await world.ledger.openBatches())[0]?.status === "sent");
    const [sent] = await world.ledger.openBatches();
    await first.stop();
    expect((await pass).error).to.equal("stopped");
    expect((await world.ledger.openBatches()).map((b) => [b.status, b.txHash])).to.deep.equal([["sent", sent.txHash]]);

    await networkHelpers.mine(4);
    const nonce = await operatorNonce(world);
    const report = await world.settler({ confirmations: 5, holder: "replica-b" }).runOnce();
    expect(report.batches[0]).to.include({ status: "confirmed", txHash: sent.txHash });
    expect(await operatorNonce(world)).to.equal(nonce);
    await settledOnce();
  });
});
