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
