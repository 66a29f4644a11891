/**
 * The indexer's settings from the environment (indexer/settings.ts): defaults, PGlite or PostgreSQL, and one line
 * naming the variable for each bad value.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { indexerSettings, optionalAddress } from "../../indexer/settings.js";
import { run } from "../tasks/cli.js";

const addresses = {
  shares: "0x0000000000000000000000000000000000000001",
  registry: "0x0000000000000000000000000000000000000002",
  vault: "0x0000000000000000000000000000000000000003",
  licenses: "0x0000000000000000000000000000000000000004",
  meter: "0x0000000000000000000000000000000000000005",
};

describe("indexer settings", function () {
  let dir = "";
  let file = "";
  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), "ws-indexer-settings-"));
    file = path.join(dir, "deployment.json");
    writeFileSync(file, JSON.stringify(addresses));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("defaults to the local node, chain 31337, block 0 and PGlite under the given root", function () {
    const s = indexerSettings({ WEIGHTSHARE_DEPLOYMENT: file }, dir);
    expect([s.rpcUrl, s.chainId, s.startBlock, s.pollingInterval, s.disableCache]).to.deep.equal([
      "http://127.0.0.1:8545",
      31337,
      0,
      1000,
      true,
    ]);
    expect(s.database).to.deep.equal({ kind: "pglite", directory: path.join(dir, "indexer", ".ponder", "pglite") });
    expect(s.deployment.registry).to.equal(addresses.registry);
    expect(optionalAddress(s.deployment, "raises")).to.equal("0x0000000000000000000000000000000000000000");
  });

  it("uses PostgreSQL when DATABASE_URL is set, and keeps Ponder's RPC cache on real chains", function () {
    const s = indexerSettings(
      {
        WEIGHTSHARE_DEPLOYMENT: file,
        WEIGHTSHARE_CHAIN_ID: "8453",
        WEIGHTSHARE_START_BLOCK: "1200",
        WEIGHTSHARE_RPC_URL: "https://base.example/rpc",
        DATABASE_URL: "postgres://u@127.0.0.1:5432/ws",
      },
      dir,
    );
    expect([s.chainId, s.startBlock, s.disableCache]).to.deep.equal([8453, 1200, false]);
    expect(s.database).to.deep.equal({ kind: "postgres", connectionString: "postgres://u@127.0.0.1:5432/ws" });
  });

  it("refuses a bad value in one line naming the variable", function () {
    const cases: [Record<string, string>, string][] = [
      [
        { WEIGHTSHARE_RPC_URL: "localhost:8545" },
        'WEIGHTSHARE_RPC_URL: expected an http(s):// or ws(s):// URL, got "localhost:8545"',
      ],
      [{ WEIGHTSHARE_CHAIN_ID: "0x1" }, 'WEIGHTSHARE_CHAIN_ID: expected an integer >= 1, got "0x1"'],
      [{ WEIGHTSHARE_START_BLOCK: "-3" }, 'WEIGHTSHARE_START_BLOCK: expected an integer >= 0, got "-3"'],
      [{ WEIGHTSHARE_POLLING_MS: "10" }, 'WEIGHTSHARE_POLLING_MS: expected an integer >= 100, got "10"'],
      [{ DATABASE_URL: "mysql://x" }, 'DATABASE_URL: expected a postgres:// or postgresql:// URL, got "mysql://x"'],
    ];
    for (const [env, message] of cases) {
      expect(() => indexerSettings({ WEIGHTSHARE_DEPLOYMENT: file, ...env }, dir)).to.throw(message);
    }
    const missing = path.join(dir, "nope.json");
    expect(() => indexerSettings({ WEIGHTSHARE_DEPLOYMENT: missing }, dir)).to.throw(
      `WEIGHTSHARE_DEPLOYMENT: deployment ${missing}: no such file`,
    );
    expect(() => indexerSettings({}, dir)).to.throw(
      `WEIGHTSHARE_DEPLOYMENT: deployment ${path.join(dir, "deploy", "deployments", "chain-31337", "deployed_addresses.json")}: no such file`,
    );
  });
  it("npm run indexer refuses bad settings in one line, before Ponder starts", function () {
    const cases: [Record<string, string>, string][] = [
      [
        { WEIGHTSHARE_DEPLOYMENT: file, WEIGHTSHARE_INDEXER_PORT: "70000" },
        "WEIGHTSHARE_INDEXER_PORT: expected a port",
      ],
      [{ WEIGHTSHARE_DEPLOYMENT: file, DATABASE_SCHEMA: "drop table" }, "DATABASE_SCHEMA: expected a schema name"],
      [{ WEIGHTSHARE_DEPLOYMENT: path.join(dir, "nope.json") }, "WEIGHTSHARE_DEPLOYMENT: deployment"],
    ];
    for (const [env, start] of cases) {
      const r = run(["indexer/main.ts"], env);
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stderr.trim().split("\n")).to.have.length(1);
      expect(r.stderr.trim()).to.match(new RegExp(`^error: ${start.replace(/[()]/g, "\\$&")}`));
      expect(r.stdout).to.equal("");
    }
  });
});
