/**
 * What the `ws propose` tests share (propose.test.ts, propose-offers.test.ts): a deployment with model #1 held by
 * accounts 1-3 (500, 300, 200), a 6-decimal USDC and an 18-decimal OTH, and helpers that propose, pass a proposal
 * (vote, queue, execute) and check a refusal (one exact line on stderr, exit 1, nothing on stdout, nothing mined).
 */
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { deployForTasks, runTask, writeMembers, type TaskRun } from "./helpers.js";

export interface ProposeFixture {
  deployment: string;
  dir: string;
  accounts: string[];
  addresses: Record<string, string>;
  treasury: string;
  usdc: string;
  other: string;
  run: (name: string, args: Record<string, unknown>) => Promise<TaskRun>;
  ok: (r: TaskRun) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
  propose: (action: Record<string, unknown>) => Promise<TaskRun>;
  pass: (action: Record<string, unknown>) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  refused: (action: Record<string, unknown>, message: string) => Promise<void>;
}

export async function proposeFixture(): Promise<ProposeFixture> {
  const { deployment, accounts, addresses } = await deployForTasks(hre);
  const dir = path.dirname(deployment);
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "1", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  let counter = 0;
  const propose = (action: Record<string, unknown>) =>
    run("propose", { modelId: "1", description: `proposal ${++counter}`, ...action });

  /** Proposes, votes (accounts 1 and 2), queues and executes. */
  async function pass(action: Record<string, unknown>) {
    const { networkHelpers } = await hre.network.getOrCreate();
    const p = ok(await propose(action));
    await networkHelpers.time.increaseTo(BigInt(p.snapshot) + 1n);
    ok(await run("vote", { modelId: "1", proposalId: p.proposalId, support: "for" }));
    ok(await run("vote", { modelId: "1", proposalId: p.proposalId, support: "for", signer: "2" }));
    await networkHelpers.time.increaseTo(BigInt(p.deadline) + 1n);
    const q = ok(await run("queue", { modelId: "1", proposalId: p.proposalId }));
    await networkHelpers.time.increaseTo(BigInt(q.eta));
    ok(await run("execute", { modelId: "1", proposalId: p.proposalId }));
    return p;
  }

  /** One exact line on stderr, exit 1, nothing on stdout, no block mined. */
  async function refused(action: Record<string, unknown>, message: string) {
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const r = await propose(action);
    expect([r.exitCode, r.stdout, r.stderr]).to.deep.equal([1, "", `error: ${message}`]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing mined");
  }

  const members = writeMembers(dir, accounts.slice(1, 4), [500, 300, 200]);
  ok(await run("register", { members }));
  const treasury = ok(await run("model", { modelId: "1" })).timelock;
  const { ethers } = await hre.network.getOrCreate();
  const usdc = await (await ethers.deployContract("TestToken", ["USD Coin", "USDC", 6])).getAddress();
  const other = await (await ethers.deployContract("TestToken", ["Other", "OTH", 18])).getAddress();
  return { deployment, dir, accounts, addresses, treasury, usdc, other, run, ok, propose, pass, refused };
}
