/**
 * How every ledger backend must behave when spending (gateway/ledger/ledger.ts): migrations, chain state, receipts,
 * reservations, charges, releases and usage. Called by sqlite.test.ts and postgres.test.ts with their storage.
 */
import { expect } from "chai";

import type { Ledger, ReserveRequest } from "../../../gateway/ledger/ledger.js";
import { migrate, MIGRATIONS } from "../../../gateway/ledger/migrations.js";
import {
  callId,
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

const L = 1n;

function request(maxCost: bigint, extra: Partial<ReserveRequest> = {}): ReserveRequest {
  return {
    callId: callId(),
    licenceId: L,
    account: HOLDER,
    route: "openai:chat.completions",
    model: "m",
    maxCost,
    now: NOW,
    ...extra,
  };
}

/** The spending behaviours, each test on a fresh storage from `factory`. */
export function spendingBehaviour(factory: TargetFactory): void {
  let target: LedgerTarget;
  let ledger: Ledger;
  const opened: { close(): Promise<void> }[] = [];

  beforeEach(async function () {
    target = await factory();
    ledger = await target.ledger();
    opened.push(ledger);
  });

  afterEach(async function () {
    for (const handle of opened.splice(0)) await handle.close();
    await target.dispose();
  });

  describe("migrate", function () {
    it("is idempotent: the schema version stays, each migration is recorded once with when it was applied", async function () {
      expect(await ledger.migrate()).to.equal(MIGRATIONS.length);
      expect(await ledger.migrate()).to.equal(MIGRATIONS.length);
      const db = await target.database();
      opened.push(db);
      const rows = await db.read((sql) =>
        sql.all("SELECT version, applied_at FROM schema_migrations ORDER BY version"),
      );
      expect(rows.map((r) => Number(r.version))).to.deep.equal(MIGRATIONS.map((m) => m.version));
      expect(Number(rows[0].applied_at)).to.be.greaterThan(0);
    });

    it("applies a new version once, and two replicas migrating at once both succeed", async function () {
      const next = {
        version: MIGRATIONS.length + 1,
        description: "test: one more table",
        up: () => ["CREATE TABLE migration_probe (id INTEGER PRIMARY KEY)"], // fails if run twice
      };
      const [a, b] = [await target.database(), await target.database()];
      opened.push(a, b);
      expect(await Promise.all([migrate(a, [...MIGRATIONS, next]), migrate(b, [...MIGRATIONS, next])])).to.deep.equal([
        next.version,
        next.version,
      ]);
      expect(await migrate(a, [...MIGRATIONS, next])).to.equal(next.version);
      const rows = await a.read((sql) => sql.all("SELECT version FROM schema_migrations ORDER BY version"));
      expect(rows.map((r) => Number(r.version))).to.deep.equal([...MIGRATIONS.map((m) => m.version), next.version]);
      // The gateway of before that migration refuses the newer schema rather than guess.
      await expectRejection(ledger.migrate(), /schema is at version \d+, newer than this gateway knows/);
    });
  });

  describe("chain state and receipts", function () {
    it("creates the licence on first sync and never goes back to an older block", async function () {
      expect(await ledger.licence(L)).to.equal(undefined);
      const first = await ledger.syncChain(L, chain(50n, 3n, 100));
      expect(first).to.deep.include({
        licenceId: L,
        metered: true,
        chainCredits: 50n,
        chainSettled: 3n,
        chainBlock: 100,
        served: 0n,
        cap: 0n,
      });
      expect(await ledger.syncChain(L, chain(99n, 0n, 99))).to.deep.include({ chainCredits: 50n, chainBlock: 100 });
      expect(await ledger.syncChain(L, chain(40n, 13n, 120))).to.deep.include({
        chainCredits: 40n,
        chainSettled: 13n,
        chainBlock: 120,
      });
      expect(await ledger.licence(L)).to.deep.include({ chainCredits: 40n, chainBlock: 120 });
    });

    it("accepts a wider receipt and refuses replayed, superseded and expired ones as stale", async function () {
      await ledger.syncChain(L, chain(1000n));
      const accepted = await ledger.addReceipt(receipt(L, 10n), NOW);
      expect(accepted).to.deep.include({ accepted: true });
      expect(accepted.state).to.deep.include({ cap: 10n, capDeadline: NOW + 3600 });
      expect(await ledger.addReceipt(receipt(L, 10n), NOW)).to.deep.include({ accepted: false, reason: "stale" });
      expect(await ledger.addReceipt(receipt(L, 20n), NOW)).to.deep.include({ accepted: true });
      // A lower cap never replaces a higher live one, even with a later deadline.
      const lower = await ledger.addReceipt(receipt(L, 15n, NOW + 7200), NOW);
      expect(lower).to.deep.include({ accepted: false, reason: "stale" });
      expect(lower.state.cap).to.equal(20n);
      expect(await ledger.addReceipt(receipt(L, 30n, NOW - 1), NOW)).to.deep.include({
        accepted: false,
        reason: "stale",
      });
      // Once the higher one expired, a lower cap (still above what was used) is the one in force.
      const later = NOW + 4000;
      const replacing = await ledger.addReceipt(receipt(L, 15n, later + 3600), later);
      expect(replacing).to.deep.include({ accepted: true });
      expect(replacing.state).to.deep.include({ cap: 15n, capDeadline: later + 3600 });
    });

    it("refuses a receipt whose cap is below what was already served or reserved", async function () {
      await fund(ledger, L, 1000n, 10n);
      await serve(ledger, L, 4n);
      expect((await ledger.reserve(request(3n))).ok).to.equal(true);
      const below = await ledger.addReceipt(receipt(L, 6n, NOW + 10_000), NOW + 4000);
      expect(below).to.deep.include({ accepted: false, reason: "below-used" });
      expect(below.state).to.deep.include({ served: 4n, reserved: 3n });
      expect(await ledger.addReceipt(receipt(L, 7n, NOW + 10_000), NOW + 4000)).to.deep.include({ accepted: true });
    });

    it("refuses a receipt for a licence it never saw, and credits outside uint64", async function () {
      await expectRejection(ledger.addReceipt(receipt(9n, 5n), NOW), /licence 9 is not in the ledger/);
      await expectRejection(
        ledger.syncChain(L, chain(2n ** 64n)),
        /chain credits: expected credits between 0 and 2\^64-1/,
      );
    });

    it("keeps credits up to 2^64-1 exactly", async function () {
      const max = 2n ** 64n - 1n;
      await ledger.syncChain(L, chain(max, max - 5n));
      await ledger.addReceipt(receipt(L, max), NOW);
      expect(await ledger.licence(L)).to.deep.include({ cap: max, chainCredits: max, chainSettled: max - 5n });
    });
  });

  describe("reserve, commit, release", function () {
    it("refuses beyond the cap, saying what is still available", async function () {
      await fund(ledger, L, 1000n, 10n);
      await serve(ledger, L, 6n);
      const refused = await ledger.reserve(request(5n));
      expect(refused).to.deep.include({ ok: false, reason: "cap", available: 4n });
      expect((await ledger.reserve(request(4n))).ok).to.equal(true);
      expect(await ledger.reserve(request(1n))).to.deep.include({ ok: false, reason: "cap", available: 0n });
    });

    it("refuses beyond the credits left minus what was served and not settled (served + reserved - chainSettled)", async function () {
      await ledger.syncChain(L, chain(10n, 4n)); // 10 left after 4 settled: 14 in all
      await ledger.addReceipt(receipt(L, 1000n), NOW);
      await serve(ledger, L, 5n);
      expect((await ledger.reserve(request(3n))).ok).to.equal(true); // served 5 + reserved 3
      const refused = await ledger.reserve(request(7n));
      expect(refused).to.deep.include({ ok: false, reason: "credits", available: 6n });
      expect(refused.state).to.deep.include({ served: 5n, reserved: 3n });
      expect((await ledger.reserve(request(6n))).ok).to.equal(true);
    });

    it("names the tighter limit when both refuse, and checks no credits on an unmetered licence", async function () {
      await fund(ledger, L, 3n, 5n);
      expect(await ledger.reserve(request(9n))).to.deep.include({ ok: false, reason: "credits", available: 3n });
      await ledger.syncChain(2n, chain(0n, 0n, 100, false));
      await ledger.addReceipt(receipt(2n, 5n), NOW);
      expect((await ledger.reserve(request(5n, { licenceId: 2n }))).ok).to.equal(true);
      expect(await ledger.reserve(request(1n, { licenceId: 2n }))).to.deep.include({
        ok: false,
        reason: "cap",
        available: 0n,
      });
    });

    it("lets a receipt authorise new calls only while its deadline is deadlineMargin ahead", async function () {
      await fund(ledger, L, 1000n, 10n); // deadline NOW + 3600
      expect((await ledger.reserve(request(1n, { deadlineMargin: 3600 }))).ok).to.equal(true);
      expect(await ledger.reserve(request(1n, { deadlineMargin: 3601 }))).to.deep.include({
        ok: false,
        reason: "cap",
        available: 0n,
      });
      expect(await ledger.reserve(request(1n, { now: NOW + 3601 }))).to.deep.include({ ok: false, reason: "cap" });
    });

    it("charges min(cost, reserved), returns the signed record, and is idempotent per call", async function () {
      await fund(ledger, L, 1000n, 100n);
      const id = callId();
      await ledger.reserve(request(5n, { callId: id }));
      const signed: string[] = [];
      const record = await ledger.commit({
        callId: id,
        cost: 9n,
        promptTokens: 12,
        completionTokens: 30,
        finishedAt: 1234,
        sign: async (r) => {
          await new Promise((resolve) => setImmediate(resolve));
          signed.push(`${r.callId}:${r.status}:${r.cost}:${r.total}`);
          return "0xgateway";
        },
      });
      expect(signed).to.deep.equal([`${id}:served:5:5`]);
      expect(record).to.deep.include({
        callId: id,
        status: "served",
        reservedCost: 5n,
        cost: 5n,
        total: 5n,
        promptTokens: 12,
        completionTokens: 30,
        finishedAt: 1234,
        gatewaySignature: "0xgateway",
      });
      expect(await ledger.licence(L)).to.deep.include({ served: 5n, reserved: 0n });
      const again = await ledger.commit({ callId: id, cost: 1n, finishedAt: 9999, sign: () => "0xother" });
      expect(again).to.deep.equal(record);
      expect(signed).to.have.length(1);
      expect(await ledger.licence(L)).to.deep.include({ served: 5n, reserved: 0n });
      const cheaper = await serve(ledger, L, 5n, 2n);
      expect(cheaper).to.deep.include({ cost: 2n, total: 7n });
    });

    it("releases a call charging nothing, idempotently, and never un-charges a served call", async function () {
      await fund(ledger, L, 1000n, 100n);
      const id = callId();
      await ledger.reserve(request(5n, { callId: id }));
      await ledger.release(id, 1000);
      await ledger.release(id, 2000);
      expect(await ledger.licence(L)).to.deep.include({ served: 0n, reserved: 0n });
      await expectRejection(ledger.commit({ callId: id, cost: 1n, finishedAt: 3000 }), /was released/);
      const served = await serve(ledger, L, 4n);
      await ledger.release(served.callId, 4000);
      await ledger.release("never-reserved", 4000);
      expect(await ledger.licence(L)).to.deep.include({ served: 4n, reserved: 0n });
    });

    it("releases reservations a dead replica left behind, charging nothing and leaving newer calls alone", async function () {
      await fund(ledger, L, 1000n, 100n);
      const orphan = callId();
      await ledger.reserve(request(5n, { callId: orphan }));
      const cutoff = Date.now() + 1; // every call reserved so far started before it
      expect(await ledger.releaseStale(cutoff - 60_000, 5000)).to.equal(0);
      expect(await ledger.releaseStale(cutoff, 5000)).to.equal(1);
      expect(await ledger.licence(L)).to.deep.include({ served: 0n, reserved: 0n });
      await expectRejection(ledger.commit({ callId: orphan, cost: 1n, finishedAt: 6000 }), /was released/);
      await serve(ledger, L, 3n);
      expect(await ledger.releaseStale(Date.now() + 1, 7000)).to.equal(0);
      expect(await ledger.licence(L)).to.deep.include({ served: 3n, reserved: 0n });
    });

    it("serves a new holder only under what it signs itself; the previous holder's receipts stay for settlement", async function () {
      await fund(ledger, L, 1000n, 100n);
      const served = await serve(ledger, L, 4n);
      expect(served.total).to.equal(4n);
      const next = "0x00000000000000000000000000000000000000b2";
      await ledger.syncChain(L, { ...chain(1000n, 0n, 200), holder: next });
      expect(await ledger.licence(L)).to.deep.include({ holder: next, cap: 0n, served: 4n });
      const refused = await ledger.reserve(request(1n, { account: next }));
      expect(refused).to.deep.include({ ok: false, reason: "cap" });
      // Its own receipt must cover the licence's running total, as on chain.
      const own = { ...receipt(L, 10n), signer: next };
      expect(await ledger.addReceipt(own, NOW)).to.deep.include({ accepted: true });
      expect(await ledger.reserve(request(6n, { account: next }))).to.deep.include({ ok: true });
      // The previous holder's receipt still settles what it authorised.
      const batch = await ledger.createBatch({ now: NOW, deadlineMargin: 0, maxLicences: 10 });
      expect(batch?.items.map((i) => i.total)).to.deep.equal([4n]);
    });

    it("authorises nothing for an account the ledger does not know as the holder (a replica on a lagging node)", async function () {
      await fund(ledger, L, 1000n, 100n);
      const earlier = "0x00000000000000000000000000000000000000e1";
      const refused = await ledger.reserve(request(1n, { account: earlier }));
      expect(refused).to.deep.include({ ok: false, reason: "cap", available: 0n });
      const stale = await ledger.addReceipt({ ...receipt(L, 500n), signer: earlier }, NOW);
      expect(stale).to.deep.include({ accepted: false, reason: "stale" });
      expect(await ledger.licence(L)).to.deep.include({ cap: 100n, reserved: 0n });
    });

    it("refuses a call id used before, and a commit of a call never reserved", async function () {
      await fund(ledger, L, 1000n, 100n);
      const id = callId();
      await ledger.reserve(request(1n, { callId: id }));
      await expectRejection(ledger.reserve(request(1n, { callId: id })), /already in the ledger/);
      await expectRejection(
        ledger.commit({ callId: "nope", cost: 1n, finishedAt: 1 }),
        /call nope is not in the ledger/,
      );
      expect(await ledger.licence(L)).to.deep.include({ reserved: 1n });
    });
  });

  describe("usage", function () {
    it("lists an account's served calls newest first, by licence, with limit and before", async function () {
      const other = "0x00000000000000000000000000000000000000b2";
      await fund(ledger, L, 1000n, 100n);
      await fund(ledger, 2n, 1000n, 100n);
      const ids: string[] = [];
      for (const [licence, finishedAt] of [
        [L, 10],
        [2n, 20],
        [L, 30],
      ] as const) {
        const id = callId();
        ids.push(id);
        await ledger.reserve(
          request(2n, { callId: id, licenceId: licence, account: HOLDER.toUpperCase().replace("0X", "0x") }),
        );
        await ledger.commit({ callId: id, cost: 1n, finishedAt });
      }
      await ledger.syncChain(3n, { ...chain(1000n), holder: other });
      await ledger.addReceipt({ ...receipt(3n, 100n), signer: other }, NOW);
      await serve(ledger, 3n, 1n, 1n, other);
      await ledger.reserve(request(1n)); // in flight: not listed
      const failed = callId();
      await ledger.reserve(request(1n, { callId: failed }));
      await ledger.release(failed, 40);

      const all = await ledger.usage(HOLDER);
      expect(all.map((r) => r.callId)).to.deep.equal([ids[2], ids[1], ids[0]]);
      expect(all[0]).to.deep.include({
        account: HOLDER,
        licenceId: L,
        route: "openai:chat.completions",
        model: "m",
        status: "served",
        cost: 1n,
        total: 2n,
        finishedAt: 30,
      });
      expect((await ledger.usage(HOLDER, { licenceId: L })).map((r) => r.callId)).to.deep.equal([ids[2], ids[0]]);
      expect((await ledger.usage(HOLDER, { limit: 1 })).map((r) => r.callId)).to.deep.equal([ids[2]]);
      expect((await ledger.usage(HOLDER, { before: 30 })).map((r) => r.callId)).to.deep.equal([ids[1], ids[0]]);
      expect(await ledger.usage(other)).to.have.length(1);
    });
  });
}
