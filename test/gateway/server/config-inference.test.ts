/**
 * The gateway's inference settings (gateway/server/config.ts): off without an operator key; with one, the SQLite
 * ledger by default or DATABASE_URL's PostgreSQL, upstreams from repeated or comma-separated flags, the settler's
 * interval and trigger, the replica id; every bad value one line naming the setting, never echoing the key.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ConfigError, loadConfig, OPERATOR_KEY_VARIABLE, parseUpstreams } from "../../../gateway/server/config.js";

const KEK = "11".repeat(32);
const KEY = `0x${"ab".repeat(32)}`;

describe("gateway/server/config: inference", function () {
  let dir: string;
  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-gateway-config-"));
  });
  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  const load = (argv: string[], env: Record<string, string> = {}) =>
    loadConfig(["--data-dir", dir, ...argv], { WEIGHTSHARE_GATEWAY_KEK: KEK, ...env });

  function refusal(argv: string[], env: Record<string, string> = {}): string {
    try {
      load(argv, env);
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message.split("\n")).to.have.length(1);
      expect(message).not.to.contain("abab"); // never the key
      return message;
    }
    throw new Error(`accepted ${argv.join(" ")}`);
  }

  it("is off without an operator key, and on with one: SQLite, 60 s, 1,000 credits, host-pid replica id", function () {
    expect(load([]).inference).to.equal(undefined);
    const on = load([], { [OPERATOR_KEY_VARIABLE]: KEY })!.inference!;
    expect(on.operatorKey).to.equal(KEY);
    expect(on.databaseUrl).to.equal(undefined);
    expect(on.upstreams).to.deep.equal([]);
    expect(on.settleEveryMs).to.equal(60_000);
    expect(on.settleCredits).to.equal(1000n);
    expect(on.replicaId).to.match(new RegExp(`-${process.pid}$`));
  });

  it("takes DATABASE_URL, upstreams (repeated and comma-separated), the settler's settings; flags win", function () {
    const config = load(
      [
        "--upstream",
        "7=http://127.0.0.1:8000/v1",
        "--upstream",
        "8=https://vllm.internal/v1,9=http://127.0.0.1:9000/v1",
        "--settle-every",
        "5m",
        "--settle-credits",
        "50",
        "--replica-id",
        "gw-1",
        "--database-url",
        "postgres://flag@db/ledger",
      ],
      {
        [OPERATOR_KEY_VARIABLE]: KEY,
        DATABASE_URL: "postgres://env@db/ledger",
        WEIGHTSHARE_UPSTREAM_API_KEY: "sk-upstream",
      },
    ).inference!;
    expect(config.upstreams.map((u) => [u.modelId, u.url])).to.deep.equal([
      [7n, "http://127.0.0.1:8000/v1"],
      [8n, "https://vllm.internal/v1"],
      [9n, "http://127.0.0.1:9000/v1"],
    ]);
    expect(config).to.deep.include({
      databaseUrl: "postgres://flag@db/ledger",
      settleEveryMs: 300_000,
      settleCredits: 50n,
      replicaId: "gw-1",
      upstreamApiKey: "sk-upstream",
    });
    expect(
      load([], { [OPERATOR_KEY_VARIABLE]: KEY, DATABASE_URL: "postgresql://env@db/l" }).inference!.databaseUrl,
    ).to.equal("postgresql://env@db/l");
  });

  it("refuses bad settings in one line naming them", function () {
    const on = { [OPERATOR_KEY_VARIABLE]: KEY };
    expect(refusal([], { [OPERATOR_KEY_VARIABLE]: "0xabab" })).to.match(
      /^WEIGHTSHARE_OPERATOR_KEY: expected 0x and 64 hex/,
    );
    expect(refusal(["--upstream", "7=http://127.0.0.1:8000/v1"])).to.match(
      /^--upstream: inference needs WEIGHTSHARE_OPERATOR_KEY/,
    );
    expect(refusal(["--upstream", "seven=http://x"], on)).to.match(/^--upstream: expected <model id>=<URL>/);
    expect(refusal(["--upstream", "7=ftp://x"], on)).to.match(/^--upstream: expected an http\(s\) URL/);
    expect(refusal(["--database-url", "mysql://db"], on)).to.match(
      /^--database-url \/ DATABASE_URL: expected a postgres/,
    );
    expect(refusal(["--settle-every", "0s"], on)).to.match(/^--settle-every: expected a duration from 1s/);
    expect(refusal(["--settle-every", "2h"], on)).to.match(/^--settle-every: expected at most 10m/);
    expect(refusal(["--settle-credits", "-5"], on)).to.match(/^--settle-credits: expected a whole number/);
    expect(refusal(["--replica-id", "a b"], on)).to.match(/^--replica-id: expected letters/);
    expect(() => parseUpstreams("1=http://a,")).to.throw(ConfigError, /--upstream: expected <model id>=<URL>/);
  });
});
