/**
 * `ws vote`: a vote with its reason as the Governor's VoteCast event records it, and a vote with no weight at the
 * proposal's snapshot (it costs gas and counts nothing) refused in one line, nothing mined, unless `--force`.
 */
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { shortId } from "../../tasks/lib/errors.js";
import { deployForTasks, expectRefused, runTask, writeMembers, type TaskRun } from "./helpers.js";

describe("tasks: ws vote (reason, zero weight and --force)", function () {
  let deployment: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  let proposal: { proposalId: string; snapshot: string };
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "", force: false, modelId: "1", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  const vote = (args: Record<string, unknown>) =>
    run("vote", { proposalId: proposal.proposalId, support: "for", reason: "", ...args });
  /** The governor's VoteCast events of `voter` on the proposal. */
  async function voteCast(voter: string) {
    const { ethers } = await hre.network.getOrCreate();
    const registry = await ethers.getContractAt("ModelRegistry", addresses.registry);
    const governor = await ethers.getContractAt("ModelGovernor", (await registry.model(1n)).governor);
    const events = await governor.queryFilter(governor.filters.VoteCast(voter));
    return events.map((e) => ({
      proposalId: e.args.proposalId.toString(),
      support: e.args.support,
      weight: e.args.weight,
      reason: e.args.reason,
    }));
  }

  before(async function () {
    ({ deployment, accounts, addresses } = await deployForTasks(hre));
    const members = writeMembers(path.dirname(deployment), accounts.slice(1, 3), [600, 400]);
    ok(await runTask(hre, "register", { deployment, json: true, signer: "", members }));
    const { networkHelpers } = await hre.network.getOrCreate();
    await networkHelpers.time.increase(1); // votes count from a second after they arrive
    proposal = ok(await run("propose", { action: "allow-eth", description: "Accept ETH", signer: "1" }));
    await networkHelpers.time.increaseTo(BigInt(proposal.snapshot) + 1n);
  });

  it("--reason: the vote and its reason, as the governor's VoteCast event records them", async function () {
    const out = ok(await vote({ signer: "1", reason: "We need ETH revenue for the GPU bill" }));
    expect(out).to.deep.include({
      proposalId: proposal.proposalId,
      support: "for",
      weight: "600",
      reason: "We need ETH revenue for the GPU bill",
      for: "600",
    });
    expect(await voteCast(accounts[1])).to.deep.equal([
      { proposalId: proposal.proposalId, support: 1n, weight: 600n, reason: "We need ETH revenue for the GPU bill" },
    ]);
  });

  it("without --reason: an empty reason (castVote), said in words", async function () {
    const r = await vote({ signer: "2", support: "against", json: false });
    expect([r.exitCode, r.stderr, r.stdout]).to.deep.equal([
      0,
      "",
      `voted against on proposal ${shortId(proposal.proposalId)} with 400 votes: for 600, against 400, abstain 0`,
    ]);
    expect(await voteCast(accounts[2])).to.deep.equal([
      { proposalId: proposal.proposalId, support: 0n, weight: 400n, reason: "" },
    ]);
  });

  it("no votes at the snapshot: refused in exactly one line, exit 1, nothing mined", async function () {
    await expectRefused(
      run,
      "vote",
      { proposalId: proposal.proposalId, support: "for", reason: "", signer: "5" },
      `error: --signer: ${accounts[5]} had no votes in model #1 when proposal ${shortId(proposal.proposalId)} opened (delegate before a proposal to vote on it), so this vote counts nothing; pass --force to send it anyway`,
    );
    expect(await voteCast(accounts[5])).to.deep.equal([]);
  });

  it("--force sends it: one transaction, a vote of weight 0 with its reason", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const out = ok(await vote({ signer: "5", support: "abstain", reason: "on the record", force: true }));
    expect(out).to.deep.include({ weight: "0", support: "abstain", abstain: "0", for: "600", against: "400" });
    expect(await ethers.provider.getBlockNumber()).to.equal(block + 1, "one transaction");
    expect(await voteCast(accounts[5])).to.deep.equal([
      { proposalId: proposal.proposalId, support: 2n, weight: 0n, reason: "on the record" },
    ]);
  });
});
