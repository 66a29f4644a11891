/**
 * Running tasks in-process as a user would from the CLI: the same task runner, arguments and output, with stdout,
 * stderr and the exit code captured (and the exit code reset, so a refused task does not fail the test run).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import WeightshareLocalModule from "../../deploy/modules/WeightshareLocal.js";

export interface TaskRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function runTask(
  hre: HardhatRuntimeEnvironment,
  name: string,
  args: Record<string, unknown>,
): Promise<TaskRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    await hre.tasks.getTask(["ws", name]).run(args);
  } finally {
    console.log = log;
    console.error = error;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { stdout: out.join("\n"), stderr: err.join("\n"), exitCode };
}

/** A task run as a test file runs it: its name and arguments, on top of the file's defaults (deployment, --json). */
export type RunTask = (name: string, args: Record<string, unknown>) => Promise<TaskRun>;

/**
 * Runs a task expected to refuse: one line on stderr (exactly `message`, the whole line with its `error: `, or
 * matching it), nothing on stdout, exit 1, and no block mined. Returns the line.
 */
export async function expectRefused(
  run: RunTask,
  name: string,
  args: Record<string, unknown>,
  message?: string | RegExp,
): Promise<string> {
  const { ethers } = await hre.network.getOrCreate();
  const block = await ethers.provider.getBlockNumber();
  const r = await run(name, args);
  expect([r.exitCode, r.stdout], r.stderr).to.deep.equal([1, ""]);
  expect(r.stderr.split("\n")).to.have.length(1);
  if (typeof message === "string") expect(r.stderr).to.equal(message);
  else if (message !== undefined) expect(r.stderr).to.match(message);
  expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing mined");
  return r.stderr;
}

/** What `ws register --members FILE` reads. */
export interface MembersFile {
  name: string;
  symbol?: string;
  metadataURI?: string;
  /** A local copy of the metadata document, hashed instead of reading the URI. */
  metadataFile?: string;
  contentHash?: string;
  members: { account: string; amount: number | string }[];
  governance?: Record<string, string | number>;
}

/**
 * Writes a members file for `ws register` in `dir` and returns its path: `accounts[i]` holds `amounts[i]` fractions
 * of the model `model` describes (default Vision-7B, wsVIS), in `file` (default members.json).
 */
export function writeMembers(
  dir: string,
  accounts: string[],
  amounts: (number | string)[],
  model: Omit<MembersFile, "members"> = { name: "Vision-7B", symbol: "wsVIS" },
  file = "members.json",
): string {
  if (accounts.length !== amounts.length) throw new Error(`${accounts.length} accounts for ${amounts.length} amounts`);
  const members = accounts.map((account, i) => ({ account, amount: amounts[i] }));
  const target = path.join(dir, file);
  writeFileSync(target, JSON.stringify({ ...model, members }));
  return target;
}

/** Writes the protocol's addresses where `--deployment` can read them. */
export function deploymentFile(addresses: Record<string, string>): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "weightshare-")), "deployment.json");
  writeFileSync(file, JSON.stringify(addresses));
  return file;
}

/**
 * Deploys the protocol with the Ignition module users run (account 0 as the admin timelock's proposer and
 * executor) on the shared connection the tasks use, and writes its addresses for `--deployment`, every one Ignition
 * records (the lineage registry of derivative models too).
 */
export async function deployForTasks(
  hre: HardhatRuntimeEnvironment,
): Promise<{ deployment: string; accounts: string[]; addresses: Record<string, string> }> {
  const { ethers, ignition } = await hre.network.getOrCreate();
  const accounts = (await ethers.getSigners()).map((s) => s.address);
  const d = await ignition.deploy(WeightshareLocalModule, {
    parameters: { Weightshare: { adminDelay: 3600, adminProposers: [accounts[0]], adminExecutors: [accounts[0]] } },
  });
  const addresses = {
    shares: await d.shares.getAddress(),
    registry: await d.registry.getAddress(),
    vault: await d.vault.getAddress(),
    licenses: await d.licenses.getAddress(),
    meter: await d.meter.getAddress(),
    lineage: await d.lineage.getAddress(),
    adminTimelock: await d.adminTimelock.getAddress(),
    multicall: await d.multicall.getAddress(),
    raises: await d.raises.getAddress(),
    sales: await d.sales.getAddress(),
    eas: await d.eas.getAddress(),
    schemaRegistry: await d.schemaRegistry.getAddress(),
    reviewResolver: await d.reviewResolver.getAddress(),
    provenanceResolver: await d.provenanceResolver.getAddress(),
  };
  return { deployment: deploymentFile(addresses), accounts, addresses };
}
