/**
 * What the revenue and licence-payment task tests share: the protocol deployed, models registered with the
 * `register` task, a 6-decimal "USDC" made with `ws test-token`, and proposals passed through a model's governor
 * directly with the same builders `ws propose` uses (the members vote For).
 */
import path from "node:path";

import { expect } from "chai";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { id, parseEther, ZeroAddress } from "ethers";

import {
  combine,
  setContributors,
  setPaymentToken,
  setRevenueSplit,
  type OfferTerms,
  type Proposal,
} from "../../governance/index.js";
import { passProposal } from "../../sdk/index.js";
import { deployForTasks, runTask, writeMembers, type TaskRun } from "./helpers.js";

export interface MoneySetup {
  deployment: string;
  accounts: string[];
  addresses: Record<string, string>;
  /** Runs a ws task with --json and --deployment (test-token takes neither). */
  run(name: string, args: Record<string, unknown>): Promise<TaskRun>;
  /** The JSON a task printed, after checking it exited 0. */
  ok(r: TaskRun): ReturnType<typeof JSON.parse>;
  /** Registers a model owned by accounts 1, 2 and 3 (500, 300, 200 fractions); returns its id. */
  register(name: string): Promise<bigint>;
  /** Passes `proposal` on `modelId`: account 1 proposes, accounts 1 and 2 vote For, then queue and execute. */
  pass(modelId: bigint, proposal: Proposal): Promise<void>;
  /**
   * One vote: the model accepts ETH and `token`, splits revenue `contributorsBps` / `holdersBps` (the treasury takes
   * the rest) and, when `contributorsBps` is not 0, names accounts 4 and 5 contributors with 3 and 1 shares.
   */
  configure(modelId: bigint, token: string, contributorsBps: bigint, holdersBps: bigint): Promise<void>;
}

export async function moneySetup(hre: HardhatRuntimeEnvironment): Promise<MoneySetup> {
  const { deployment, accounts, addresses } = await deployForTasks(hre);
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, name === "test-token" ? { json: true, ...args } : { deployment, json: true, ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  const register = async (name: string) => {
    const dir = path.dirname(deployment);
    const file = writeMembers(dir, accounts.slice(1, 4), [500, 300, 200], { name, symbol: "wsM" }, `${name}.json`);
    return BigInt(ok(await run("register", { members: file })).modelId);
  };
  const pass = async (modelId: bigint, proposal: Proposal) => {
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    const registry = await ethers.getContractAt("ModelRegistry", addresses.registry);
    const governor = await ethers.getContractAt("ModelGovernor", (await registry.model(modelId)).governor);
    const signers = await ethers.getSigners();
    await passProposal(governor, proposal, signers[1], [signers[1], signers[2]], networkHelpers);
  };
  const configure = async (modelId: bigint, token: string, contributorsBps: bigint, holdersBps: bigint) => {
    const { ethers } = await hre.network.getOrCreate();
    const vault = await ethers.getContractAt("RevenueVault", addresses.vault);
    const description = `configure revenue of model #${modelId}`;
    const parts = [
      await setPaymentToken({ vault, modelId, token: ZeroAddress, allowed: true, description }),
      await setPaymentToken({ vault, modelId, token, allowed: true, description }),
      await setRevenueSplit({ vault, modelId, contributorsBps, holdersBps, description }),
    ];
    if (contributorsBps !== 0n) {
      const contributors = [
        { account: accounts[4], shares: 3n },
        { account: accounts[5], shares: 1n },
      ];
      parts.push(await setContributors({ vault, modelId, contributors, description }));
    }
    await pass(modelId, combine(description, parts));
  };
  return { deployment, accounts, addresses, run, ok, register, pass, configure };
}

/** The address with the case of its first letter flipped: the same characters, a bad checksum. */
export function badChecksum(address: string): string {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i];
  return address.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + address.slice(i + 1);
}

/** An offer's terms for the lineage tests: 0.1 ETH, 30 days, unmetered, transferable, with `overrides`. */
export function unmeteredTerms(overrides: Partial<OfferTerms>): OfferTerms {
  return {
    price: parseEther("0.1"),
    paymentToken: ZeroAddress,
    duration: 30n * 86_400n,
    credits: 0n,
    cap: 0n,
    transferable: true,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://terms",
    termsHash: id("terms"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
    ...overrides,
  };
}
