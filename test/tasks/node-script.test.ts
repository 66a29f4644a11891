/**
 * `npm run node` (scripts/node.ts): a busy port is one line naming a free one; a node on another port is recorded
 * while it runs, so `--network localhost` reaches it without WEIGHTSHARE_LOCALHOST_URL; stopping it removes the
 * record. The script runs with its own record file (WEIGHTSHARE_LOCALHOST_RECORD), so a developer's node and its
 * cache/localhost.json are never touched; nodes are stopped by their own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { DEFAULT_LOCALHOST_URL, localhostUrl, readLocalNode } from "../../tasks/lib/localhost.js";
import { cli, cleanEnv, freePort, root, rpc, run, waitForRpc } from "./cli.js";

const script = path.join(root, "scripts", "node.ts");

describe("npm run node (scripts/node.ts)", function () {
  this.timeout(120_000);
  const work = mkdtempSync(path.join(tmpdir(), "weightshare-node-script-"));
  const record = path.join(work, "localhost.json");
  // A user's shell: no WEIGHTSHARE_LOCALHOST_URL; the record in a file of this test's own.
  const env = () => {
    const e = cleanEnv();
    delete e.WEIGHTSHARE_LOCALHOST_URL;
    return { ...e, WEIGHTSHARE_LOCALHOST_RECORD: record };
  };

  after(function () {
    rmSync(work, { recursive: true, force: true });
  });

  describe("the localhost URL (tasks/lib/localhost.ts)", function () {
    const file = path.join(work, "pure.json");
    it("WEIGHTSHARE_LOCALHOST_URL wins over a record", function () {
      writeFileSync(file, JSON.stringify({ url: "http://127.0.0.1:9999", pid: process.pid }));
      const url = "http://127.0.0.1:1234";
      expect(localhostUrl({ WEIGHTSHARE_LOCALHOST_URL: url, WEIGHTSHARE_LOCALHOST_RECORD: file })).to.equal(url);
    });
    it("the recorded node while its process is alive, else 127.0.0.1:8545", function () {
      writeFileSync(file, JSON.stringify({ url: "http://127.0.0.1:9999", pid: process.pid }));
      expect(localhostUrl({ WEIGHTSHARE_LOCALHOST_RECORD: file })).to.equal("http://127.0.0.1:9999");
      // A pid no process has (above Linux's pid_max).
      writeFileSync(file, JSON.stringify({ url: "http://127.0.0.1:9999", pid: 2 ** 22 + 1 }));
      expect(localhostUrl({ WEIGHTSHARE_LOCALHOST_RECORD: file })).to.equal(DEFAULT_LOCALHOST_URL);
      writeFileSync(file, "not json");
      expect(localhostUrl({ WEIGHTSHARE_LOCALHOST_RECORD: file })).to.equal(DEFAULT_LOCALHOST_URL);
      expect(localhostUrl({ WEIGHTSHARE_LOCALHOST_RECORD: path.join(work, "none.json") })).to.equal(
        DEFAULT_LOCALHOST_URL,
      );
    });
  });

  describe("a busy port", function () {
    let busy: Server;
    let port = 0;
    before(async function () {
      busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
      port = (busy.address() as { port: number }).port;
    });
    after(async function () {
      await new Promise((resolve) => busy.close(resolve));
    });

    it("is one line suggesting --port with a free one, exit 1, no node started and nothing recorded", function () {
      const r = run([script, "--port", String(port)], env());
      expect(r.status).to.equal(1);
      expect(r.stdout).to.equal("");
      const match = r.stderr.match(
        /^error: port (\d+) on 127\.0\.0\.1 is in use \(another node\?\); start on another with npm run node -- --port (\d+)\n$/,
      );
      expect(match, r.stderr).to.not.equal(null);
      expect(Number(match![1])).to.equal(port);
      expect(Number(match![2])).to.be.greaterThan(port);
      expect(existsSync(record)).to.equal(false);
    });

    it("a bad --port or --hostname is one line too", function () {
      const bad = run([script, "--port", "http"], env());
      expect([bad.status, bad.stderr]).to.deep.equal([
        1,
        'error: --port: expected a port number 1..65535 (e.g. --port 8546), got "http"\n',
      ]);
      const host = run([script, "--hostname", "0.0.0.0"], env());
      expect(host.status).to.equal(1);
      expect(host.stderr).to.match(/^error: --hostname: npm run node listens on 127\.0\.0\.1 only; .*\n$/);
    });
  });

  describe("a node on a free port other than 8545", function () {
    let wrapper: ChildProcess | undefined;
    let url = "";
    let exited: Promise<number | null>;

    before(async function () {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      wrapper = spawn(process.execPath, [script, "--port", String(port)], { cwd: root, env: env(), stdio: "ignore" });
      exited = new Promise((resolve) => wrapper!.once("exit", (code) => resolve(code)));
      await waitForRpc(url, 60_000);
    });

    after(function () {
      // Stopped by its own pid, if a failed assertion left it running.
      if (wrapper?.exitCode === null && wrapper.signalCode === null) wrapper.kill("SIGTERM");
    });

    it("is recorded with the node's url and pid while it runs", function () {
      const node = readLocalNode(record);
      expect(node?.url).to.equal(url);
      expect(node?.pid).to.be.a("number").and.not.equal(wrapper!.pid);
    });

    it("--network localhost reaches it without WEIGHTSHARE_LOCALHOST_URL", async function () {
      const before = BigInt((await rpc(url, "eth_blockNumber")) as string);
      const r = run([cli, "ws", "advance", "--seconds", "1", "--network", "localhost", "--json"], env());
      expect(r.status, r.stderr).to.equal(0);
      const { now } = JSON.parse(r.stdout) as { now: number };
      const latest = (await rpc(url, "eth_getBlockByNumber", ["latest", false])) as {
        number: string;
        timestamp: string;
      };
      expect(BigInt(latest.number)).to.be.greaterThan(before);
      expect(Number(BigInt(latest.timestamp))).to.equal(now);
    });

    it("Ctrl-C (SIGINT to the script's pid) stops the node and removes the record", async function () {
      const node = readLocalNode(record)!;
      process.kill(wrapper!.pid!, "SIGINT");
      await exited;
      expect(existsSync(record)).to.equal(false);
      let alive = true;
      try {
        process.kill(node.pid, 0);
      } catch {
        alive = false;
      }
      expect(alive, "the node's process").to.equal(false);
      let answered = true;
      try {
        await rpc(url, "eth_chainId");
      } catch {
        answered = false;
      }
      expect(answered, "the node still answers").to.equal(false);
    });
  });
});
