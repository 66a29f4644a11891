/**
 * `npm run bench:indexer`, step 1 (run by scripts/bench-indexer.ts as `hardhat run --no-compile ... --network
 * localhost`, against the `hardhat node` it started): deploys the protocol with the sdk and plays the chain the
 * indexer is measured on, at BENCH_SCALE (1 = 100 models, 10,000 fraction transfers, 1,000 proposals with two votes
 * each, 5,000 licence purchases). Signers 1..10 hold every model's fractions; the work is spread over the node's
 * funded accounts, one transaction in flight per account and many accounts at once (automine: one block each).
 * Writes BENCH_DIR/deployment.json and BENCH_DIR/chain.json (what was sent, the head block).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { AbiCoder, keccak256 } from "ethers";
import { network } from "hardhat";

import { defaultGovernance, deployProtocol, registerModel } from "../../sdk/index.js";
import { offerTerms, timelockSigner } from "../../test/helpers/fixtures.js";

const dir = process.env.BENCH_DIR ?? "";
const scale = Number(process.env.BENCH_SCALE ?? "");
if (dir === "" || !(scale > 0 && scale <= 1)) {
  throw new Error("chain.ts is run by scripts/bench-indexer.ts (BENCH_DIR, BENCH_SCALE in (0, 1])");
}
const counts = {
  models: Math.max(2, Math.round(100 * scale)),
  transfers: Math.round(10_000 * scale),
  proposals: Math.round(1_000 * scale),
  votesPerProposal: 2,
  licences: Math.round(5_000 * scale),
};
const GAS = { gasLimit: 600_000n };
const ETH = "0x0000000000000000000000000000000000000000";

const connection = await network.create();
const { ethers } = connection;
const signers = await ethers.getSigners();
const [admin] = signers;
const members = signers.slice(1, 11);
const started = Date.now();
let sent = 0;

/** Runs each account's jobs in order, all accounts at once; one transaction in flight per account. */
async function spread(jobs: { from: HardhatEthersSigner; send: () => Promise<unknown> }[]): Promise<void> {
  const byAccount = new Map<HardhatEthersSigner, (() => Promise<unknown>)[]>();
  for (const job of jobs) byAccount.set(job.from, [...(byAccount.get(job.from) ?? []), job.send]);
  await Promise.all(
    [...byAccount.values()].map(async (queue) => {
      for (const send of queue) {
        await send(); // automine: the node answers once the transaction is mined (and throws if it reverted)
        sent++;
      }
    }),
  );
}

const protocol = await deployProtocol(ethers, admin);
const { registry, shares, licenses, vault } = protocol;
const models: { governor: string; timelock: string }[] = [];
for (let m = 1; m <= counts.models; m++) {
  const model = await registerModel(ethers, registry, {
    name: `Bench-${m}`,
    symbol: `wsB${m}`,
    contentHash: ethers.id(`bench model ${m}`),
    metadataURI: `ipfs://bench-${m}`,
    members: members.map((s) => ({ account: s.address, amount: 1_000n })),
    governance: defaultGovernance(),
  });
  models.push({ governor: await model.governor.getAddress(), timelock: await model.timelock.getAddress() });
  sent++;
}
console.log(`chain: ${counts.models} models registered (${((Date.now() - started) / 1000).toFixed(0)} s)`);

// Fractions: member i sends one fraction of a model to member i+1, round robin over the models.
await spread(
  Array.from({ length: counts.transfers }, (_, k) => {
    const from = members[k % members.length];
    const to = members[(k + 1) % members.length];
    const modelId = BigInt((Math.floor(k / members.length) % counts.models) + 1);
    return {
      from,
      send: () => shares.connect(from).safeTransferFrom(from.address, to.address, modelId, 1n, "0x", GAS),
    };
  }),
);
console.log(`chain: ${counts.transfers} transfers (${((Date.now() - started) / 1000).toFixed(0)} s)`);

// Proposals: a no-op call to the model's own timelock, each with its own description; then two votes each.
const coder = AbiCoder.defaultAbiCoder();
const proposals = Array.from({ length: counts.proposals }, (_, k) => {
  const modelId = (k % counts.models) + 1;
  const description = `bench proposal ${k}`;
  const calls: [string[], bigint[], string[]] = [[models[modelId - 1].timelock], [0n], ["0x"]];
  const id = BigInt(
    keccak256(coder.encode(["address[]", "uint256[]", "bytes[]", "bytes32"], [...calls, ethers.id(description)])),
  );
  return { k, modelId, description, calls, id };
});
await spread(
  proposals.map((p) => {
    const from = members[p.k % members.length];
    const governor = () => ethers.getContractAt("ModelGovernor", models[p.modelId - 1].governor, from);
    return { from, send: async () => (await governor()).propose(...p.calls, p.description, GAS) };
  }),
);
await connection.networkHelpers.time.increase(defaultGovernance().votingDelay + 1n);
await spread(
  proposals.flatMap((p) =>
    Array.from({ length: counts.votesPerProposal }, (_, v) => {
      const from = members[(p.k + v + 1) % members.length];
      const governor = () => ethers.getContractAt("ModelGovernor", models[p.modelId - 1].governor, from);
      return { from, send: async () => (await governor()).castVote(p.id, v % 3, GAS) };
    }),
  ),
);
console.log(
  `chain: ${counts.proposals} proposals, ${counts.proposals * counts.votesPerProposal} votes ` +
    `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
);

// Licences: each model's treasury (impersonated) publishes an offer; the node's accounts buy licences round robin.
const price = ethers.parseEther("0.001");
for (const [i, model] of models.entries()) {
  const treasury = await timelockSigner(connection, { getAddress: async () => model.timelock });
  await (await vault.connect(treasury).setPaymentToken(BigInt(i + 1), ETH, true)).wait();
  await (await licenses.connect(treasury).addOffer(BigInt(i + 1), offerTerms({ price }))).wait();
  sent += 2;
}
const buyers = signers.slice(1);
await spread(
  Array.from({ length: counts.licences }, (_, k) => {
    const from = buyers[k % buyers.length];
    const modelId = BigInt((k % counts.models) + 1);
    return {
      from,
      send: () => licenses.connect(from).purchase(modelId, 1n, from.address, price, { value: price, ...GAS }),
    };
  }),
);
const head = await ethers.provider.getBlockNumber();
console.log(`chain: ${counts.licences} licences; head block ${head} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

const deployment = {
  shares: await shares.getAddress(),
  registry: await registry.getAddress(),
  vault: await vault.getAddress(),
  licenses: await licenses.getAddress(),
  meter: await protocol.meter.getAddress(),
  raises: await protocol.raises.getAddress(),
  sales: await protocol.sales.getAddress(),
  lineage: await protocol.lineage.getAddress(),
  reviewResolver: await protocol.reviewResolver.getAddress(),
  provenanceResolver: await protocol.provenanceResolver.getAddress(),
  eas: await protocol.eas.getAddress(),
  provenanceSchema: protocol.provenanceSchema,
};
await writeFile(path.join(dir, "deployment.json"), JSON.stringify(deployment, null, 2));
await writeFile(
  path.join(dir, "chain.json"),
  JSON.stringify({ scale, counts, transactions: sent, head, generateSeconds: (Date.now() - started) / 1000 }),
);
console.log(`chain: done, ${sent} transactions`);
