/**
 * Issue #11's path for labs whose fractions sit in a Safe, with the real Safe contracts: a 2-of-3 Safe is a member
 * of a model; `ws delegate`, `ws propose`, `ws vote` and `ws deposit` with `--safe` print Transaction Builder
 * batches, sending nothing; two owners sign each batch and one executes it (`execTransaction`, and MultiSendCallOnly
 * for an approval and a payment), and the chain then records the Safe as the delegator, proposer, voter and payer.
 * A refusal in Safe mode is one line, exit 1, and no batch.
 */
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { ContractTransactionReceipt } from "ethers";
import hre from "hardhat";

import { shortId } from "../../tasks/lib/errors.js";
import { timeText } from "../../tasks/lib/units.js";
import { deploySafe, executeBatch, type SafeBatchJson, type TestSafe } from "../helpers/safe.js";
import { deployForTasks, runTask, writeMembers, type TaskRun } from "./helpers.js";

describe("tasks: --safe batches executed through a real 2-of-3 Safe", function () {
  let deployment: string;
  let accounts: string[];
  let signers: HardhatEthersSigner[];
  let lab: TestSafe;
  let members: string;
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "", force: false, ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  const connection = () => hre.network.getOrCreate();
  const block = async () => (await connection()).ethers.provider.getBlockNumber();

  /**
   * Runs a task with `--safe` (with `--signer 4`, not an owner: it only simulates, and without `--json`: stdout is the
   * batch alone, for a file to load in Safe{Wallet}) and checks the batch it prints.
   */
  async function batchOf(name: string, args: Record<string, unknown>, methods: string[]): Promise<SafeBatchJson> {
    const before = await block();
    const batch = ok(await run(name, { ...args, safe: lab.address, signer: "4", json: false })) as SafeBatchJson;
    expect(await block()).to.equal(before, "nothing sent");
    const { chainId } = await (await connection()).ethers.provider.getNetwork();
    expect(batch).to.deep.include({ version: "1.0", chainId: String(chainId) });
    expect(batch.meta).to.deep.include({ description: methods.join(", "), createdFromSafeAddress: lab.address });
    expect(batch.transactions).to.have.length(methods.length);
    for (const t of batch.transactions) expect(t).to.include({ contractMethod: null, contractInputsValues: null });
    return batch;
  }
  /** Owners 1 and 3 sign (2 of 3), owner 1 executes. */
  const execute = async (batch: SafeBatchJson) =>
    executeBatch((await connection()).ethers, lab, batch, [signers[1], signers[3]]);
  /** The arguments of the model's governor's event of this name in a receipt. */
  async function governorEvent(receipt: ContractTransactionReceipt, name: string) {
    const { governor } = await model();
    const at = await governor.getAddress();
    const event = receipt.logs
      .filter((log) => log.address === at)
      .map((log) => governor.interface.parseLog(log))
      .find((parsed) => parsed?.name === name);
    if (event == null) throw new Error(`no ${name} event`);
    return event.args;
  }
  async function model() {
    const { ethers } = await connection();
    const info = ok(await run("model", { modelId: "1" }));
    return {
      info,
      governor: await ethers.getContractAt("ModelGovernor", info.governor),
      votes: await ethers.getContractAt("ModelVotes", info.votes),
    };
  }
  /** The Safe proposes (and votes for) an action; then anyone queues and executes it. */
  async function passThroughSafe(action: Record<string, unknown>, description: string): Promise<bigint> {
    const { networkHelpers } = await connection();
    const { governor } = await model();
    const proposed = await execute(await batchOf("propose", { modelId: "1", ...action, description }, ["propose"]));
    const id = (await governorEvent(proposed, "ProposalCreated")).proposalId as bigint;
    await networkHelpers.time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
    await execute(
      await batchOf("vote", { modelId: "1", proposalId: String(id), support: "for", reason: "" }, ["castVote"]),
    );
    await networkHelpers.time.increaseTo((await governor.proposalDeadline(id)) + 1n);
    const queued = ok(await run("queue", { modelId: "1", proposalId: String(id) }));
    await networkHelpers.time.increaseTo(BigInt(queued.eta));
    ok(await run("execute", { modelId: "1", proposalId: String(id) }));
    return id;
  }

  before(async function () {
    ({ deployment, accounts } = await deployForTasks(hre));
    const { ethers } = await connection();
    signers = await ethers.getSigners();
    lab = await deploySafe(ethers, [accounts[1], accounts[2], accounts[3]], 2);
    members = writeMembers(path.dirname(deployment), [lab.address, accounts[4], accounts[5]], [500, 300, 200]);
  });

  it("is a real Safe: 2 of owners 1..3, and it takes the fractions minted to it at registration", async function () {
    expect(await lab.safe.getOwners()).to.deep.equal([accounts[1], accounts[2], accounts[3]]);
    expect(await lab.safe.getThreshold()).to.equal(2n);
    expect(ok(await run("register", { members })).modelId).to.equal("1");
    const { info, votes } = await model();
    expect(info.holders.map((h: { account: string }) => h.account)).to.include(lab.address);
    // Its first receipt delegated its votes to itself, without it having chosen to.
    expect([await votes.delegates(lab.address), await votes.hasChosenDelegate(lab.address)]).to.deep.equal([
      lab.address,
      false,
    ]);
    expect(await votes.getVotes(lab.address)).to.equal(500n);
  });

  it("delegate --safe: the owners sign the batch, and the Safe has chosen to vote itself", async function () {
    const { votes } = await model();
    const batch = await batchOf("delegate", { modelId: "1", to: lab.address }, ["delegate"]);
    expect(batch.transactions[0]).to.include({ to: await votes.getAddress(), value: "0" });
    // One owner's signature is not enough: the Safe wants 2 (GS020: signatures data too short).
    const { ethers } = await connection();
    await expect(executeBatch(ethers, lab, batch, [signers[2]])).to.be.revertedWith("GS020");
    await execute(batch);
    expect(await votes.hasChosenDelegate(lab.address)).to.equal(true);
    expect(await votes.getVotes(lab.address)).to.equal(500n);
    // Now it has chosen: the same again is refused, as for any holder.
    const before = await block();
    const again = await run("delegate", { modelId: "1", to: lab.address, safe: lab.address });
    expect([again.exitCode, again.stdout, again.stderr]).to.deep.equal([
      1,
      "",
      `error: --to: ${lab.address} already delegates its model #1 votes to ${lab.address}; this changes nothing; pass --force to send it anyway`,
    ]);
    expect(await block()).to.equal(before, "nothing sent");
  });

  it("propose --safe and vote --safe: the Safe is the proposer and its 500 votes count; voting twice is refused", async function () {
    const { networkHelpers } = await connection();
    const { governor } = await model();
    const batch = await batchOf(
      "propose",
      { modelId: "1", action: "allow-eth", description: "Accept ETH, proposed by the lab's Safe" },
      ["propose"],
    );
    expect(batch.transactions[0]).to.include({ to: await governor.getAddress(), value: "0" });
    const created = await governorEvent(await execute(batch), "ProposalCreated");
    expect(created.proposer).to.equal(lab.address);
    // The proposer's address is in the description, so nobody else can submit a copy of it first.
    expect(created.description).to.match(new RegExp(`#proposer=${lab.address}$`, "i"));
    const id = created.proposalId as bigint;
    const shown = ok(await run("proposal", { modelId: "1", proposalId: String(id) }));
    expect(shown).to.deep.include({ proposer: lab.address, state: "Pending" });

    // Voting before the proposal opens is refused in Safe mode too: one line, no batch.
    const early = await run("vote", { modelId: "1", proposalId: String(id), support: "for", safe: lab.address });
    expect([early.exitCode, early.stdout, early.stderr]).to.deep.equal([
      1,
      "",
      `error: --proposal-id: proposal ${shortId(id)} is Pending; expected Active (voting opens ${timeText(await governor.proposalSnapshot(id))})`,
    ]);

    await networkHelpers.time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
    const vote = await batchOf(
      "vote",
      { modelId: "1", proposalId: String(id), support: "for", reason: "the lab agrees" },
      ["castVoteWithReason"],
    );
    const cast = await governorEvent(await execute(vote), "VoteCast");
    expect([cast.voter, cast.support, cast.weight, cast.reason]).to.deep.equal([
      lab.address,
      1n,
      500n,
      "the lab agrees",
    ]);
    expect(await governor.hasVoted(id, lab.address)).to.equal(true);
    const [against, forVotes, abstain] = await governor.proposalVotes(id);
    expect([against, forVotes, abstain]).to.deep.equal([0n, 500n, 0n]);

    // Twice through the Safe: refused before anything is simulated or printed; nothing sent.
    const before = await block();
    const twice = await run("vote", { modelId: "1", proposalId: String(id), support: "against", safe: lab.address });
    expect([twice.exitCode, twice.stdout, twice.stderr]).to.deep.equal([
      1,
      "",
      `error: --safe: ${lab.address} has already voted on proposal ${shortId(id)}`,
    ]);
    expect(await block()).to.equal(before, "nothing sent");
  });

  it("deposit --safe: an ERC-20 approval and the payment come as one batch, executed through MultiSendCallOnly", async function () {
    const { ethers } = await connection();
    const usdc = await ethers.deployContract("TestToken", ["Test USD", "USDC", 6]);
    const usdcAddress = await usdc.getAddress();
    await passThroughSafe({ action: "allow-token", token: usdcAddress }, "Accept USDC, proposed by the lab's Safe");
    await (await usdc.mint(lab.address, 100_000_000n)).wait();

    const batch = await batchOf("deposit", { modelId: "1", amount: "100", token: usdcAddress }, ["approve", "deposit"]);
    expect(batch.transactions[0].to).to.equal(usdcAddress);
    await execute(batch);
    expect(await usdc.balanceOf(lab.address)).to.equal(0n);
    expect(await usdc.allowance(lab.address, batch.transactions[1].to)).to.equal(0n);
    const revenue = ok(await run("model", { modelId: "1" })).revenue;
    expect(revenue.find((r: { token: string }) => r.token === usdcAddress)).to.deep.include({ deposited: "100000000" });
  });
});
