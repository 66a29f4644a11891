/**
 * The README's local walkthrough, for real: starts `hardhat node` on a free 127.0.0.1 port, deploys the protocol
 * with Ignition, drives a model through registration, a vote and revenue with the `ws` tasks as separate CLI
 * processes, and stops the node by its pid.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { getAddress } from "ethers";

import { cleanEnv, cli, freePort, root, rpc, waitForRpc } from "./cli.js";
import { writeMembers } from "./helpers.js";

describe("tasks against a local node (npm run node)", function () {
  // Generous for a loaded machine: the deploy took two minutes while Ignition's production build recompiled every
  // contract (fixed in hardhat.config.ts; about 15 s now). Gas and outcomes are asserted, never time.
  this.timeout(360_000);
  let node: ChildProcess | undefined;
  let url = "";
  /** The node's own accounts, as `--signer N` indexes them. */
  let accounts: string[] = [];
  const deploymentId = `node-test-${process.pid}`;
  const work = mkdtempSync(path.join(tmpdir(), "weightshare-node-"));

  function hardhat(...args: string[]) {
    const r = spawnSync(process.execPath, [cli, ...args, "--network", "localhost"], {
      cwd: root,
      // A fresh CLI, as a user runs it.
      env: { ...cleanEnv(), WEIGHTSHARE_LOCALHOST_URL: url, FORCE_COLOR: "0" },
      encoding: "utf8",
      input: "",
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  function ws(task: string, ...args: string[]) {
    const addresses = path.join(root, "deploy", "deployments", deploymentId, "deployed_addresses.json");
    const deployment = task === "advance" ? [] : ["--deployment", addresses];
    const r = hardhat("ws", task, ...deployment, "--json", ...args);
    expect(r.status, `ws ${task} ${args.join(" ")}\n${r.stderr}`).to.equal(0);
    return JSON.parse(r.stdout);
  }

  before(async function () {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    node = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: root,
      stdio: "ignore",
    });
    await waitForRpc(url, 60_000);
    accounts = ((await rpc(url, "eth_accounts")) as string[]).map((a) => getAddress(a));
  });

  after(function () {
    if (node?.pid !== undefined) process.kill(node.pid); // stopped by its own pid
    rmSync(path.join(root, "deploy", "deployments", deploymentId), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("deploys with Ignition and walks a model through registration, a vote and revenue with the ws tasks", async function () {
    const deploy = hardhat(
      "ignition",
      "deploy",
      "deploy/modules/WeightshareLocal.ts",
      "--parameters",
      "deploy/parameters/localhost.json",
      "--deployment-id",
      deploymentId,
    );
    expect(deploy.status, deploy.stdout + deploy.stderr).to.equal(0);
    // The node's accounts 1..3 are the labs (read from the node: a mistyped literal once sent a lab's fractions to
    // an address nobody controls).
    const members = writeMembers(work, accounts.slice(1, 4), [600, 300, 100], { name: "Node Model", symbol: "NODE" });
    expect(ws("register", "--members", members).modelId).to.equal("1");
    // Account 3 holds its fractions and votes with them: `--signer 3` is that lab.
    ws("delegate", "--model-id", "1", "--to", accounts[2], "--signer", "3");
    expect(
      ws("model", "--model-id", "1").holders.map((h: { account: string; balance: string }) => [h.account, h.balance]),
    ).to.deep.equal([
      [accounts[1], "600"],
      [accounts[2], "300"],
      [accounts[3], "100"],
    ]);
    const p = ws(
      "propose",
      "--model-id",
      "1",
      "--action",
      "allow-eth",
      "--description",
      "Accept ETH revenue",
      "--signer",
      "1",
    );
    ws("advance", "--seconds", "3601");
    ws("vote", "--model-id", "1", "--proposal-id", p.proposalId, "--support", "for", "--signer", "1");
    ws("advance", "--seconds", String(3 * 86400));
    expect(ws("proposal", "--model-id", "1", "--proposal-id", p.proposalId).state).to.equal("Succeeded");
    ws("queue", "--model-id", "1", "--proposal-id", p.proposalId);
    ws("advance", "--seconds", String(2 * 86400));
    ws("execute", "--model-id", "1", "--proposal-id", p.proposalId);
    ws("deposit", "--model-id", "1", "--amount", "1", "--signer", "9");
    // The default split sends everything to the treasury until the DAO votes one: nothing for holders yet, so nothing
    // unlocks over the holders' window either; the treasury's cut is credited at once.
    const revenue = ws("revenue", "--model-id", "1", "--account", accounts[1]).tokens[0];
    expect(revenue.treasury).to.equal("1000000000000000000");
    expect([revenue.claimable, revenue.unlocking.locked]).to.deep.equal(["0", "0"]);
    const bad = hardhat(
      "ws",
      "model",
      "--model-id",
      "7",
      "--deployment",
      path.join(root, "deploy", "deployments", deploymentId, "deployed_addresses.json"),
    );
    expect(bad.status).to.equal(1);
    expect(bad.stderr.trim()).to.equal("error: --model-id: expected an existing model id (1..1), got 7");
  });
});
