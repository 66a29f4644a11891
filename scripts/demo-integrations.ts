/**
 * `npm run demo:integrations`: how a consortium governs its model with the tools it already uses, on the embedded
 * simulated chain, from nothing.
 *
 * 1. Snapshot: the model's space settings (snapshot.js's schema); a gas-free signalling vote signed with
 *    snapshot.js's Client712 and sent to a loopback Snapshot-compatible endpoint that applies the sequencer's
 *    checks; voting power read at the proposal's snapshot block through `utils.multicall`; the result tallied
 *    with snapshot.js's voting class.
 * 2. The binding vote follows on-chain through the model's Governor: one proposal passes and is executed, one is
 *    defeated, one is cancelled.
 * 3. Tally: the "add a DAO" fields and the model's proposals and delegates as Tally shows them, rebuilt from
 *    events alone and checked against the Governor.
 *
 * Every expected outcome is checked; the script exits non-zero if one does not hold.
 */
import type { ExternalProvider } from "@ethersproject/providers";
import { network } from "hardhat";

import { addOffer, descriptionHash, spendEth, type OfferTerms } from "../governance/index.js";
import {
  SnapshotClient,
  buildSpaceSettings,
  computeScores,
  multicallProvider,
  readSpaceInput,
  startCaptureServer,
  tally,
  validateSpaceSettings,
} from "../governance/snapshot/index.js";
import { PROPOSAL_STATES, indexModel } from "../governance/tally/index.js";
import { defaultGovernance, deployProtocol, passProposal, registerModel, table } from "../sdk/index.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const [deployer, labA, labB, labC, outsider] = await ethers.getSigners();
const failures: string[] = [];
function check(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) failures.push(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}
function say(text: string): void {
  console.log(`\n${text}`);
}

console.log("Weightshare integrations: Snapshot signalling, the binding vote, and Tally's view, on a simulated chain.");

// The protocol, a model of three labs, and a Multicall for Snapshot's strategies on this fresh chain.
const protocol = await deployProtocol(ethers, deployer);
const multicall = await (await ethers.deployContract("Multicall")).getAddress();
const model = await registerModel(
  ethers,
  protocol.registry,
  {
    name: "Vision-7B",
    symbol: "wsVIS",
    contentHash: ethers.id("vision-7b weights, release 1"),
    metadataURI: "ipfs://bafy-vision-7b",
    members: [
      { account: labA.address, amount: 500n },
      { account: labB.address, amount: 300n },
      { account: labC.address, amount: 200n },
    ],
    governance: defaultGovernance(),
  },
  labA,
);
const registeredAt = model.receipt.blockNumber;
say(`Model #${model.modelId} "Vision-7B" registered by labs A, B and C (500 / 300 / 200 fractions).`);

// 1. Snapshot ----------------------------------------------------------------------------------------------------
const input = await readSpaceInput(model, protocol.shares);
const settings = buildSpaceSettings(input);
const published = buildSpaceSettings({ ...input, network: "11155111" });
say("Snapshot space settings (strategies shown; `ws snapshot-space` prints all of it):");
console.log(JSON.stringify(settings.strategies, null, 2));
check("settings for Sepolia pass snapshot.js's space schema", validateSpaceSettings(published).length, 0);
console.log(
  `On Sepolia these settings pass snapshot.js's space schema; chain ${settings.network} is a local chain Snapshot ` +
    `does not serve (${validateSpaceSettings(settings)[0]?.message}), so this signalling vote goes to a local endpoint.`,
);

const space = "vision-7b.weightshare.eth";
const hub = await startCaptureServer({ spaces: { [space]: { network: settings.network } } });
try {
  const client = new SnapshotClient(hub.url);
  const snapshotBlock = await ethers.provider.getBlockNumber();
  const now = Math.floor(Date.now() / 1000);
  const choices = ["For", "Against", "Abstain"];
  const signal = await client.createProposal(labA, {
    space,
    title: "Open an academic licence tier?",
    body: "If this passes, lab A proposes the offer on-chain.",
    choices,
    start: now - 1,
    end: now + 3 * 86400,
    snapshot: snapshotBlock,
  });
  // After the snapshot block, lab C delegates to lab B: the signalling vote still reads power at the snapshot.
  await (await model.votes.connect(labC).delegate(labB.address)).wait();
  await client.vote(labA, { space, proposal: signal, choice: 1, reason: "Universities asked for it." });
  await client.vote(labB, { space, proposal: signal, choice: 2 });
  await client.vote(labC, { space, proposal: signal, choice: 1 });
  const captured = hub.votes(signal);
  const scores = await computeScores({
    provider: multicallProvider(connection.provider as unknown as ExternalProvider),
    network: settings.network,
    strategies: settings.strategies,
    addresses: captured.map((v) => v.voter),
    snapshot: snapshotBlock,
    multicall,
  });
  const result = tally({ type: "single-choice", choices }, captured, settings.strategies, scores);
  say(`Snapshot proposal ${signal.slice(0, 12)}… (power at block ${snapshotBlock}), ${captured.length} signed votes:`);
  console.log(
    table(
      ["choice", "total", "erc20-votes", "erc1155-balance-of"],
      choices.map((c, i) => [c, result.scores[i], result.scoresByStrategy[i][0], result.scoresByStrategy[i][1]]),
    ),
  );
  check("signal: For leads", choices[result.leader - 1], "For");
  check("signal: For by delegated votes (A 500 + C 200 at the snapshot)", result.scoresByStrategy[0][0], 700);
  check("signal: Against by delegated votes (B 300)", result.scoresByStrategy[1][0], 300);
  check(
    "every captured message passed the sequencer's checks",
    hub.log.every((l) => "id" in l.answer),
    true,
  );
} finally {
  await hub.close();
}

// 2. The binding vote, on-chain ----------------------------------------------------------------------------------
const offer: OfferTerms = {
  price: ethers.parseEther("0.01"),
  paymentToken: ethers.ZeroAddress,
  duration: 365n * 86400n,
  credits: 10_000n,
  cap: 0n,
  transferable: false,
  commercialUse: false,
  derivativesAllowed: true,
  onSale: true,
  termsURI: "ipfs://bafy-vision-7b-academic",
  termsHash: ethers.id("Vision-7B academic licence v1"),
  parentShareBps: 0n,
  minDerivativePrice: 0n,
};
const academic = await addOffer({
  licenses: protocol.licenses,
  modelId: model.modelId,
  terms: offer,
  description: "# Academic licence tier\nAs signalled on Snapshot: 0.01 ETH a year, non-commercial.",
});
const passed = await passProposal(model.governor, academic, labA, [labA, labB], networkHelpers);
check("academic offer executed", PROPOSAL_STATES[Number(await model.governor.state(passed.proposalId))], "Executed");

await deployer.sendTransaction({ to: await model.timelock.getAddress(), value: ethers.parseEther("1") });
const grant = spendEth({
  to: outsider.address,
  amount: ethers.parseEther("0.5"),
  description: "# Grant to an outside lab\nHalf the treasury to an unaffiliated lab.",
});
await (
  await model.governor.connect(labB).propose(grant.targets, grant.values, grant.calldatas, grant.description)
).wait();
const grantId = await model.governor.getProposalId(
  grant.targets,
  grant.values,
  grant.calldatas,
  descriptionHash(grant),
);
await networkHelpers.time.increaseTo((await model.governor.proposalSnapshot(grantId)) + 1n);
await (await model.governor.connect(labA).castVote(grantId, 0)).wait();
await (await model.governor.connect(labB).castVote(grantId, 1)).wait();
await networkHelpers.time.increaseTo((await model.governor.proposalDeadline(grantId)) + 1n);

const draft = spendEth({ to: labA.address, amount: 1n, description: "# Draft, withdrawn\nProposed by mistake." });
await (
  await model.governor.connect(labA).propose(draft.targets, draft.values, draft.calldatas, draft.description)
).wait();
await (
  await model.governor.connect(labA).cancel(draft.targets, draft.values, draft.calldatas, descriptionHash(draft))
).wait();
say("On-chain: the academic offer passed and was executed; a treasury grant was voted down; a draft was cancelled.");

// 3. Tally -------------------------------------------------------------------------------------------------------
const governorAddress = await model.governor.getAddress();
const tokenAddress = await model.votes.getAddress();
const view = await indexModel(ethers.provider, {
  governor: governorAddress,
  token: tokenAddress,
  fromBlock: registeredAt,
});
say("Add the model to Tally (tally.xyz → Add a DAO):");
console.log(
  table(
    ["field", "value"],
    [
      ["chain", view.governor.chainId],
      ["governor (OpenZeppelin Governor)", governorAddress],
      ["token (ERC-20 votes)", tokenAddress],
      ["start block", registeredAt],
    ],
  ),
);
say(`Tally view, rebuilt from events (quorum now ${view.governor.quorum} of ${view.governor.token.supply}):`);
console.log(
  table(
    ["proposal", "status", "for", "against", "abstain", "quorum"],
    view.proposals.map((p) => [
      p.metadata.title,
      p.status,
      p.voteStats[1].votesCount,
      p.voteStats[0].votesCount,
      p.voteStats[2].votesCount,
      p.quorum,
    ]),
  ),
);
console.log(
  table(
    ["delegate", "votes", "delegators"],
    view.delegates.map((d) => [d.account.address, d.votesCount, d.delegatorsCount]),
  ),
);
for (const p of view.proposals) {
  const onchain = PROPOSAL_STATES[Number(await model.governor.state(p.onchainId))].toLowerCase();
  check(`Tally status of "${p.metadata.title}" equals state()`, p.status, onchain);
}
for (const d of view.delegates) {
  check(
    `Tally votes of ${d.account.address}`,
    d.votesCount,
    (await model.votes.getVotes(d.account.address)).toString(),
  );
}
check(
  "proposal stats",
  JSON.stringify(view.governor.proposalStats),
  JSON.stringify({ total: 3, active: 0, failed: 2, passed: 1 }),
);

if (failures.length > 0) {
  console.error(`\nDemo FAILED:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("\nEvery expected outcome held.");
