/**
 * The PostgreSQL ledger (gateway/ledger/postgres.ts) on a throwaway PostgreSQL cluster started by the test
 * (test/helpers/postgres.ts): the shared behaviours on a fresh database per test, then two replicas (two ledgers,
 * two connection pools) on one database under 50 concurrent clients. Skipped, saying why, where PostgreSQL's
 * binaries are not installed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { openLedger } from "../../../gateway/ledger/open.js";
import { openPostgresDatabase, openPostgresLedger } from "../../../gateway/ledger/postgres.js";
import { postgresMissing, type RunningPostgres, startPostgres } from "../../helpers/postgres.js";
import { settlementBehaviour } from "./settlement.behavior.js";
import { spendingBehaviour } from "./spending.behavior.js";
import type { LedgerTarget } from "./target.js";
import { checkWorkload, fundWorkload, runWorkload } from "./workload.js";

describe("gateway/ledger on PostgreSQL", function () {
  this.timeout(120_000);
  let server: RunningPostgres | undefined;
  let databases = 0;

  before(async function () {
    const missing = postgresMissing();
    if (missing !== undefined) {
      console.warn(`\n  SKIPPED gateway/ledger on PostgreSQL: ${missing}\n`);
      this.skip();
    }
    server = await startPostgres();
  });

  after(async function () {
    await server?.stop();
  });

  /** A fresh database on the cluster. */
  async function postgresTarget(): Promise<LedgerTarget> {
    const url = await server!.createDatabase(`ledger_${++databases}`);
    return {
      async ledger() {
        const ledger = await openPostgresLedger(url, { poolSize: 4 });
        await ledger.migrate();
        return ledger;
      },
      async database() {
        return openPostgresDatabase(url, { poolSize: 4 });
      },
      async dispose() {},
    };
  }

  describe("spending", function () {
    spendingBehaviour(postgresTarget);
  });

  describe("settlement", function () {
    settlementBehaviour(postgresTarget);
  });

  describe("opening", function () {
    it("openLedger uses the database URL when one is given, and migrates it", async function () {
      const dataDir = await mkdtemp(path.join(tmpdir(), "ws-ledger-"));
      const url = await server!.createDatabase(`ledger_${++databases}`);
      const ledger = await openLedger({ dataDir, databaseUrl: url });
      try {
        expect(ledger.kind).to.equal("postgres");
        expect(await ledger.licence(1n)).to.equal(undefined); // the schema is there
      } finally {
        await ledger.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it("names a database it cannot open without the password", async function () {
      const port = new URL(server!.url).port;
      const url = `postgres://postgres:s3cret@127.0.0.1:${port}/no_such_database?password=s3cret`;
      let error: Error | undefined;
      await openPostgresLedger(url).catch((e: Error) => (error = e));
      expect(error?.message).to.match(
        /^PostgreSQL ledger at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/no_such_database: /,
      );
      expect(error?.message).to.include('no_such_database" does not exist');
      expect(error?.message).not.to.include("s3cret");
      expect(error).to.have.property("code", "3D000");
    });
  });

  describe("concurrency", function () {
    it("two replicas on one database, 50 clients, 2,000 calls: no credit spent twice, none beyond the limits", async function () {
      const target = await postgresTarget();
      const a = await target.ledger();
      const b = await target.ledger();
      try {
        expect([a.kind, b.kind]).to.deep.equal(["postgres", "postgres"]);
        await fundWorkload(a);
        const result = await runWorkload([a, b], { clients: 50, calls: 2000, seed: 42 });
        await checkWorkload(b, result, 2000);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});
