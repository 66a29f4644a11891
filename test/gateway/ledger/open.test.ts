/**
 * Choosing the ledger (gateway/ledger/open.ts): the SQLite file `<dataDir>/ledger.sqlite` by default, migrated;
 * PostgreSQL when a database URL is given (postgres.test.ts opens a real one; here one that cannot be reached, to
 * check that its password never shows in the error).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { MIGRATIONS } from "../../../gateway/ledger/migrations.js";
import { openLedger } from "../../../gateway/ledger/open.js";
import { redactedDatabaseUrl } from "../../../gateway/ledger/postgres.js";
import { freePort } from "../../../gateway/server/main.js";

describe("gateway/ledger/open", function () {
  this.timeout(30_000);
  let dir: string;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-ledger-open-"));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("opens and migrates <dataDir>/ledger.sqlite when no database URL is given, creating the directory", async function () {
    const dataDir = path.join(dir, "data");
    const ledger = await openLedger({ dataDir, databaseUrl: "" });
    try {
      expect(ledger.kind).to.equal("sqlite");
      expect(existsSync(path.join(dataDir, "ledger.sqlite"))).to.equal(true);
      expect(await ledger.migrate()).to.equal(MIGRATIONS.length);
    } finally {
      await ledger.close();
    }
    const again = await openLedger({ dataDir });
    await again.close();
  });

  it("refuses a PostgreSQL ledger it cannot reach, naming it without its password", async function () {
    const port = await freePort(); // nothing listens there
    const url = `postgres://ledger:s3cret@127.0.0.1:${port}/weightshare?sslpassword=s3cret`;
    let error: Error | undefined;
    await openLedger({ dataDir: dir, databaseUrl: url }).catch((e: Error) => (error = e));
    expect(error?.message).to.equal(
      `PostgreSQL ledger at postgres://ledger:***@127.0.0.1:${port}/weightshare: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(error).to.have.property("code", "ECONNREFUSED");
    expect(existsSync(path.join(dir, "ledger.sqlite"))).to.equal(false);
  });

  it("redacts the password and query of a database URL", function () {
    expect(redactedDatabaseUrl("postgres://u:p%40ss@db.example:5432/ledger?password=x")).to.equal(
      "postgres://u:***@db.example:5432/ledger",
    );
    expect(redactedDatabaseUrl("postgresql://db.example/ledger")).to.equal("postgresql://db.example/ledger");
    expect(redactedDatabaseUrl("not a url :// s3cret")).to.equal("(unparseable database URL)");
  });
});
