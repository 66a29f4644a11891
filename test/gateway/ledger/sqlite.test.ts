/**
 * The SQLite ledger (gateway/ledger/sqlite.ts): the shared behaviours on a fresh file per test, then many clients
 * spending through two handles on one file (two connections, each waiting for the other's write lock), and through
 * two processes on one file.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { openSqliteDatabase, openSqliteLedger } from "../../../gateway/ledger/sqlite.js";
import { settlementBehaviour } from "./settlement.behavior.js";
import { spendingBehaviour } from "./spending.behavior.js";
import type { LedgerTarget } from "./target.js";
import { checkWorkload, fundWorkload, runWorkload, type WorkloadResult } from "./workload.js";

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

  describe("locks", function () {
    it("a write waits for another handle's write lock on a timer: the holder's awaits go on meanwhile", async function () {
      const target = await sqliteTarget();
      const a = await target.database();
      const b = await target.database();
      try {
        await a.write((sql) => sql.run("CREATE TABLE t (k INTEGER)"));
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        const order: string[] = [];
        const first = a.write(async (sql) => {
          await sql.run("INSERT INTO t VALUES (1)");
          await gate; // a timer must fire while b waits for the lock
          order.push("a commits");
        });
        await new Promise((resolve) => setImmediate(resolve));
        const read = await b.read((sql) => sql.all("SELECT count(*) AS n FROM t"));
        expect(read, "a reader does not wait for the writer, and sees only committed rows").to.deep.equal([{ n: 0 }]);
        const second = b.write(async (sql) => {
          order.push("b has the lock");
          return sql.all("SELECT count(*) AS n FROM t");
        });
        setTimeout(open, 20);
        const [, rows] = await Promise.all([first, second]);
        expect(order).to.deep.equal(["a commits", "b has the lock"]);
        expect(rows).to.deep.equal([{ n: 1 }]);
      } finally {
        await a.close();
        await b.close();
        await target.dispose();
      }
    });

    it("a read that meets SQLITE_BUSY is rolled back and run again whole, on a timer", async function () {
      const target = await sqliteTarget();
      const db = await target.database();
      try {
        let attempts = 0;
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 0);
        const rows = await db
          .read(async (sql) => {
            attempts += 1;
            if (attempts < 3) throw Object.assign(new Error("database is locked"), { errcode: 5 });
            return sql.all("SELECT 1 AS one");
          })
          .finally(() => clearInterval(ticker));
        expect(rows).to.deep.equal([{ one: 1 }]);
        expect(attempts).to.equal(3);
        expect(ticks, "the event loop ran between attempts").to.be.greaterThan(0);
        const other = await db
          .read(async () => {
            throw Object.assign(new Error("disk I/O error"), { errcode: 10 });
          })
          .catch((e: unknown) => e);
        expect((other as Error).message, "other errors are not retried").to.equal("disk I/O error");
      } finally {
        await db.close();
        await target.dispose();
      }
    });
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

    it("two processes on one file, 2,000 calls between them: each waits for the other's lock, nothing spent twice", async function () {
      const target = await sqliteTarget();
      const ledger = await target.ledger();
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--disable-warning=ExperimentalWarning", PROBE, target.file, "8", "1000"],
        { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } },
      );
      try {
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        while (!output.startsWith("ready\n")) await once(child.stdout, "data");
        await fundWorkload(ledger);
        child.stdin.write("go\n");
        const [ours, [code]] = await Promise.all([
          runWorkload([ledger], { clients: 25, calls: 1000, seed: 7 }),
          once(child, "exit") as Promise<[number]>,
        ]);
        expect(code, "the probe process failed").to.equal(0);
        const theirs = parseResult(output.slice("ready\n".length));
        const both: WorkloadResult = {
          attempted: ours.attempted + theirs.attempted,
          refused: ours.refused + theirs.refused,
          released: ours.released + theirs.released,
          committed: [...ours.committed, ...theirs.committed],
        };
        await checkWorkload(ledger, both, 2000);
      } finally {
        child.kill();
        await ledger.close();
        await target.dispose();
      }
    });
  });
});

const PROBE = path.join(import.meta.dirname, "sqlite-process-probe.ts");

/** The probe's JSON result, its records' credits back to bigints. */
function parseResult(json: string): WorkloadResult {
  const result = JSON.parse(json) as WorkloadResult;
  for (const r of result.committed) {
    for (const key of ["licenceId", "reservedCost", "cost", "total"] as const) r[key] = BigInt(r[key]);
  }
  return result;
}
