/**
 * Model DAOs: registering a model against standing up the same OpenZeppelin stack by hand, and one proposal's
 * lifecycle (propose, castVote, queue, execute) against the same OZ Governor over ERC20Votes.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { defaultGovernance, deployProtocol, registerModel } from "../../sdk/index.js";
import { gasOf, row, type BenchRow } from "./types.js";

export async function benchGovernance(connection: NetworkConnection): Promise<BenchRow[]> {
  const { ethers, networkHelpers } = connection;
  const [admin, a, b, c] = await ethers.getSigners();
  const members = [a, b, c];
  const governance = defaultGovernance();

  // --- Baseline: every transaction a consortium sends to stand up OZ ERC20Votes + Timelock + Governor --------
  let baselineRegister = 0n;
  const add = async (g: Promise<bigint>) => (baselineRegister += await g);
  const token = await ethers.deployContract("BaselineERC20Votes");
  await add(
    token
      .deploymentTransaction()!
      .wait()
      .then((r) => r!.gasUsed),
  );
  for (const m of members) await add(gasOf(token.mint(m.address, 1_000n)));
  const timelock = await ethers.deployContract(
    "@openzeppelin/contracts/governance/TimelockController.sol:TimelockController",
    [governance.timelockDelay, [], [], admin.address],
  );
  await add(
    timelock
      .deploymentTransaction()!
      .wait()
      .then((r) => r!.gasUsed),
  );
  const ozGovernor = await ethers.deployContract("BaselineGovernor", [
    await token.getAddress(),
    await timelock.getAddress(),
    governance.lateQuorumExtension,
  ]);
  await add(
    ozGovernor
      .deploymentTransaction()!
      .wait()
      .then((r) => r!.gasUsed),
  );
  const g = await ozGovernor.getAddress();
  for (const role of [
    await timelock.PROPOSER_ROLE(),
    await timelock.CANCELLER_ROLE(),
    await timelock.EXECUTOR_ROLE(),
  ]) {
    await add(gasOf(timelock.grantRole(role, g)));
  }
  await add(gasOf(timelock.renounceRole(await timelock.DEFAULT_ADMIN_ROLE(), admin.address)));
  for (const m of members) await token.connect(m).delegate(m.address); // members' own transactions, not counted

  // --- Weightshare: one registerModel transaction -----------------------------------------------------------
  const { registry } = await deployProtocol(ethers, admin);
  const model = await registerModel(ethers, registry, {
    name: "Bench",
    symbol: "wsB",
    contentHash: ethers.id("bench"),
    metadataURI: "ipfs://bench",
    members: members.map((m) => ({ account: m.address, amount: 1_000n })),
    governance,
  });
  const register = model.receipt.gasUsed;

  // --- One-call proposal lifecycle, identical on both governors: setVotingDelay(3600) -------------------------
  async function lifecycle(governor: typeof ozGovernor | typeof model.governor) {
    const target = await governor.getAddress();
    const calldata = governor.interface.encodeFunctionData("setVotingDelay", [3600n]);
    const description = "Keep the voting delay at one hour";
    const args: [string[], bigint[], string[], string] = [[target], [0n], [calldata], ethers.id(description)];
    const propose = await gasOf(governor.connect(a).propose([target], [0n], [calldata], description));
    const id = await governor.getProposalId(...args);
    await networkHelpers.time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
    const castVote = await gasOf(governor.connect(a).castVote(id, 1));
    await networkHelpers.time.increaseTo((await governor.proposalDeadline(id)) + 1n);
    const queue = await gasOf(governor.queue(...args));
    await networkHelpers.time.increaseTo(await governor.proposalEta(id));
    const execute = await gasOf(governor.execute(...args));
    return { propose, castVote, queue, execute };
  }
  const oz = await lifecycle(ozGovernor);
  const ours = await lifecycle(model.governor);
  const lifecycleGoal = 1.05;

  return [
    row("ModelRegistry.registerModel (3 members: votes, governor, timelock, mint)", register, {
      name: "deploy OZ ERC20Votes + TimelockController + Governor, mint 3, wire roles",
      gas: baselineRegister,
      goal: 0.25,
    }),
    row("ModelGovernor.propose (one call)", ours.propose, {
      name: "OZ Governor.propose over ERC20Votes",
      gas: oz.propose,
      goal: lifecycleGoal,
    }),
    row("ModelGovernor.castVote (first vote, reaches quorum)", ours.castVote, {
      name: "OZ Governor.castVote over ERC20Votes",
      gas: oz.castVote,
      goal: lifecycleGoal,
    }),
    row("ModelGovernor.queue", ours.queue, { name: "OZ Governor.queue", gas: oz.queue, goal: lifecycleGoal }),
    row("ModelGovernor.execute", ours.execute, { name: "OZ Governor.execute", gas: oz.execute, goal: lifecycleGoal }),
  ];
}
