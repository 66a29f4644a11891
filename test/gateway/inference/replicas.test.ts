/**
 * Issue #13's concurrency acceptance test: two gateway replicas, real processes (`node gateway/server/main.ts`), on
 * one PostgreSQL ledger (a throwaway cluster the test starts on a free loopback port and stops by its postmaster's
 * pid) and one chain (the test's simulated chain behind a loopback JSON-RPC stand-in). 50 licensees with mixed
 * credits (10, 40, 100; some with a receipt cap below their credits) make 2,000 Open Inference Protocol calls, 50 at
 * once, round-robin over both replicas: nobody is served beyond their credits or cap, and once the replicas' settlers
 * have settled, each licence's credits spent on chain equal the calls it was served (its `UsageSettled` events too,
 * so nothing was charged twice), and `GET /usage` lists exactly the call ids its client was answered. Then, with the
 * chain's automine off, the replica whose settler has a batch sent but not mined is killed (SIGKILL by pid); the other
 * takes the settler lease when it expires, resumes that batch without sending it again, and the totals still equal
 * what was served. Skipped, loudly, without PostgreSQL.
 */
import { expect } from "chai";
import hre from "hardhat";

import type { Batch } from "../../../gateway/ledger/ledger.js";
import { postgresMissing } from "../../helpers/postgres.js";
import type { ReplicaProcess } from "./replica-process.js";
import { type Licensee, RATE, replicasWorld, type ReplicasWorld } from "./replicas-world.js";

const connection = await hre.network.create();
/** Calls per licensee in the first run: 50 x 40 = 2,000. */
const CALLS_EACH = 40;
/** Polls (250 ms apart) a wait for the settlers may take before the test fails. */
const MAX_POLLS = 240;

/** What one licensee's client saw. */
interface Tally {
  served: number;
  /** The call ids of the calls served (X-Weightshare-Call). */
  callIds: string[];
  /** 402s by problem kind. */
  refused: Map<string, number>;
  /** Anything else: "status detail". */
  unexpected: string[];
  /** 503 answers retried (the ONNX runner's queue was full; nothing charged). */
  busy: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes `calls` calls for `licensee` one after another, alternating over `replicas`. */
async function client(w: ReplicasWorld, replicas: ReplicaProcess[], licensee: Licensee, calls: number, tally: Tally) {
  for (let i = 0; i < calls; i++) {
    const replica = replicas[(licensee.index + i) % replicas.length];
    let response = await w.infer(replica, licensee);
    for (let retry = 0; response.status === 503 && retry < 50; retry++) {
      await response.text();
      tally.busy++;
      await pause(20);
      response = await w.infer(replica, licensee);
    }
    const text = await response.text();
    if (response.status === 200) {
      tally.served++;
      tally.callIds.push(response.headers.get("x-weightshare-call") ?? "(no call id)");
    } else if (response.status === 402) {
      const kind = String((JSON.parse(text) as { type: string }).type)
        .split("/")
        .pop()!;
      tally.refused.set(kind, (tally.refused.get(kind) ?? 0) + 1);
    } else tally.unexpected.push(`${response.status} ${text.slice(0, 200)}`);
  }
}

/** Runs one client per licensee in `who`, all at once; returns their tallies by licensee index. */
async function run(w: ReplicasWorld, replicas: ReplicaProcess[], who: Licensee[], calls: number) {
  const tallies = new Map<number, Tally>();
  await Promise.all(
    who.map((licensee) => {
      const tally: Tally = { served: 0, callIds: [], refused: new Map(), unexpected: [], busy: 0 };
      tallies.set(licensee.index, tally);
      return client(w, replicas, licensee, calls, tally);
    }),
  );
  return tallies;
}

/** Polls every 250 ms, at most MAX_POLLS times, until `check` holds; fails naming `what`. */
async function until(w: ReplicasWorld, what: string, check: () => Promise<boolean>): Promise<void> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    if (await check()) return;
    await pause(250);
  }
  const tails = w.replicas.map((r) => `--- ${r.id}\n${r.settlerLog.slice(-20).join("\n")}`).join("\n");
  throw new Error(`${what}: still not so after ${MAX_POLLS} polls\n${tails}`);
}

describe("gateway replicas: two processes on one PostgreSQL ledger and a JSON-RPC stand-in chain, 50 clients, 2,000 calls", function () {
  this.timeout(300_000);
  let w: ReplicasWorld | undefined;
  /** Calls served per licensee index, over every run. */
  const served = new Map<number, number>();
  /** Their call ids. */
  const callIds = new Map<number, string[]>();

  function record(licensee: Licensee, tally: Tally): void {
    served.set(licensee.index, (served.get(licensee.index) ?? 0) + tally.served);
    callIds.set(licensee.index, [...(callIds.get(licensee.index) ?? []), ...tally.callIds]);
  }

  before(async function () {
    const missing = postgresMissing();
    if (missing !== undefined) {
      console.warn(`\n  SKIPPED gateway replicas on PostgreSQL: ${missing}\n`);
      this.skip();
    }
    w = await replicasWorld(connection);
  });

  after(async function () {
    await w?.close(); // SIGKILLs every replica still running (by pid), then stops PostgreSQL
  });

  /**
   * Every licence: settled on chain = served x rate, credits fell by as much, its events charged as much; and the
   * ledger's signed usage (`GET /usage` on `live`) lists exactly the calls its client was served.
   */
  async function settledAsServed(world: ReplicasWorld, live: ReplicaProcess): Promise<void> {
    await until(world, "every served call settled on chain", async () => {
      for (const licensee of world.licensees) {
        const { settled } = await world.onChain(licensee);
        if (settled !== BigInt(served.get(licensee.index) ?? 0) * RATE) return false;
      }
      const stats = await world.ledger.stats(Date.now());
      return stats.unsettledCredits === 0n && stats.openBatches === 0;
    });
    const charged = await world.chargedByEvents();
    for (const licensee of world.licensees) {
      const spent = BigInt(served.get(licensee.index) ?? 0) * RATE;
      const label = `licensee ${licensee.index} (licence ${licensee.licenceId})`;
      expect(await world.onChain(licensee), label).to.deep.equal({ settled: spent, credits: licensee.credits - spent });
      expect(charged.get(licensee.licenceId) ?? 0n, `${label}: UsageSettled charged`).to.equal(spent);
      const state = (await world.ledger.licence(licensee.licenceId))!;
      expect([state.served, state.settled, state.reserved], `${label}: ledger`).to.deep.equal([spent, spent, 0n]);
      const usage = await fetch(`${live.url}/usage?limit=1000`, {
        headers: { Authorization: `Bearer ${licensee.token}` },
      });
      const calls = ((await usage.json()) as { calls: Array<{ callId: string; cost: string; signature?: string }> })
        .calls;
      expect(calls.map((c) => c.callId).sort(), `${label}: GET /usage`).to.deep.equal(
        [...(callIds.get(licensee.index) ?? [])].sort(),
      );
      expect(calls.every((c) => c.cost === RATE.toString() && c.signature !== undefined)).to.equal(true);
    }
  }

  it("serves nobody beyond their credits or cap, and settles exactly the calls served", async function () {
    const world = w!;
    const tallies = await run(world, world.replicas, world.licensees, CALLS_EACH);
    let calls = 0;
    for (const licensee of world.licensees) {
      const tally = tallies.get(licensee.index)!;
      const label = `licensee ${licensee.index} (credits ${licensee.credits}, cap ${licensee.cap})`;
      expect(tally.unexpected, label).to.deep.equal([]);
      const refused = [...tally.refused.values()].reduce((a, b) => a + b, 0);
      calls += tally.served + refused;
      // Never beyond the credits, nor beyond the cap; and every call the limits allowed was served.
      expect(BigInt(tally.served) * RATE, label).to.be.at.most(licensee.credits);
      expect(BigInt(tally.served) * RATE, label).to.be.at.most(licensee.cap);
      const limit = licensee.cap < licensee.credits ? licensee.cap : licensee.credits;
      expect(tally.served, label).to.equal(Math.min(CALLS_EACH, Number(limit / RATE)));
      if (refused > 0) {
        const kind = licensee.cap < licensee.credits ? "authorisation-exhausted" : "credits-exhausted";
        expect([...tally.refused.keys()], label).to.deep.equal([kind]);
      }
      record(licensee, tally);
    }
    expect(calls).to.equal(2000);
    await settledAsServed(world, world.replicas[0]);
  });

  it("a replica killed while its settlement batch is sent but not mined loses nothing; the other resumes it", async function () {
    const world = w!;
    // Licensees with credits left (100 credits, 40 calls served, cap above): 10 calls each, asked 12.
    const spare = world.licensees.filter((l) => served.get(l.index) === 40 && l.cap > l.credits);
    expect(spare.length).to.be.greaterThan(0);
    let sent: Batch | undefined;
    let survivor: ReplicaProcess;
    await world.chain("evm_setAutomine", [false]); // settle transactions now wait in the mempool
    try {
      const tallies = await run(world, world.replicas, spare, 12);
      for (const licensee of spare) {
        const tally = tallies.get(licensee.index)!;
        expect(tally.unexpected).to.deep.equal([]);
        expect([tally.served, tally.refused.get("credits-exhausted")]).to.deep.equal([10, 2]);
        record(licensee, tally);
      }
      // The lease holder builds a batch and sends it; the transaction is not mined.
      let holder: ReplicaProcess | undefined;
      await until(world, "a settlement batch sent", async () => {
        sent = (await world.ledger.openBatches()).find((b) => b.status === "sent");
        holder = world.replicas.find((r) => sent && r.settlerLog.some((l) => l.startsWith(`batch ${sent!.id}: sent `)));
        return holder !== undefined;
      });
      const pending = (await world.chain("eth_getTransactionByHash", [sent!.txHash])) as { blockNumber: unknown };
      expect(pending, "the batch's transaction is in the mempool").to.not.equal(null);
      expect(pending.blockNumber, "and not mined").to.equal(null);

      await holder!.kill(); // SIGKILL by pid, mid-batch
      expect((await holder!.exited).signal).to.equal("SIGKILL");
      survivor = world.replicas.find((r) => r !== holder)!;
      // Once the dead replica's lease runs out (3 s), the survivor takes it and picks the batch up.
      await until(world, `${survivor.id} resuming batch ${sent!.id}`, async () =>
        survivor.settlerLog.includes(`batch ${sent!.id}: resuming, looking up ${sent!.txHash}`),
      );
    } finally {
      await world.chain("evm_setAutomine", [true]);
    }
    await world.chain("evm_mine");
    await settledAsServed(world, survivor!);
    const batchLog = survivor!.settlerLog.filter((l) => l.startsWith(`batch ${sent!.id}:`));
    expect(batchLog.some((l) => l.startsWith(`batch ${sent!.id}: confirmed in block`))).to.equal(true);
    expect(
      batchLog.filter((l) => /send|sent/.test(l)),
      "the survivor sent the batch again",
    ).to.deep.equal([]);
    const receipt = (await world.chain("eth_getTransactionReceipt", [sent!.txHash])) as { status: string };
    expect(receipt.status).to.equal("0x1");

    // The survivor still shuts down cleanly.
    expect(await survivor!.stop()).to.deep.equal({ code: 0, signal: null });
  });
});
