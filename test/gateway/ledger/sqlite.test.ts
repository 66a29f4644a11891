/**
 * The SQLite ledger (gateway/ledger/sqlite.ts): the shared behaviours on a fresh file per test, then many clients
 * spending through two handles on one file (two connections, each waiting for the other's write lock).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { openSqliteDatabase, openSqliteLedger } from "../../../gateway/ledger/sqlite.js";
import { settlementBehaviour } from "./settlement.behavior.js";
import { spendingBehaviour } from "./spending.behavior.js";
import type { LedgerTarget } from "./target.js";
import { checkWorkload, fundWorkload, runWorkload } from "./workload.js";

/** A fresh SQLite file in a temporary directory. */
async function sqliteTarget(): Promise<LedgerTarget & { file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "ws-ledger-"));
  const file = path.join(dir, "ledger.sqlite");
  return {
    file,
    async ledger() {
      const ledger = await openSqliteLedger(file);
      await ledger.migrate();
      return ledger;
    },
    async database() {
      return openSqliteDatabase(file);
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe("gateway/ledger on SQLite", function () {
  this.timeout(60_000);

  describe("spending", function () {
    spendingBehaviour(sqliteTarget);
  });

  describe("settlement", function () {
    settlementBehaviour(sqliteTarget);
  });

  describe("concurrency", function () {
    it("two handles on one file, 50 clients, 2,000 calls: no credit spent twice, none beyond the limits", async function () {
      const target = await sqliteTarget();
      const a = await target.ledger();
      const b = await target.ledger();
      try {
        expect(a.kind).to.equal("sqlite");
        await fundWorkload(a);
        const result = await runWorkload([a, b], { clients: 50, calls: 2000, seed: 13 });
        await checkWorkload(b, result, 2000);
      } finally {
        await a.close();
        await b.close();
        await target.dispose();
      }
    });
  });
});
