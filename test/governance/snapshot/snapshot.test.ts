/**
 * Snapshot signalling against snapshot.js's real formats: space settings through its space schema, proposals and
 * votes signed by Client712 and checked as the sequencer checks them, scores read through `utils.multicall` at the
 * snapshot block and cross-checked with ModelVotes / ModelShares history, results from its voting classes.
 */
import { createRequire } from "node:module";

import type { ExternalProvider } from "@ethersproject/providers";
import { expect } from "chai";
import { TypedDataEncoder, Wallet } from "ethers";
import hre from "hardhat";

import {
  SNAPSHOT_DOMAIN,
  SnapshotClient,
  SnapshotHubError,
  buildSpaceSettings,
  checkEnvelope,
  computeScores,
  isSnapshotNetwork,
  messageKind,
  multicallProvider,
  readSpaceInput,
  startCaptureServer,
  tally,
  typesHash,
  validateSpaceSettings,
  type CaptureServer,
  type Envelope,
} from "../../../governance/snapshot/index.js";
import { protocolWithModel } from "../../helpers/fixtures.js";

const hashedTypes: Record<string, string> = createRequire(import.meta.url)(
  "@snapshot-labs/snapshot.js/src/sign/hashedTypes.json",
);
const SPACE = "vision-7b.weightshare.eth";

async function setup() {
  const connection = await hre.network.create();
  const { ethers } = connection;
  const fx = await protocolWithModel(ethers);
  const multicall = await ethers.deployContract("Multicall");
  const provider = multicallProvider(connection.provider as unknown as ExternalProvider);
  const input = await readSpaceInput(fx.model, fx.shares);
  const settings = buildSpaceSettings(input);
  return { ...fx, connection, ethers, multicall: await multicall.getAddress(), provider, input, settings };
}

describe("Snapshot space settings", function () {
  it("build the two strategies on the model's contracts and pass snapshot.js's space schema", async function () {
    const { input, settings, model, shares } = await setup();
    const sepolia = buildSpaceSettings({ ...input, network: "11155111" });
    expect(validateSpaceSettings(sepolia)).to.deep.equal([]);
    expect(sepolia.strategies).to.deep.equal([
      {
        name: "erc20-votes",
        network: "11155111",
        params: { address: await model.votes.getAddress(), symbol: "wsVIS", decimals: 0 },
      },
      {
        name: "erc1155-balance-of",
        network: "11155111",
        params: { address: await shares.getAddress(), symbol: "wsVIS", tokenId: "1", decimals: 0 },
      },
    ]);
    expect(sepolia.voting).to.include({ delay: 3600, period: 3 * 86400, type: "single-choice" });
    expect(sepolia.treasuries[0].address).to.equal(await model.timelock.getAddress());
    // Production Snapshot (snapshot.org) lists mainnets only; the simulated chain is on no list.
    expect(validateSpaceSettings(buildSpaceSettings({ ...input, network: "1" }), "mainnet")).to.deep.equal([]);
    expect(settings.network).to.equal("31337");
    expect(validateSpaceSettings(settings)).to.deep.include({ path: "/network", message: "network not allowed" });
    expect(isSnapshotNetwork("31337")).to.equal(false);
    expect(isSnapshotNetwork("8453")).to.equal(true);
  });

  it("can mirror the Governor exactly with the votes strategy alone", async function () {
    const { input } = await setup();
    const s = buildSpaceSettings({ ...input, network: "1", strategies: ["votes"] });
    expect(s.strategies.map((x) => x.name)).to.deep.equal(["erc20-votes"]);
    expect(validateSpaceSettings(s)).to.deep.equal([]);
  });

  it("refuse what Snapshot would refuse, naming the field", async function () {
    const { input } = await setup();
    expect(() => buildSpaceSettings({ ...input, strategies: [] })).to.throw(/^strategies: expected/);
    expect(() => buildSpaceSettings({ ...input, strategies: ["votes", "votes"] })).to.throw(/^strategies: expected/);
    expect(() => buildSpaceSettings({ ...input, votingDelay: 31n * 86400n })).to.throw(
      /^voting.delay: Snapshot allows/,
    );
    expect(() => buildSpaceSettings({ ...input, votingPeriod: 367n * 86400n })).to.throw(
      /^voting.period: Snapshot allows/,
    );
    // Snapshot's 32-character name limit: a longer model name is shortened, and the result still validates.
    const long = buildSpaceSettings({ ...input, network: "1", name: "A model name far longer than Snapshot allows" });
    expect(long.name.length).to.equal(32);
    expect(validateSpaceSettings(long)).to.deep.equal([]);
    // Our strategies' params follow their published schemas: a missing token id or a bad decimals is refused.
    const broken = structuredClone(long);
    delete broken.strategies[1].params.tokenId;
    broken.strategies[0].params.decimals = 19;
    expect(validateSpaceSettings(broken)).to.deep.equal([
      { path: "/strategies/0/params/decimals", message: "must be an integer from 0 to 18" },
      { path: "/strategies/1/params/tokenId", message: "is required" },
    ]);
    // The schema itself is live: a field Snapshot does not know is refused.
    expect(validateSpaceSettings({ ...long, unknownField: 1 })).to.not.deep.equal([]);
  });
});

describe("Snapshot messages (Client712 → sequencer checks)", function () {
  let server: CaptureServer;
  afterEach(async function () {
    const running = server;
    server = undefined as unknown as CaptureServer;
    await running?.close();
  });

  async function started() {
    const fx = await setup();
    server = await startCaptureServer({ spaces: { [SPACE]: { network: "31337" } } });
    const client = new SnapshotClient(server.url);
    const now = Math.floor(Date.now() / 1000);
    const block = await fx.ethers.provider.getBlockNumber();
    return { ...fx, client, now, block };
  }

  it("a proposal is signed under Snapshot's domain with types listed in hashedTypes.json, id = EIP-712 hash", async function () {
    const { client, labA, now, block } = await started();
    const id = await client.createProposal(labA, {
      space: SPACE,
      title: "Open the weights to academic licensees?",
      body: "Signalling vote before the on-chain offer change.",
      choices: ["For", "Against", "Abstain"],
      start: now,
      end: now + 3 * 86400,
      snapshot: block,
    });
    const { body, answer } = server.log[0];
    const envelope = body as Envelope;
    expect(answer).to.deep.equal({ id });
    expect(envelope.address).to.equal(labA.address);
    expect(envelope.data.domain).to.deep.equal(SNAPSHOT_DOMAIN);
    expect(hashedTypes[typesHash(envelope.data.types)]).to.equal("proposal");
    expect(envelope.data.message.timestamp).to.be.within(now - 5, now + 5);
    expect(id).to.equal(TypedDataEncoder.hash(envelope.data.domain, envelope.data.types, envelope.data.message));
    expect(
      TypedDataEncoder.hash(envelope.data.domain, envelope.data.types, envelope.data.message) ===
        server.proposals.get(id)?.id,
    ).to.equal(true);
  });

  it("votes are checked the same way and the latest vote of a voter counts", async function () {
    const { client, labA, labB, now, block } = await started();
    const proposal = await client.createProposal(labA, {
      space: SPACE,
      title: "t",
      choices: ["For", "Against"],
      start: now - 10,
      end: now + 3600,
      snapshot: block,
    });
    const first = await client.vote(labB, { space: SPACE, proposal, choice: 2, timestamp: now - 5 });
    const second = await client.vote(labB, {
      space: SPACE,
      proposal,
      choice: 1,
      reason: "changed my mind",
      timestamp: now - 3,
    });
    // A vote stamped before the counted one never replaces it (Snapshot: "already voted at later time").
    await expectRefused(
      client.vote(labB, { space: SPACE, proposal, choice: 2, timestamp: now - 4 }),
      "already voted at later time",
    );
    expect(first).to.not.equal(second);
    const envelope = server.log[2].body as Envelope;
    expect(messageKind(envelope.data.types)).to.equal("vote");
    expect(second).to.equal(TypedDataEncoder.hash(envelope.data.domain, envelope.data.types, envelope.data.message));
    expect(server.votes(proposal).map((v) => [v.voter, v.choice, v.reason])).to.deep.equal([
      [labB.address, 1, "changed my mind"],
    ]);
  });

  it("refuses what the sequencer refuses: timestamp window, domain, types, sender, signature, duplicates", async function () {
    const { client, labA, labB, now, block } = await started();
    const base = { space: SPACE, title: "t", choices: ["a", "b"], start: now, end: now + 60, snapshot: block };
    await expectRefused(client.createProposal(labA, { ...base, timestamp: now + 301 }), "wrong timestamp");
    await expectRefused(client.createProposal(labA, { ...base, timestamp: now - 3 * 86400 - 1 }), "wrong timestamp");
    await expectRefused(client.createProposal(labA, { ...base, end: now - 1 }), "wrong proposal period");
    await expectRefused(client.createProposal(labA, { ...base, space: "other.eth" }), "unknown space");
    const id = await client.createProposal(labA, { ...base, timestamp: now + 300 });
    const good = server.log.at(-1)!.body as Envelope;
    const opts = { network: "31337", now };

    expect(await checkEnvelope(good, { ...opts, seen: new Set([id]) })).to.deep.equal({
      ok: false,
      error: "duplicate message",
    });
    const otherDomain = { ...good, data: { ...good.data, domain: { name: "snapshot", version: "0.1.3" } } };
    expect(await checkEnvelope(otherDomain, opts)).to.deep.equal({ ok: false, error: "wrong domain" });
    const renamed = structuredClone(good);
    renamed.data.types.Proposal[4].name = "name";
    expect(await checkEnvelope(renamed, opts)).to.deep.equal({ ok: false, error: "wrong types" });
    expect(await checkEnvelope({ ...good, address: labB.address }, opts)).to.deep.equal({
      ok: false,
      error: "wrong from",
    });
    const tampered = structuredClone(good);
    tampered.data.message.title = "something else";
    expect(await checkEnvelope(tampered, opts)).to.deep.equal({ ok: false, error: "signature validation failed" });
    const foreign = await new Wallet(Wallet.createRandom().privateKey).signTypedData(
      good.data.domain,
      good.data.types,
      good.data.message,
    );
    expect(await checkEnvelope({ ...good, sig: foreign }, opts)).to.deep.equal({
      ok: false,
      error: "signature validation failed",
    });
    expect(await checkEnvelope({ ...good, extra: 1 }, opts)).to.deep.equal({
      ok: false,
      error: "wrong envelope format",
    });
  });

  it("survives hostile bodies: not JSON, oversized, wrong method, unknown reads; then still accepts", async function () {
    const { client, labA, now, block } = await started();
    const post = (body: string, method = "POST") =>
      fetch(server.url, { method, headers: { "content-type": "application/json" }, body });
    const answer = async (r: Response) => [
      r.status,
      ((await r.json()) as { error_description: string }).error_description,
    ];
    expect(await answer(await post("{not json"))).to.deep.equal([400, "wrong envelope format"]);
    const huge = {
      address: labA.address,
      sig: "0x",
      data: {
        domain: SNAPSHOT_DOMAIN,
        types: {},
        message: { from: labA.address, timestamp: now, space: SPACE, body: "x".repeat(100_001) },
      },
    };
    expect(await answer(await post(JSON.stringify(huge)))).to.deep.equal([400, "too large message"]);
    expect(await answer(await post("{}", "PUT"))).to.deep.equal([400, "wrong method"]);
    const missing = await fetch(`${server.url}api/proposals/0x${"00".repeat(32)}`);
    expect(await answer(missing)).to.deep.equal([404, "unknown proposal"]);
    const id = await client.createProposal(labA, {
      space: SPACE,
      title: "still here",
      choices: ["a", "b"],
      start: now,
      end: now + 60,
      snapshot: block,
    });
    expect(server.proposals.has(id)).to.equal(true);
  });

  it("refuses votes on unknown or closed proposals and invalid choices", async function () {
    const { client, labA, now, block } = await started();
    const base = { space: SPACE, title: "t", choices: ["a", "b"], start: now - 60, end: now + 3600, snapshot: block };
    const proposal = await client.createProposal(labA, base);
    await expectRefused(client.vote(labA, { space: SPACE, proposal, choice: 3 }), "invalid choice");
    await expectRefused(client.vote(labA, { space: SPACE, proposal, choice: 0 }), "invalid choice");
    await expectRefused(
      client.vote(labA, { space: SPACE, proposal: "0x" + "1".repeat(64), choice: 1 }),
      "unknown proposal",
    );
    const future = await client.createProposal(labA, { ...base, start: now + 600, end: now + 900 });
    await expectRefused(client.vote(labA, { space: SPACE, proposal: future, choice: 1 }), "not in voting window");
    const closed = await client.createProposal(labA, { ...base, start: now - 600, end: now - 300 });
    await expectRefused(client.vote(labA, { space: SPACE, proposal: closed, choice: 1 }), "not in voting window");
    // Inside the window by the sequencer's clock but stamped before the start: refused too.
    await expectRefused(
      client.vote(labA, { space: SPACE, proposal, choice: 1, timestamp: now - 61 }),
      "not in voting window",
    );
    expect(server.votes(proposal)).to.deep.equal([]);
  });

  it("refuses votes with no voting power when the endpoint can read it", async function () {
    const fx = await setup();
    const vpServer = await startCaptureServer({
      spaces: { [SPACE]: { network: "31337" } },
      votingPower: async (voter, proposal) =>
        (
          await computeScores({
            provider: fx.provider,
            network: "31337",
            strategies: fx.settings.strategies,
            addresses: [voter],
            snapshot: proposal.snapshot,
            multicall: fx.multicall,
          })
        ).vp[voter],
    });
    try {
      const client = new SnapshotClient(vpServer.url);
      const now = Math.floor(Date.now() / 1000);
      const block = await fx.ethers.provider.getBlockNumber();
      const proposal = await client.createProposal(fx.labA, {
        space: SPACE,
        title: "t",
        choices: ["a", "b"],
        start: now - 10,
        end: now + 60,
        snapshot: block,
      });
      await expectRefused(client.vote(fx.outsider, { space: SPACE, proposal, choice: 1 }), "no voting power");
      await client.vote(fx.labC, { space: SPACE, proposal, choice: 1 });
      expect(vpServer.votes(proposal).map((v) => v.voter)).to.deep.equal([fx.labC.address]);
    } finally {
      await vpServer.close();
    }
  });
});

describe("Snapshot scores and results", function () {
  it("read power at the snapshot block through utils.multicall, equal to getPastVotes and ModelShares history", async function () {
    const { ethers, connection, model, shares, labA, labB, labC, outsider, provider, multicall, settings } =
      await setup();
    // History: B delegates to A, then C moves fractions to the outsider; the snapshot sits between the two.
    await model.votes.connect(labB).delegate(labA.address);
    const snapshotBlock = await ethers.provider.getBlockNumber();
    const snapshotTime = (await ethers.provider.getBlock(snapshotBlock))!.timestamp;
    await shares.connect(labC).safeTransferFrom(labC.address, outsider.address, model.modelId, 150n, "0x");
    await connection.networkHelpers.mine(2);

    const voters = [labA.address, labB.address, labC.address, outsider.address];
    const result = await computeScores({
      provider,
      network: "31337",
      strategies: settings.strategies,
      addresses: voters,
      snapshot: snapshotBlock,
      multicall,
    });
    for (const voter of voters) {
      expect(result.raw[0][voter]).to.equal(await model.votes.getPastVotes(voter, snapshotTime));
      expect(result.raw[1][voter]).to.equal(await shares.balanceOf(voter, model.modelId, { blockTag: snapshotBlock }));
    }
    expect(result.raw[0]).to.deep.equal({
      [labA.address]: 800n,
      [labB.address]: 0n,
      [labC.address]: 200n,
      [outsider.address]: 0n,
    });
    expect(result.raw[1][labC.address]).to.equal(200n);
    expect(result.vp[labA.address]).to.equal(800 + 500);
    // The latest block tells a different story: the snapshot block really is what is read.
    const latest = await computeScores({
      provider,
      network: "31337",
      strategies: settings.strategies,
      addresses: voters,
      snapshot: await ethers.provider.getBlockNumber(),
      multicall,
    });
    expect(latest.raw[1][outsider.address]).to.equal(150n);
  });

  it("tallies collected votes with snapshot.js's voting classes, per strategy too", async function () {
    const { ethers, model, labA, labB, labC, provider, multicall, settings } = await setup();
    await model.votes.connect(labC).delegate(labB.address);
    const block = await ethers.provider.getBlockNumber();
    const scores = await computeScores({
      provider,
      network: "31337",
      strategies: settings.strategies,
      addresses: [labA.address, labB.address, labC.address],
      snapshot: block,
      multicall,
    });
    const votes = [
      { voter: labA.address, choice: 2 },
      { voter: labB.address, choice: 1 },
      { voter: labC.address, choice: 1 },
    ];
    const r = tally({ type: "single-choice", choices: ["For", "Against"] }, votes, settings.strategies, scores);
    // Votes strategy: A 500 against; B 300 + 200 delegated by C for. Holdings: A 500, B 300, C 200.
    expect(r.scoresByStrategy).to.deep.equal([
      [500, 500],
      [500, 500],
    ]);
    expect(r.scores).to.deep.equal([1000, 1000]);
    expect(r.scoresTotal).to.equal(2000);
    const votesOnly = tally(
      { type: "single-choice", choices: ["For", "Against"] },
      votes.slice(1),
      settings.strategies,
      scores,
    );
    expect(votesOnly.leader).to.equal(1);
    expect(() => tally({ type: "nonsense", choices: [] }, [], settings.strategies, scores)).to.throw(/^type: expected/);
  });
});

async function expectRefused(p: Promise<unknown>, reason: string) {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(SnapshotHubError);
    expect((e as SnapshotHubError).reason).to.equal(reason);
    return;
  }
  expect.fail(`expected the endpoint to refuse with "${reason}"`);
}
