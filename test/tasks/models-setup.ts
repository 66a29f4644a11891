/**
 * Setup the fraction, licence and listing task tests share: models registered with `ws register` from a members
 * file, and each model's timelock as an impersonated signer, so offers, payment tokens and contributors are set
 * without running a vote for each (the walkthrough test runs the votes).
 */
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { timelockSigner } from "../helpers/fixtures.js";
import { runTask, writeMembers, type MembersFile } from "./helpers.js";

/** Registers a model with `ws register` (signer 0); returns its id. */
export async function registerWithTask(
  hre: HardhatRuntimeEnvironment,
  deployment: string,
  file: MembersFile & { symbol: string },
): Promise<bigint> {
  const { members: list, ...model } = file;
  const members = writeMembers(
    path.dirname(deployment),
    list.map((m) => m.account),
    list.map((m) => m.amount),
    model,
    `${file.symbol}.json`,
  );
  const r = await runTask(hre, "register", { deployment, json: true, signer: "", members });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return BigInt(JSON.parse(r.stdout).modelId);
}

/** The protocol contracts as model `modelId`'s timelock (impersonated and funded) sends to them. */
export async function asTimelock(hre: HardhatRuntimeEnvironment, addresses: Record<string, string>, modelId: bigint) {
  const connection = await hre.network.getOrCreate();
  const { ethers } = connection;
  const registry = await ethers.getContractAt("ModelRegistry", addresses.registry);
  const timelock = await ethers.getContractAt("ModelTimelock", (await registry.model(modelId)).timelock);
  const signer = await timelockSigner(connection, timelock);
  return {
    address: await timelock.getAddress(),
    licenses: await ethers.getContractAt("LicenseManager", addresses.licenses, signer),
    vault: await ethers.getContractAt("RevenueVault", addresses.vault, signer),
    shares: await ethers.getContractAt("ModelShares", addresses.shares, signer),
  };
}
