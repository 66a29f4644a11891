/**
 * What the raise and fraction-sale task tests share (raise.test.ts, raise-refusals.test.ts): the `ws propose`
 * fixture (model #1 held by accounts 1-3, USDC with 6 decimals), a terms document and an allow-list file, and
 * `passAll`, which files several proposals with `ws propose` and takes them through the governor together with the
 * tasks a DAO runs (`ws vote` from accounts 1 and 2, `ws queue`, `ws execute`), so raises opened by the first can
 * still be open when the last executes.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { proposeFixture, type ProposeFixture } from "./propose-setup.js";
import type { TaskRun } from "./helpers.js";

export interface RaiseFixture extends ProposeFixture {
  /** A terms document backers sign (its keccak256 is the raise's termsHash). */
  termsFile: string;
  /** An allow-list of accounts 4 and 5. */
  allowlistFile: string;
  /** Proposes each action (`ws propose --model-id 1`), then votes, queues and executes them all; their JSON. */
  passAll(actions: Record<string, unknown>[]): Promise<any[]>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The signer's nonce (a refused task sends nothing: it stays the same). */
  nonce(account: string): Promise<number>;
}

export async function raiseFixture(): Promise<RaiseFixture> {
  const f = await proposeFixture();
  const termsFile = path.join(f.dir, "raise-terms.md");
  writeFileSync(termsFile, "# Vision-7B training raise\n\nBackers get fractions pro rata above the cap.\n");
  const allowlistFile = path.join(f.dir, "allowlist.txt");
  writeFileSync(allowlistFile, `# who may back raise 2\n${f.accounts[4]}\n${f.accounts[5]}\n`);
  let counter = 0;

  async function passAll(actions: Record<string, unknown>[]) {
    const { networkHelpers } = await hre.network.getOrCreate();
    const filed = [];
    for (const action of actions) {
      filed.push(f.ok(await f.run("propose", { modelId: "1", description: `batch proposal ${++counter}`, ...action })));
    }
    await networkHelpers.time.increaseTo(BigInt(filed[filed.length - 1].snapshot) + 1n);
    for (const p of filed) {
      f.ok(await f.run("vote", { modelId: "1", proposalId: p.proposalId, support: "for" }));
      f.ok(await f.run("vote", { modelId: "1", proposalId: p.proposalId, support: "for", signer: "2" }));
    }
    await networkHelpers.time.increaseTo(BigInt(filed[filed.length - 1].deadline) + 1n);
    const queued: TaskRun[] = [];
    for (const p of filed) queued.push(await f.run("queue", { modelId: "1", proposalId: p.proposalId }));
    const eta = Math.max(...queued.map((q) => Number(f.ok(q).eta)));
    await networkHelpers.time.increaseTo(BigInt(eta));
    for (const p of filed) {
      const executed = await f.run("execute", { modelId: "1", proposalId: p.proposalId });
      expect(executed.exitCode, `${p.action}: ${executed.stderr}`).to.equal(0);
    }
    return filed;
  }

  async function nonce(account: string): Promise<number> {
    const { ethers } = await hre.network.getOrCreate();
    return ethers.provider.getTransactionCount(account);
  }

  return { ...f, termsFile, allowlistFile, passAll, nonce };
}
