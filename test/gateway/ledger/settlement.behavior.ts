/**
 * How every ledger backend must behave for the settler (gateway/ledger/ledger.ts): the lease, batches from creation
 * to confirmation or failure, the figures for metrics, and everything surviving a restart. Called by sqlite.test.ts
 * and postgres.test.ts with their storage.
 */
import { expect } from "chai";

import type { Ledger } from "../../../gateway/ledger/ledger.js";
import {
  chain,
  expectRejection,
  fund,
  HOLDER,
  NOW,
  receipt,
  serve,
  type LedgerTarget,
  type TargetFactory,
} from "./target.js";

const QUERY = { now: NOW, deadlineMargin: 600, maxLicences: 10 };

/** The settlement behaviours, each test on a fresh storage from `factory`. */
export function settlementBehaviour(factory: TargetFactory): void {
  let target: LedgerTarget;
  let ledger: Ledger;
  const opened: Ledger[] = [];

  beforeEach(async function () {
    target = await factory();
    ledger = await target.ledger();
    opened.push(ledger);
  });

  afterEach(async function () {
    for (const handle of opened.splice(0)) await handle.close();
    await target.dispose();
  });

  describe("settler lease", function () {
    it("is held by one holder at a time, renewed by it, and free once expired or released", async function () {
      const other = await target.ledger(); // another replica
      opened.push(other);
      expect(await ledger.acquireLease("a", 1000, 2000)).to.equal(true);
      expect(await other.acquireLease("b", 1500, 2500)).to.equal(false);
      expect(await ledger.acquireLease("a", 1900, 3000)).to.equal(true); // renewed
      expect(await other.acquireLease("b", 2999, 4000)).to.equal(false);
      expect(await other.acquireLease("b", 3000, 4000)).to.equal(true); // expired
      expect(await ledger.acquireLease("a", 3100, 5000)).to.equal(false);
      await ledger.releaseLease("a"); // not its holder: no effect
      expect(await ledger.acquireLease("a", 3200, 5000)).to.equal(false);
      await other.releaseLease("b");
      expect(await ledger.acquireLease("a", 3300, 5000)).to.equal(true);
    });

    it("goes to exactly one of many replicas asking at once", async function () {
      const replicas = [ledger];
      for (let i = 0; i < 3; i++) replicas.push(await target.ledger());
      opened.push(...replicas.slice(1));
      const granted = await Promise.all(replicas.map((r, i) => r.acquireLease(`replica-${i}`, 1000, 2000)));
      expect(granted.filter(Boolean)).to.have.length(1);
    });
  });

  describe("batches", function () {
    it("has nothing to settle at first", async function () {
      await fund(ledger, 1n, 100n, 50n);
      expect(await ledger.createBatch(QUERY)).to.equal(undefined);
      expect(await ledger.openBatches()).to.deep.equal([]);
      expect(await ledger.stats(NOW)).to.deep.equal({ unsettledCredits: 0n, openBatches: 0 });
    });

    it("batches each due licence with its narrowest covering receipt, skipping those no live receipt covers", async function () {
      await ledger.syncChain(1n, chain(1000n));
      for (const cap of [5n, 12n, 30n]) await ledger.addReceipt(receipt(1n, cap), NOW);
      await serve(ledger, 1n, 7n);
      // Licence 2: its only receipt expires within the margin.
      await ledger.syncChain(2n, chain(1000n));
      await ledger.addReceipt(receipt(2n, 10n, NOW + 3000), NOW);
      await serve(ledger, 2n, 3n);
      await ledger.addReceipt(receipt(2n, 20n, NOW + 300), NOW);
      // Licence 3: nothing served.
      await fund(ledger, 3n, 1000n, 10n);

      const batch = (await ledger.createBatch({ ...QUERY, now: NOW + 3000 }))!;
      expect(batch).to.deep.include({ status: "pending", attempts: 0 });
      expect(batch.items).to.deep.equal([{ licenceId: 1n, modelId: 7n, total: 7n, receipt: receipt(1n, 12n) }]);
      expect(await ledger.openBatches()).to.deep.equal([batch]);

      const now = await ledger.createBatch(QUERY); // licence 1 is in an open batch; licence 2's cap-10 receipt is live
      expect(now!.items.map((i) => [i.licenceId, i.total, i.receipt.cap])).to.deep.equal([[2n, 3n, 10n]]);
      expect(await ledger.createBatch(QUERY)).to.equal(undefined);
    });

    it("settles what a narrower live receipt covers when the covering one ran too close to its deadline", async function () {
      await ledger.syncChain(1n, chain(1000n));
      await ledger.addReceipt(receipt(1n, 5n, NOW + 7200), NOW);
      await ledger.addReceipt(receipt(1n, 20n, NOW + 900), NOW);
      await serve(ledger, 1n, 8n);
      // A late pass: the cap-20 receipt is within the margin; the cap-5 one still settles 5 of the 8.
      const batch = (await ledger.createBatch({ ...QUERY, now: NOW + 600 }))!;
      expect(batch.items.map((i) => [i.total, i.receipt.cap])).to.deep.equal([[5n, 5n]]);
      await ledger.markSent(batch.id, "0xaa");
      await ledger.markConfirmed(batch.id, 10);
      expect(await ledger.licence(1n)).to.deep.include({ served: 8n, settled: 5n });
      // The rest stays due for a later receipt.
      expect(await ledger.createBatch({ ...QUERY, now: NOW + 600 })).to.equal(undefined);
      await ledger.addReceipt(receipt(1n, 30n, NOW + 7200), NOW + 600);
      const rest = (await ledger.createBatch({ ...QUERY, now: NOW + 600 }))!;
      expect(rest.items.map((i) => [i.total, i.receipt.cap])).to.deep.equal([[8n, 30n]]);
    });

    it("takes at most maxLicences, the longest unsettled first", async function () {
      for (const id of [3n, 1n, 2n]) {
        await fund(ledger, id, 1000n, 100n);
        await serve(ledger, id, 1n);
      }
      const first = (await ledger.createBatch({ ...QUERY, maxLicences: 2 }))!;
      expect(first.items.map((i) => i.licenceId)).to.deep.equal([3n, 1n]);
      const second = (await ledger.createBatch({ ...QUERY, maxLicences: 2 }))!;
      expect(second.items.map((i) => i.licenceId)).to.deep.equal([2n]);
      expect(second.id).to.be.greaterThan(first.id);
    });

    it("leaves out the licences the query excludes (the settler's quarantine)", async function () {
      for (const id of [1n, 2n, 3n]) {
        await fund(ledger, id, 1000n, 100n);
        await serve(ledger, id, 1n);
      }
      const batch = (await ledger.createBatch({ ...QUERY, exclude: [1n, 3n] }))!;
      expect(batch.items.map((i) => i.licenceId)).to.deep.equal([2n]);
      expect(await ledger.createBatch({ ...QUERY, exclude: [1n, 3n] })).to.equal(undefined);
      expect((await ledger.createBatch(QUERY))!.items.map((i) => i.licenceId)).to.deep.equal([1n, 3n]);
    });

    it("goes sent, attempt failed, sent again, then confirmed: settled rises to the batch's totals", async function () {
      await fund(ledger, 1n, 1000n, 100n);
      await fund(ledger, 2n, 1000n, 100n);
      const firstCall = await serve(ledger, 1n, 4n);
      await serve(ledger, 2n, 6n);
      const stats = await ledger.stats(NOW);
      expect(stats).to.deep.include({ unsettledCredits: 10n, openBatches: 0, oldestUnsettledAt: firstCall.finishedAt });
      const batch = (await ledger.createBatch(QUERY))!;
      expect((await ledger.stats(NOW)).openBatches).to.equal(1);

      await ledger.markSent(batch.id, "0xaaa");
      expect((await ledger.openBatches())[0]).to.deep.include({ status: "sent", txHash: "0xaaa", attempts: 1 });
      await ledger.markAttemptFailed(batch.id, "replaced: fee too low");
      expect((await ledger.openBatches())[0]).to.deep.include({
        status: "pending",
        attempts: 1,
        error: "replaced: fee too low",
      });
      await ledger.markAttemptFailed(batch.id, "RPC unreachable"); // before anything was sent: counts
      expect((await ledger.openBatches())[0]).to.deep.include({ status: "pending", attempts: 2 });
      await ledger.markSent(batch.id, "0xbbb");
      const late = await serve(ledger, 1n, 5n); // served after the batch was built: stays due
      await ledger.markConfirmed(batch.id, 77);
      await ledger.markConfirmed(batch.id, 78); // idempotent

      expect(await ledger.openBatches()).to.deep.equal([]);
      expect(await ledger.licence(1n)).to.deep.include({ served: 9n, settled: 4n });
      expect(await ledger.licence(2n)).to.deep.include({ served: 6n, settled: 6n });
      const after = await ledger.stats(NOW);
      expect(after).to.deep.equal({ unsettledCredits: 5n, openBatches: 0, oldestUnsettledAt: late.finishedAt });
      const next = (await ledger.createBatch(QUERY))!;
      expect(next.items.map((i) => [i.licenceId, i.total])).to.deep.equal([[1n, 9n]]);

      await expectRejection(ledger.markSent(batch.id, "0xccc"), /batch \d+ is confirmed/);
      await expectRejection(ledger.markFailed(batch.id, "x"), /batch \d+ is confirmed/);
      await expectRejection(ledger.markSent(999_999, "0xddd"), /batch 999999 is not in the ledger/);
    });

    it("never lowers settled when an older batch confirms late", async function () {
      await fund(ledger, 1n, 1000n, 100n);
      await serve(ledger, 1n, 4n);
      const older = (await ledger.createBatch(QUERY))!;
      await ledger.markFailed(older.id, "gave up");
      await serve(ledger, 1n, 3n);
      const newer = (await ledger.createBatch(QUERY))!;
      expect(newer.items[0].total).to.equal(7n);
      await ledger.markConfirmed(newer.id, 10);
      await ledger.markConfirmed(older.id, 11); // its transaction landed after all
      expect(await ledger.licence(1n)).to.deep.include({ settled: 7n });
      expect((await ledger.stats(NOW)).unsettledCredits).to.equal(0n);
    });

    it("makes a failed batch's licences due again", async function () {
      await fund(ledger, 1n, 1000n, 100n);
      await serve(ledger, 1n, 4n);
      const batch = (await ledger.createBatch(QUERY))!;
      expect(await ledger.createBatch(QUERY)).to.equal(undefined);
      await ledger.markSent(batch.id, "0xaaa");
      await ledger.markFailed(batch.id, "reverted: UsageMeterReceiptExpired");
      expect(await ledger.openBatches()).to.deep.equal([]);
      const again = (await ledger.createBatch(QUERY))!;
      expect(again.items.map((i) => [i.licenceId, i.total])).to.deep.equal([[1n, 4n]]);
    });
  });

  describe("crash recovery", function () {
    it("finds every open batch and the licences' state after the ledger is closed and opened again", async function () {
      await fund(ledger, 1n, 1000n, 100n);
      await fund(ledger, 2n, 1000n, 100n);
      await serve(ledger, 1n, 4n);
      await serve(ledger, 2n, 2n);
      const sent = (await ledger.createBatch({ ...QUERY, maxLicences: 1 }))!;
      await ledger.markSent(sent.id, "0xabc");
      const pending = (await ledger.createBatch(QUERY))!;
      expect(
        await ledger.reserve({
          callId: "in-flight",
          licenceId: 1n,
          account: HOLDER,
          route: "r",
          model: "m",
          maxCost: 3n,
          now: NOW,
        }),
      ).to.deep.include({ ok: true });
      const before = {
        batches: await ledger.openBatches(),
        l1: await ledger.licence(1n),
        l2: await ledger.licence(2n),
      };
      await ledger.close();
      opened.splice(opened.indexOf(ledger), 1);

      ledger = await target.ledger();
      opened.push(ledger);
      const after = await ledger.openBatches();
      expect(after).to.deep.equal(before.batches);
      expect(after.map((b) => [b.id, b.status, b.txHash])).to.deep.equal([
        [sent.id, "sent", "0xabc"],
        [pending.id, "pending", undefined],
      ]);
      expect(await ledger.licence(1n)).to.deep.equal(before.l1);
      expect(await ledger.licence(2n)).to.deep.equal(before.l2);
      expect(await ledger.commit({ callId: "in-flight", cost: 1n, finishedAt: 5 })).to.deep.include({ total: 5n });
    });
  });
}
