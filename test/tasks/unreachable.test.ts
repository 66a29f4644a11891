/**
 * `--network localhost` with no node running: one line saying where nothing answers and how to start a node, exit 1,
 * instead of Hardhat's several-line HHE703. Run as a user runs it, a child process, against a free loopback port
 * nobody listens on; a task that reads the deployment and one that needs none (ws advance) alike.
 */
import { expect } from "chai";

import { isUnreachable } from "../../tasks/lib/unreachable.js";
import { cli, freePort, run } from "./cli.js";

describe("tasks: --network with no node answering", function () {
  this.timeout(240_000);

  it("ws model and ws advance print one line naming the URL, exit 1, no HHE error", async function () {
    const url = `http://127.0.0.1:${await freePort()}`;
    const line = `error: --network: nothing answers at ${url}; start a node with npm run node (or point WEIGHTSHARE_LOCALHOST_URL at one)\n`;
    for (const task of [
      ["ws", "model", "--model-id", "1"],
      ["ws", "advance", "--seconds", "60"],
    ]) {
      const r = run([cli, ...task, "--network", "localhost"], { WEIGHTSHARE_LOCALHOST_URL: url });
      expect([r.status, r.stdout, r.stderr], task.join(" ")).to.deep.equal([1, "", line]);
    }
  });

  it("a real network names its RPC URL's variable, never the URL (it may hold an API key)", async function () {
    const url = `http://127.0.0.1:${await freePort()}/v2/secret-key`;
    const r = run([cli, "ws", "model", "--model-id", "1", "--network", "baseSepolia"], {
      BASE_SEPOLIA_RPC_URL: url,
      BASE_SEPOLIA_PRIVATE_KEY: `0x${"11".repeat(32)}`,
    });
    expect([r.status, r.stdout, r.stderr]).to.deep.equal([
      1,
      "",
      "error: --network: nothing answers at the RPC URL of baseSepolia (BASE_SEPOLIA_RPC_URL); check it, and your connection\n",
    ]);
  });

  it("recognises only Hardhat's HHE703, also when wrapped", function () {
    const refused = Object.defineProperties(new Error('HHE703: Cannot connect to the network "localhost".'), {
      _isHardhatError: { value: true },
      number: { value: 703 },
    });
    expect(isUnreachable(refused)).to.equal(true);
    expect(isUnreachable(new Error("wrapped", { cause: refused }))).to.equal(true);
    expect(isUnreachable(new Error("HHE703: Cannot connect"))).to.equal(false);
    expect(isUnreachable("HHE703")).to.equal(false);
  });
});
