/**
 * Running tasks in-process as a user would from the CLI: the same task runner, arguments and output, with stdout,
 * stderr and the exit code captured (and the exit code reset, so a refused task does not fail the test run).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import WeightshareModule from "../../deploy/modules/Weightshare.js";

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

/** Writes the protocol's addresses where `--deployment` can read them. */
export function deploymentFile(addresses: Record<string, string>): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "weightshare-")), "deployment.json");
  writeFileSync(file, JSON.stringify(addresses));
  return file;
}

/**
 * Deploys the protocol with the Ignition module users run (account 0 as the admin timelock's proposer and
 * executor) on the shared connection the tasks use, and writes its addresses for `--deployment`.
 */
export async function deployForTasks(
  hre: HardhatRuntimeEnvironment,
): Promise<{ deployment: string; accounts: string[]; addresses: Record<string, string> }> {
  const { ethers, ignition } = await hre.network.getOrCreate();
  const accounts = (await ethers.getSigners()).map((s) => s.address);
  const d = await ignition.deploy(WeightshareModule, {
    parameters: { Weightshare: { adminDelay: 3600, adminProposers: [accounts[0]], adminExecutors: [accounts[0]] } },
  });
  const addresses = {
    shares: await d.shares.getAddress(),
    registry: await d.registry.getAddress(),
    vault: await d.vault.getAddress(),
    licenses: await d.licenses.getAddress(),
    meter: await d.meter.getAddress(),
    adminTimelock: await d.adminTimelock.getAddress(),
    multicall: await d.multicall.getAddress(),
  };
  return { deployment: deploymentFile(addresses), accounts, addresses };
}
