/**
 * The gateway's configuration (gateway/server/config.ts): defaults, flags over environment, one-line errors naming
 * the setting for every invalid value (never echoing a secret), and the token secret generated once, mode 0600.
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import {
  ConfigError,
  loadConfig,
  parseDuration,
  parseTrustProxy,
  TOKEN_SECRET_FILE,
  TOKEN_SECRET_VARIABLE,
} from "../../../gateway/server/config.js";

const KEK = "11".repeat(32);

describe("gateway/server/config", function () {
  let dir: string;
  beforeEach(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "ws-gateway-config-"));
  });
  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("has safe defaults: 127.0.0.1:8484, 1 h tokens, a generated 0600 token secret reused on restart", async function () {
    const config = loadConfig(["--data-dir", dir], { WEIGHTSHARE_GATEWAY_KEK: KEK });
    expect(config.host).to.equal("127.0.0.1");
    expect(config.port).to.equal(8484);
    expect(config.tokenTtl).to.equal(3600);
    expect(config.rateLimit).to.equal(600);
    expect(config.kek.toString("hex")).to.equal(KEK);
    const file = path.join(dir, TOKEN_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect((await readFile(file, "utf8")).trim()).to.match(/^[0-9a-f]{64}$/);
    const again = loadConfig([`--data-dir=${dir}`], { WEIGHTSHARE_GATEWAY_KEK: KEK });
    expect(again.tokenSecret.equals(config.tokenSecret)).to.equal(true);
  });

  it("takes flags over environment variables", function () {
    const env = {
      WEIGHTSHARE_GATEWAY_KEK: KEK,
      WEIGHTSHARE_DATA_DIR: dir,
      WEIGHTSHARE_RPC_URL: "http://127.0.0.1:8545",
      WEIGHTSHARE_GATEWAY_TOKEN_TTL: "15m",
      [TOKEN_SECRET_VARIABLE]: "s".repeat(40),
      IPFS_API_URL: "http://127.0.0.1:5001",
    };
    const config = loadConfig(["--rpc-url", "http://127.0.0.1:9999", "--port", "0", "--domain", "gw.example:443"], env);
    expect(config.rpcUrl).to.equal("http://127.0.0.1:9999");
    expect(config.dataDir).to.equal(dir);
    expect(config.port).to.equal(0);
    expect(config.domain).to.equal("gw.example:443");
    expect(config.tokenTtl).to.equal(900);
    expect(config.ipfsApiUrl).to.equal("http://127.0.0.1:5001");
    expect(config.tokenSecret.toString()).to.equal("s".repeat(40));
  });

  it("refuses every invalid setting in one line naming it, never echoing a secret", function () {
    const env = { WEIGHTSHARE_GATEWAY_KEK: KEK, WEIGHTSHARE_DATA_DIR: dir };
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [["--port", "70000"], env, /^--port: expected 0\.\.65535/],
      [["--port"], env, /^--port: expected a value/],
      [["--colour", "red"], env, /^--colour: unknown flag/],
      [["stray"], env, /^unexpected argument "stray"/],
      [["--rpc-url", "not a url"], env, /^--rpc-url \/ WEIGHTSHARE_RPC_URL: "not a url" is not a URL/],
      [["--rpc-url", "ftp://x"], env, /^--rpc-url \/ WEIGHTSHARE_RPC_URL: expected an http\(s\) URL/],
      [["--domain", "https://x/"], env, /^--domain: "https:\/\/x\/" is not a host\[:port\]/],
      [["--token-ttl", "5s"], env, /^--token-ttl: expected a duration from 60s to 30d/],
      [["--rate-limit", "0"], env, /^--rate-limit: expected requests per minute/],
      [[], { WEIGHTSHARE_DATA_DIR: dir }, /^WEIGHTSHARE_GATEWAY_KEK is not set/],
      [[], { ...env, WEIGHTSHARE_GATEWAY_KEK: "abc" }, /^WEIGHTSHARE_GATEWAY_KEK/],
      [[], { ...env, [TOKEN_SECRET_VARIABLE]: "short-secret" }, /^WEIGHTSHARE_GATEWAY_TOKEN_SECRET is too short/],
    ];
    for (const [argv, e, pattern] of cases) {
      let caught: unknown;
      try {
        loadConfig(argv, e);
      } catch (error) {
        caught = error;
      }
      expect(caught, argv.join(" ")).to.be.instanceOf(ConfigError);
      const message = (caught as Error).message;
      expect(message, argv.join(" ")).to.match(pattern);
      expect(message).to.not.contain("\n");
      expect(message).to.not.contain("short-secret");
    }
  });

  it("reads --trust-proxy as none, true, a hop count or proxy addresses, and refuses anything else", function () {
    expect(parseTrustProxy(undefined)).to.equal(false);
    expect(parseTrustProxy("true")).to.equal(true);
    expect(parseTrustProxy("1")).to.equal(1);
    expect(parseTrustProxy("127.0.0.1,10.0.0.0/8")).to.equal("127.0.0.1,10.0.0.0/8");
    expect(() => parseTrustProxy("everyone")).to.throw(ConfigError, /^--trust-proxy: expected true, a hop count/);
  });

  it("takes the settler lease (default 60 s), refusing one shorter than two of the settler's polls", function () {
    const env = {
      WEIGHTSHARE_GATEWAY_KEK: KEK,
      WEIGHTSHARE_DATA_DIR: dir,
      WEIGHTSHARE_OPERATOR_KEY: `0x${"22".repeat(32)}`,
    };
    expect(loadConfig([], env).inference?.settleLeaseMs).to.equal(60_000);
    const short = loadConfig(["--settle-every", "1s", "--settle-lease", "3s"], env).inference!;
    expect([short.settleEveryMs, short.settleLeaseMs]).to.deep.equal([1000, 3000]);
    expect(loadConfig([], { ...env, WEIGHTSHARE_GATEWAY_SETTLE_LEASE: "5m" }).inference?.settleLeaseMs).to.equal(
      300_000,
    );
    expect(() => loadConfig(["--settle-lease", "9s"], env)).to.throw(
      ConfigError,
      /^--settle-lease: expected at least 10s \(twice the settler's poll interval, min\(5s, --settle-every\)\), got 9s$/,
    );
    expect(() => loadConfig(["--settle-lease", "0s"], env)).to.throw(
      ConfigError,
      /^--settle-lease: expected a duration/,
    );
  });

  it("reads durations in s, m, h, d", function () {
    expect(parseDuration("90s", "--x")).to.equal(90);
    expect(parseDuration("30m", "--x")).to.equal(1800);
    expect(parseDuration("2h", "--x")).to.equal(7200);
    expect(parseDuration("1d", "--x")).to.equal(86400);
    expect(parseDuration("600", "--x")).to.equal(600);
  });
});
