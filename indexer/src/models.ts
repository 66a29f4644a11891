/**
 * Models: `ModelShares.ModelCreated` (the id, its votes clone and treasury, emitted before the initial fractions are
 * minted, so the clone's first vote events find their model), then `ModelRegistry.ModelRegistered` in the same
 * transaction (creator, governor, name, symbol, content hash, metadata URI, governance settings); then the settings
 * the model's governance changes (governor, timelock, usage operator, unlock window, royalties) and minting grants.
 */
import { ponder, type Context } from "ponder:registry";
import { clone, mintingGrant, model, quorumNumerator } from "ponder:schema";

import { addr, modelOfCloneIfKnown } from "./shared.ts";

ponder.on("ModelShares:ModelCreated", async ({ event, context }) => {
  const { modelId, votes, treasury, uri } = event.args;
  await context.db.insert(model).values({
    id: modelId,
    votes: addr(votes),
    timelock: addr(treasury),
    uri,
    totalSupply: 0n,
    holderCount: 0,
    createdAt: event.block.timestamp,
    createdBlock: event.block.number,
  });
  await context.db.insert(clone).values({ address: addr(votes), modelId, kind: "votes" });
  await context.db.insert(clone).values({ address: addr(treasury), modelId, kind: "timelock" });
});

ponder.on("ModelShares:URI", async ({ event, context }) => {
  const row = await context.db.find(model, { id: event.args.id });
  if (row !== null) await context.db.update(model, { id: event.args.id }).set({ uri: event.args.value });
});

ponder.on("ModelRegistry:ModelRegistered", async ({ event, context }) => {
  const { modelId, creator, governor, registration } = event.args;
  const g = registration.governor;
  await context.db.update(model, { id: modelId }).set({
    creator: addr(creator),
    governor: addr(governor),
    name: registration.name,
    symbol: registration.symbol,
    contentHash: registration.contentHash,
    metadataURI: registration.metadataURI,
    votingDelay: BigInt(g.votingDelay),
    votingPeriod: BigInt(g.votingPeriod),
    proposalThreshold: g.proposalThreshold,
    quorumNumerator: g.quorumNumerator,
    lateQuorumExtension: BigInt(g.lateQuorumExtension),
    proposalGuardian: addr(g.guardian),
    timelockDelay: registration.timelockDelay,
  });
  await context.db.insert(clone).values({ address: addr(governor), modelId, kind: "governor" });
  await context.db
    .insert(quorumNumerator)
    .values({ modelId, timestamp: event.block.timestamp, numerator: g.quorumNumerator });
});

ponder.on("ModelRegistry:ContentHashUpdated", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ contentHash: event.args.current });
});

// Settings changed later. A clone's initialisation emits the same events before the model is registered (the
// registration carries those values): they are skipped.
type Setting = "votingDelay" | "votingPeriod" | "proposalThreshold" | "quorumNumerator" | "lateQuorumExtension";

async function setGovernorSetting(context: Context, governor: string, setting: Setting, value: bigint) {
  const modelId = await modelOfCloneIfKnown(context, governor);
  if (modelId !== null) await context.db.update(model, { id: modelId }).set({ [setting]: value });
}

ponder.on("ModelGovernor:VotingDelaySet", async ({ event, context }) => {
  await setGovernorSetting(context, event.log.address, "votingDelay", event.args.newVotingDelay);
});
ponder.on("ModelGovernor:VotingPeriodSet", async ({ event, context }) => {
  await setGovernorSetting(context, event.log.address, "votingPeriod", event.args.newVotingPeriod);
});
ponder.on("ModelGovernor:ProposalThresholdSet", async ({ event, context }) => {
  await setGovernorSetting(context, event.log.address, "proposalThreshold", event.args.newProposalThreshold);
});
ponder.on("ModelGovernor:QuorumNumeratorUpdated", async ({ event, context }) => {
  const numerator = event.args.newQuorumNumerator;
  await setGovernorSetting(context, event.log.address, "quorumNumerator", numerator);
  const modelId = await modelOfCloneIfKnown(context, event.log.address);
  if (modelId !== null) {
    await context.db
      .insert(quorumNumerator)
      .values({ modelId, timestamp: event.block.timestamp, numerator })
      .onConflictDoUpdate({ numerator });
  }
});
ponder.on("ModelGovernor:LateQuorumVoteExtensionSet", async ({ event, context }) => {
  await setGovernorSetting(context, event.log.address, "lateQuorumExtension", BigInt(event.args.newVoteExtension));
});
ponder.on("ModelGovernor:ProposalGuardianSet", async ({ event, context }) => {
  const modelId = await modelOfCloneIfKnown(context, event.log.address);
  if (modelId !== null) {
    await context.db.update(model, { id: modelId }).set({ proposalGuardian: addr(event.args.newProposalGuardian) });
  }
});
ponder.on("ModelTimelock:MinDelayChange", async ({ event, context }) => {
  const modelId = await modelOfCloneIfKnown(context, event.log.address);
  if (modelId !== null) await context.db.update(model, { id: modelId }).set({ timelockDelay: event.args.newDuration });
});

ponder.on("UsageMeter:OperatorSet", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ operator: addr(event.args.operator) });
});
ponder.on("RevenueVault:UnlockWindowSet", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ unlockWindow: event.args.window });
});
ponder.on("ModelShares:RoyaltySet", async ({ event, context }) => {
  const { modelId, receiver, feeNumerator } = event.args;
  await context.db
    .update(model, { id: modelId })
    .set({ royaltyReceiver: addr(receiver), royaltyBps: BigInt(feeNumerator) });
});
ponder.on("LicenseManager:LicenceRoyaltySet", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ licenceRoyaltyBps: event.args.bps });
});

// Minting grants: granted or renounced by events; a grantee's mint (a mint whose operator holds a grant) uses it.
ponder.on("ModelShares:MintingGranted", async ({ event, context }) => {
  const { modelId, minter, granted } = event.args;
  await context.db
    .insert(mintingGrant)
    .values({ modelId, minter: addr(minter), granted })
    .onConflictDoUpdate({ granted });
});
ponder.on("ModelShares:MintingRenounced", async ({ event, context }) => {
  const { modelId, minter, granted } = event.args;
  await context.db.update(mintingGrant, { modelId, minter: addr(minter) }).set({ granted });
});
