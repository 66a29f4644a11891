/**
 * The proposal lifecycle from the command line: `ws proposal` in every state (decoded calls, short and full id,
 * ISO times, the quorum before voting opens), `ws proposals`, `ws cancel` (proposer while Pending, or the guardian),
 * and the refusals of vote, queue and execute (voting twice, too early, an empty treasury, a call the treasury's
 * target refuses), each one exact line, exit 1, nothing mined.
 */
import path from "node:path";

import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import hre from "hardhat";

import { short } from "../../sdk/index.js";
import { shortId } from "../../tasks/lib/errors.js";
import { timeText } from "../../tasks/lib/units.js";
import { deployForTasks, expectRefused, runTask, writeMembers, type TaskRun } from "./helpers.js";

describe("tasks: ws proposal, proposals, cancel, queue and execute", function () {
  let deployment: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  let treasury: string;
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "1", modelId: "1", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };

  /** One exact line on stderr, exit 1, nothing on stdout, no block mined. */
  const refused = (task: string, args: Record<string, unknown>, message: string) =>
    expectRefused(run, task, args, `error: ${message}`);

  const time = async (to: bigint) => (await hre.network.getOrCreate()).networkHelpers.time.increaseTo(to);

  before(async function () {
    ({ deployment, accounts, addresses } = await deployForTasks(hre));
    const members = writeMembers(path.dirname(deployment), accounts.slice(1, 4), [500, 300, 200]);
    ok(await runTask(hre, "register", { deployment, json: true, signer: "", members }));
    treasury = ok(await run("model", {})).timelock;
    await (await hre.network.getOrCreate()).networkHelpers.mine(); // votes count from the block after they arrive
  });

  let split: { proposalId: string; snapshot: string; deadline: string };
  let tip: { proposalId: string; deadline: string };

  it("shows a Pending proposal: decoded calls, short and full id, the quorum as of now, ISO times", async function () {
    split = ok(
      await run("propose", { action: "set-split", contributorsBps: "2000", holdersBps: "5000", description: "Split" }),
    );
    const shown = ok(await run("proposal", { proposalId: split.proposalId }));
    expect(shown).to.deep.include({
      state: "Pending",
      quorum: "200",
      quorumAt: "now",
      shortId: shortId(split.proposalId),
    });
    expect(shown.calls).to.deep.equal([
      {
        action: "set-split",
        summary: "contributors 20% (2000 bps), holders 50% (5000 bps), treasury 30% (3000 bps)",
        args: { modelId: "1", contributorsBps: "2000", holdersBps: "5000" },
      },
    ]);
    const hex = `0x${BigInt(split.proposalId).toString(16).padStart(64, "0")}`;
    // Every form of its id finds it: decimal, full hex, and the short form typed with "…", "..." or nothing.
    for (const form of [
      split.proposalId,
      hex,
      `${hex.slice(0, 6)}...${hex.slice(-4)}`,
      hex.slice(0, 6) + hex.slice(-4),
    ]) {
      expect(ok(await run("proposal", { proposalId: form })).proposalId, form).to.equal(split.proposalId);
    }
    const text = await runTask(hre, "proposal", {
      deployment,
      json: false,
      signer: "",
      modelId: "1",
      proposalId: shortId(split.proposalId),
    });
    expect(text.stdout.split("\n")).to.deep.equal([
      `proposal ${shortId(split.proposalId)} on model #1: Pending`,
      `id ${hex}`,
      `"Split", proposed by ${accounts[1]}`,
      "1. set-split: contributors 20% (2000 bps), holders 50% (5000 bps), treasury 30% (3000 bps)",
      "for 0, against 0, abstain 0; quorum 200 (as of now; fixed when voting opens)",
      `voting opens ${timeText(BigInt(split.snapshot))}, closes ${timeText(BigInt(split.deadline))}`,
    ]);
  });

  it("lists the model's proposals, filtered by state", async function () {
    tip = ok(await run("propose", { action: "spend-eth", to: accounts[4], amount: "0", description: "Tip" }));
    const listed = ok(await run("proposals", { state: "" }));
    expect(listed.map((p: { shortId: string; state: string }) => [p.shortId, p.state])).to.deep.equal([
      [shortId(split.proposalId), "Pending"],
      [shortId(tip.proposalId), "Pending"],
    ]);
    const text = await runTask(hre, "proposals", {
      deployment,
      json: false,
      signer: "",
      modelId: "1",
      state: "Pending",
    });
    // One block each: short id, state and description; what it does (addresses shortened); votes and deadline.
    expect(text.stdout.split("\n")).to.deep.equal([
      `${shortId(split.proposalId)}  Pending    "Split"`,
      "  set-split: contributors 20% (2000 bps), holders 50% (5000 bps), treasury 30% (3000 bps)",
      `  for 0, against 0, abstain 0; deadline ${timeText(BigInt(split.deadline))}`,
      "",
      `${shortId(tip.proposalId)}  Pending    "Tip"`,
      `  spend-eth: send 0 ETH to ${short(accounts[4])}`,
      `  for 0, against 0, abstain 0; deadline ${timeText(BigInt(tip.deadline))}`,
    ]);
    const none = await runTask(hre, "proposals", {
      deployment,
      json: false,
      signer: "",
      modelId: "1",
      state: "Queued",
    });
    expect(none.stdout).to.equal("no Queued proposals on model #1");
    await refused(
      "proposals",
      { state: "active" },
      '--state: expected one of Pending, Active, Canceled, Defeated, Succeeded, Queued, Expired, Executed, got "active"',
    );
  });

  it("cancel: the proposer while Pending; anyone else, or later, is refused in plain words", async function () {
    await refused(
      "cancel",
      { proposalId: tip.proposalId, signer: "2" },
      `--signer: ${accounts[2]} may not cancel proposal ${shortId(tip.proposalId)}: only its proposer (${accounts[1]}) while it is Pending, or the guardian (model #1 has none)`,
    );
    expect(ok(await run("cancel", { proposalId: tip.proposalId }))).to.deep.include({
      state: "Canceled",
      by: "proposer",
    });
    expect(ok(await run("proposal", { proposalId: tip.proposalId })).state).to.equal("Canceled");
    await refused(
      "cancel",
      { proposalId: tip.proposalId },
      `--proposal-id: proposal ${shortId(tip.proposalId)} is Canceled; only a proposal not yet executed, canceled or expired can be canceled`,
    );
    await time(BigInt(split.snapshot) + 1n);
    await refused(
      "cancel",
      { proposalId: split.proposalId },
      `--proposal-id: proposal ${shortId(split.proposalId)} is Active; its proposer may cancel it only while it is Pending (before voting opens)`,
    );
  });

  it("vote twice and queue too early are refused; an Active proposal shows the quorum at its snapshot", async function () {
    ok(await run("vote", { proposalId: split.proposalId, support: "for" }));
    await refused(
      "vote",
      { proposalId: split.proposalId, support: "against" },
      `--signer: ${accounts[1]} has already voted on proposal ${shortId(split.proposalId)}`,
    );
    await refused(
      "queue",
      { proposalId: split.proposalId },
      `--proposal-id: proposal ${shortId(split.proposalId)} is Active; expected Succeeded (voting closes ${timeText(BigInt(split.deadline))})`,
    );
    expect(ok(await run("proposal", { proposalId: split.proposalId }))).to.deep.include({
      state: "Active",
      quorum: "200",
      quorumAt: "snapshot",
      votes: { for: "500", against: "0", abstain: "0" },
    });
  });

  it("execute: refused too early, with an empty treasury (saying what the vault owes it), or a call its target refuses", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const other = await (await ethers.deployContract("TestToken", ["Other", "OTH", 18])).getAddress();
    const propose = async (args: Record<string, unknown>) => ok(await run("propose", { force: true, ...args }));
    const guardian = await propose({ action: "set-guardian", to: accounts[5], description: "Guardian" });
    const allow = await propose({ action: "allow-eth", description: "ETH" });
    const spend = await propose({ action: "spend-eth", to: accounts[4], amount: "1", description: "Grant" });
    const recover = await propose({ action: "recover-token", token: other, description: "Recover" });
    const all = [guardian, allow, spend, recover];
    await time(BigInt(guardian.snapshot) + 1n);
    for (const p of all) {
      ok(await run("vote", { proposalId: p.proposalId, support: "for" }));
      ok(await run("vote", { proposalId: p.proposalId, support: "for", signer: "2" }));
    }
    await time(BigInt(recover.deadline) + 1n);
    const queued = await runTask(hre, "queue", {
      deployment,
      json: false,
      signer: "",
      modelId: "1",
      proposalId: spend.proposalId,
    });
    const eta = await (
      await ethers.getContractAt("ModelGovernor", ok(await run("model", {})).governor)
    ).proposalEta(spend.proposalId);
    expect(queued.stdout).to.equal(`queued proposal ${shortId(spend.proposalId)}; executable from ${timeText(eta)}`);
    for (const p of [guardian, allow, recover]) ok(await run("queue", { proposalId: p.proposalId }));
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    await refused(
      "execute",
      { proposalId: spend.proposalId },
      `--proposal-id: proposal ${shortId(spend.proposalId)} is queued until ${timeText(eta)}; now is ${timeText(now)}`,
    );
    await time(eta + 10n);
    const shown = await runTask(hre, "proposal", {
      deployment,
      json: false,
      signer: "",
      modelId: "1",
      proposalId: spend.proposalId,
    });
    expect(shown.stdout.split("\n")).to.include.members([
      `proposal ${shortId(spend.proposalId)} on model #1: Queued`,
      `1. spend-eth: send 1 ETH to ${accounts[4]}`,
      `executable from ${timeText(eta)}`,
    ]);
    ok(await run("execute", { proposalId: guardian.proposalId }));
    ok(await run("execute", { proposalId: allow.proposalId }));
    // The default split credits the treasury's cut in the vault: it is owed there, not yet in the treasury.
    const vault = await ethers.getContractAt("RevenueVault", addresses.vault);
    await (await vault.deposit(1n, ZeroAddress, parseEther("0.4"), { value: parseEther("0.4") })).wait();
    await refused(
      "execute",
      { proposalId: spend.proposalId },
      `--proposal-id: the treasury ${treasury} holds 0 ETH and proposal ${shortId(spend.proposalId)} sends 1 ETH (ws release-treasury --model-id 1 pays the treasury its cut from the vault: 0.4 ETH now)`,
    );
    await refused(
      "execute",
      { proposalId: recover.proposalId },
      `--proposal-id: call 1 of proposal ${shortId(recover.proposalId)} (recover-token: recover OTH (${other}) from the royalty receiver of model #1 to the treasury) is refused: nothing of ${other} arrived for model #1 [RevenueVaultNothingArrived(1, ${other})]`,
    );

    // The guardian cancels at any stage, except a proposal that changes the guardian.
    expect(ok(await run("cancel", { proposalId: spend.proposalId, signer: "5" }))).to.deep.include({ by: "guardian" });
    const remove = ok(await run("propose", { action: "set-guardian", to: ZeroAddress, description: "No guardian" }));
    await refused(
      "cancel",
      { proposalId: remove.proposalId, signer: "5" },
      `--proposal-id: refused by the contract: the guardian cannot cancel proposal ${shortId(remove.proposalId)}: it changes the guardian itself [ModelGovernorGuardianCannotCancel(${remove.proposalId})]`,
    );
  });
});
