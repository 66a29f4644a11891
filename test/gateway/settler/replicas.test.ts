/**
 * Several gateway replicas on one ledger each run a settler, and only the holder of the ledger's settler lease
 * settles: two settlers (two handles on one SQLite file) running passes at the same time send one transaction; a
 * settler that stops gives the lease up; a lease that is not renewed in time passes to another replica, which
 * resumes the open batch, while the old holder lets go of it at its next renewal. Nothing is charged twice.
 */
import { expect } from "chai";
import hre from "hardhat";

import type { Ledger } from "../../../gateway/ledger/ledger.js";
import { openSqliteLedger } from "../../../gateway/ledger/sqlite.js";
import { CREDITS, operatorNonce, settlerChain, settlerWorld, type SettlerWorld } from "./fixture.js";

const connection = await hre.network.create();
const { networkHelpers } = connection;
const chain = () => settlerChain(connection);

/** Polls `check` every 5 ms until it holds (at most `tries` times). */
async function until(check: () => Promise<boolean>, tries = 2_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("condition never held");
}

describe("gateway/settler: replicas share one ledger, one settler settles (lease)", function () {
  this.timeout(120_000);
  let world: SettlerWorld;
  let second: Ledger;

  beforeEach(async function () {
    world = await settlerWorld(connection, await networkHelpers.loadFixture(chain));
    second = await openSqliteLedger(world.ledgerFile); // replica B's handle on the same ledger
    for (let i = 0; i < 3; i++) await world.serve(i, [BigInt(10 * (i + 1))]);
  });
  afterEach(async function () {
    await second?.close();
    await world?.close();
  });

  async function settledOnce() {
    for (let i = 0; i < 3; i++) {
      const served = BigInt(10 * (i + 1));
      expect(await world.onChain(i)).to.deep.equal({ settled: served, credits: CREDITS - served });
    }
  }

  it("two settlers passing at the same time: only the lease holder sends, one transaction", async function () {
    const a = world.settler({ holder: "replica-a" });
    const b = world.settler({ holder: "replica-b", ledger: second });
    const nonce = await operatorNonce(world);
    const reports = await Promise.all([a.runOnce(), b.runOnce()]);

    expect(reports.map((r) => r.leader).sort()).to.deep.equal([false, true]);
    const leader = reports.find((r) => r.leader)!;
    const follower = reports.find((r) => !r.leader)!;
    expect(leader.batches.map((x) => [x.status, x.licences])).to.deep.equal([["confirmed", 3]]);
    expect(follower.batches).to.deep.equal([]);
    expect(await operatorNonce(world)).to.equal(nonce + 1);
    await settledOnce();

    // The holder keeps the lease until it stops; then the other replica takes it.
    const [holder, other] = reports[0].leader ? [a, b] : [b, a];
    await world.serve(0, [5n]);
    expect((await other.runOnce()).leader).to.equal(false);
    await holder.stop();
    const taken = await other.runOnce();
    expect(taken.leader).to.equal(true);
    expect(taken.batches.map((x) => x.status)).to.deep.equal(["confirmed"]);
    expect((await world.onChain(0)).settled).to.equal(15n);
    expect(await operatorNonce(world)).to.equal(nonce + 2);
  });

  it("a lease not renewed in time passes to another replica, which confirms the open batch; the old holder lets go", async function () {
    const start = 1_800_000_000_000;
    const leaseMs = 60_000;
    // Replica A's clock stands still; B's is past A's lease: A stopped renewing (a stalled process).
    const a = world.settler({ holder: "replica-a", now: () => start, leaseMs, confirmations: 3 });
    const b = world.settler({ holder: "replica-b", ledger: second, now: () => start + leaseMs + 1, confirmations: 3 });
    const nonce = await operatorNonce(world);

    const passA = a.runOnce();
    await until(async () => (await world.ledger.openBatches())[0]?.status === "sent");
    const [sent] = await world.ledger.openBatches();
    const passB = b.runOnce(); // takes the lease and resumes the batch A sent
    const reportA = await passA; // A finds the lease gone at its next renewal and leaves the batch
    expect(reportA.batches).to.have.length(1);
    expect(reportA.batches[0]).to.include({ status: "open", error: "the settler lease went to another replica" });

    await networkHelpers.mine(2);
    const reportB = await passB;
    expect(reportB.leader).to.equal(true);
    expect(reportB.batches.map((x) => [x.batchId, x.status, x.txHash])).to.deep.equal([
      [sent.id, "confirmed", sent.txHash],
    ]);
    expect(await operatorNonce(world)).to.equal(nonce + 1, "B sent nothing again");
    await settledOnce();
    expect((await a.runOnce()).leader).to.equal(false);
  });
});
