/**
 * The indexer (indexer/, Ponder on PGlite) against a real `hardhat node`: a story is played on chain, part before the
 * indexer starts (history) and part while it runs (live); then (a) every table is checked against the contracts'
 * own views; a block is dropped from the chain (evm_revert) and the index follows; and (b) fresh indexers on fresh
 * databases over the same chain, on PGlite and on PostgreSQL (a throwaway cluster from Debian's postgresql package;
 * skipped, saying so, without it), rebuild exactly the tables live indexing reached. Readiness is Ponder's /ready
 * and /status (the block it has indexed), never the clock. Every process is stopped by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { ethers } from "ethers";
import { network } from "hardhat";

import { decodeProvenance, decodeReview } from "../../client/attestations.js";
import { lineageOf } from "../../client/lineage.js";
import { proposalState, quorumAt } from "../../indexer/proposal-state.js";
import { offerTerms } from "../helpers/fixtures.js";
import { postgresMissing, startPostgres, type RunningPostgres } from "../helpers/postgres.js";
import { cli, freePort, root, rpc, waitForRpc } from "../tasks/cli.js";
import { dumpTables, schema, startIndexer, type RunningIndexer } from "./indexer-process.js";
import { playHistory, playLive, type Story } from "./story.js";

const ZERO = "0x0000000000000000000000000000000000000000";
const lower = (a: string) => a.toLowerCase();

describe("indexer (Ponder on PGlite) over a local node", function () {
  // Generous for a loaded 2-core machine; what is asserted is state, never time.
  this.timeout(600_000);
  let node: ChildProcess | undefined;
  let rpcUrl = "";
  const work = mkdtempSync(path.join(tmpdir(), "ws-indexer-"));
  const deploymentFile = path.join(work, "deployment.json");
  const indexers: RunningIndexer[] = [];
  let story: Story;
  let live: RunningIndexer;
  let postgres: RunningPostgres | undefined;

  before(async function () {
    const port = await freePort();
    rpcUrl = `http://127.0.0.1:${port}`;
    node = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: root,
      stdio: "ignore",
    });
    await waitForRpc(rpcUrl, 120_000);
    const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
    story = await playHistory(connection);
    writeFileSync(deploymentFile, JSON.stringify(story.deployment, null, 2));
    live = await startIndexer({ rpcUrl, deploymentFile, directory: path.join(work, "live") });
    indexers.push(live);
    await live.caughtUp(await story.head(), 240_000);
    // Live: everything below happens while the indexer runs.
    await playLive(story);
    await live.caughtUp(await story.head(), 240_000);
  });

  after(async function () {
    for (const indexer of indexers) await indexer.stop();
    await postgres?.stop();
    if (node?.pid !== undefined) process.kill(node.pid); // stopped by its own pid
    rmSync(work, { recursive: true, force: true });
  });

  it("indexes every model with its clones, supply and holders as the registry and the votes token report them", async function () {
    const models = await live.client.db.select().from(schema.model);
    expect(models.map((m) => m.id)).to.have.members([1n, 2n, 3n]);
    for (const m of models) {
      const record = await story.protocol.registry.model(m.id);
      expect([m.votes, m.governor, m.timelock, m.creator]).to.deep.equal(
        [record.votes, record.governor, record.timelock, record.creator].map(lower),
      );
      expect([m.name, m.contentHash]).to.deep.equal([record.name, record.contentHash]);
      const votes = await story.votesOf(m.id);
      // The votes token's supply leaves out the treasury's fractions (they carry no votes).
      expect(m.totalSupply).to.equal(
        (await votes.totalSupply()) + (await story.protocol.shares.balanceOf(record.timelock, m.id)),
      );
      const holders = (await live.client.db.select().from(schema.balance)).filter((b) => b.modelId === m.id);
      expect(m.holderCount).to.equal(holders.length);
      expect(holders.reduce((sum, b) => sum + b.amount, 0n)).to.equal(m.totalSupply);
    }
  });

  it("keeps each model's governance settings, operator, unlock window, royalty and minting grants as the contracts report them", async function () {
    const { meter, vault, shares, raises } = story.protocol;
    const models = await live.client.db.select().from(schema.model);
    for (const m of models) {
      const governor = await story.governorOf(m.id);
      const timelock = await story.timelockOf(m.id);
      expect([
        m.votingDelay,
        m.votingPeriod,
        m.proposalThreshold,
        m.quorumNumerator,
        m.lateQuorumExtension,
        m.proposalGuardian,
        m.timelockDelay,
      ]).to.deep.equal([
        await governor.votingDelay(),
        await governor.votingPeriod(),
        await governor.proposalThreshold(),
        await governor["quorumNumerator()"](),
        await governor.lateQuorumVoteExtension(),
        lower(await governor.proposalGuardian()),
        await timelock.getMinDelay(),
      ]);
      expect(m.operator ?? ZERO).to.equal(lower(await meter.operatorOf(m.id)));
      const [, , window] = await vault.unlocking(m.id, ZERO);
      if (m.unlockWindow !== null) expect(m.unlockWindow).to.equal(window);
      const [receiver, royalty] = await shares.royaltyInfo(m.id, 10_000n);
      expect([m.royaltyReceiver ?? ZERO, m.royaltyBps ?? 0n]).to.deep.equal([lower(receiver), royalty]);
    }
    // What model 1's executed proposal changed.
    const vision = models.find((m) => m.id === 1n)!;
    expect([vision.votingPeriod, vision.quorumNumerator, vision.timelockDelay, vision.unlockWindow]).to.deep.equal([
      4n * 86400n,
      5n,
      86400n,
      2n * 86400n,
    ]);
    const grants = await live.client.db.select().from(schema.mintingGrant);
    expect(grants.map((g) => [g.modelId, g.minter])).to.deep.equal([[2n, lower(await raises.getAddress())]]);
    for (const g of grants) expect(g.granted).to.equal(await shares.mintingGrant(g.modelId, g.minter));
  });

  it("keeps every balance equal to balanceOf, and lists every account that holds fractions", async function () {
    const rows = await live.client.db.select().from(schema.balance);
    for (const row of rows) {
      expect(row.amount, `${row.account} in ${row.modelId}`).to.equal(
        await story.protocol.shares.balanceOf(row.account, row.modelId),
      );
    }
    for (const modelId of [1n, 2n, 3n]) {
      for (const account of story.accounts) {
        const held = await story.protocol.shares.balanceOf(account, modelId);
        const row = rows.find((r) => r.modelId === modelId && r.account === lower(account));
        expect(row?.amount ?? 0n, `${account} in ${modelId}`).to.equal(held);
      }
    }
    expect(rows.length).to.be.greaterThan(4);
    // Approvals to move all of an account's fractions: Speech-1B's treasury approved the sales contract.
    const approvals = await live.client.db.select().from(schema.shareApproval);
    expect(approvals.map((a) => a.operator)).to.include(lower(await story.protocol.sales.getAddress()));
    for (const a of approvals)
      expect(await story.protocol.shares.isApprovedForAll(a.account, a.operator)).to.equal(true);
  });

  it("keeps delegates and voting power equal to delegates() and getVotes()", async function () {
    const delegations = await live.client.db.select().from(schema.delegation);
    const power = await live.client.db.select().from(schema.votingPower);
    for (const modelId of [1n, 2n]) {
      const votes = await story.votesOf(modelId);
      for (const account of story.accounts) {
        const d = delegations.find((r) => r.modelId === modelId && r.delegator === lower(account));
        expect(d?.delegate ?? ZERO, `delegate of ${account} in ${modelId}`).to.equal(
          lower(await votes.delegates(account)),
        );
        const p = power.find((r) => r.modelId === modelId && r.account === lower(account));
        expect(p?.votes ?? 0n, `votes of ${account} in ${modelId}`).to.equal(await votes.getVotes(account));
      }
    }
    // The story re-delegated while the indexer ran: labC's votes moved to labA.
    expect(delegations.find((d) => d.modelId === 1n && d.delegator === lower(story.labC))?.delegate).to.equal(
      lower(story.labA),
    );
  });

  it("records proposals with the governor's tallies, deadlines and state, and every vote", async function () {
    const proposals = await live.client.db.select().from(schema.proposal);
    const votes = await live.client.db.select().from(schema.vote);
    expect(proposals.map((p) => p.status).sort()).to.deep.equal(["canceled", "created", "executed"]);
    const supplies = await live.client.db.select().from(schema.votableSupply);
    const quorums = await live.client.db.select().from(schema.quorumNumerator);
    const now = BigInt((await story.connection.ethers.provider.getBlock("latest"))!.timestamp);
    const states: string[] = [];
    const STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"];
    for (const p of proposals) {
      const governor = await story.governorOf(p.modelId);
      expect(p.governor).to.equal(lower(await governor.getAddress()));
      const [against, forVotes, abstain] = await governor.proposalVotes(p.proposalId);
      expect([p.againstVotes, p.forVotes, p.abstainVotes]).to.deep.equal([against, forVotes, abstain]);
      expect(p.voteStart).to.equal(await governor.proposalSnapshot(p.proposalId));
      expect(p.voteEnd).to.equal(await governor.proposalDeadline(p.proposalId));
      expect(p.proposer).to.equal(lower(await governor.proposalProposer(p.proposalId)));
      // The state the governor reports, computed from the tables alone (indexer/proposal-state.ts).
      const state = STATES[Number(await governor.state(p.proposalId))];
      const supply = supplies.filter((x) => x.modelId === p.modelId);
      const numerators = quorums.filter((x) => x.modelId === p.modelId);
      const quorum = quorumAt(supply, numerators, p.voteStart);
      if (p.voteStart < now) expect(quorum).to.equal(await governor.quorum(p.voteStart));
      expect(proposalState(p, quorum, now), `proposal ${p.proposalId}`).to.equal(state);
      states.push(state);
      if (p.status === "executed") expect(p.etaSeconds).to.equal(await governor.proposalEta(p.proposalId));
      const cast = votes.filter((v) => v.modelId === p.modelId && v.proposalId === p.proposalId);
      expect(p.voterCount).to.equal(cast.length);
      for (const account of story.accounts) {
        expect(cast.some((v) => v.voter === lower(account))).to.equal(await governor.hasVoted(p.proposalId, account));
      }
    }
    // The proposal voted on while the indexer ran has passed its deadline with more for than against.
    expect(states.sort()).to.deep.equal(["Canceled", "Executed", "Succeeded"]);
  });

  it("keeps the votable supply's history equal to getPastTotalSupply", async function () {
    const supplies = await live.client.db.select().from(schema.votableSupply);
    for (const modelId of [1n, 2n, 3n]) {
      const votes = await story.votesOf(modelId);
      const mine = supplies.filter((x) => x.modelId === modelId);
      expect(mine.length).to.be.greaterThan(0);
      const latest = mine.reduce((a, b) => (b.timestamp > a.timestamp ? b : a));
      expect(latest.supply).to.equal(await votes.totalSupply());
      for (const row of mine) {
        if (row.timestamp === latest.timestamp) continue; // getPastTotalSupply takes only past timepoints
        expect(row.supply, `model ${modelId} at ${row.timestamp}`).to.equal(
          await votes.getPastTotalSupply(row.timestamp),
        );
      }
    }
  });

  it("keeps offers, terms and licences (owner, expiry, credits) equal to the licence manager's views", async function () {
    const { licenses } = story.protocol;
    const offers = await live.client.db.select().from(schema.offer);
    expect(offers).to.have.length(2);
    for (const o of offers) {
      const [termsId, cap, sold, onSale] = await licenses.offer(o.modelId, o.offerId);
      expect([o.termsId, o.cap, o.sold, o.onSale]).to.deep.equal([termsId, cap, sold, onSale]);
      expect(o.offerId).to.be.lessThanOrEqual(await licenses.offerCount(o.modelId));
    }
    for (const t of await live.client.db.select().from(schema.terms)) {
      const onChain = await licenses.terms(t.id);
      expect([t.price, lower(t.paymentToken), t.credits, t.termsURI, t.termsHash]).to.deep.equal([
        onChain.price,
        lower(onChain.paymentToken),
        onChain.credits,
        onChain.termsURI,
        onChain.termsHash,
      ]);
    }
    const licences = await live.client.db.select().from(schema.licence);
    expect(licences).to.have.length(3);
    for (const l of licences) {
      const onChain = await licenses.licence(l.id);
      expect([l.modelId, l.offerId, l.termsId, l.expiry, l.credits]).to.deep.equal([
        onChain.modelId,
        onChain.offerId,
        onChain.termsId,
        onChain.expiry,
        onChain.credits,
      ]);
      expect(l.owner).to.equal(lower(await licenses.ownerOf(l.id)));
    }
    // The first licence was renewed and given away while the indexer ran.
    const first = licences.find((l) => l.id === 1n)!;
    expect([first.renewals, first.owner]).to.deep.equal([1, lower(story.outsider)]);
    // The operator settled 120 of the second licence's credits.
    const second = licences.find((l) => l.id === 2n)!;
    expect(second.credits).to.equal(offerTerms().credits - 120n);
    const settlements = await live.client.db.select().from(schema.usageSettlement);
    expect(settlements.map((u) => [u.licenceId, u.charged, u.creditsLeft])).to.deep.equal([[2n, 120n, second.credits]]);
    for (const p of await live.client.db.select().from(schema.primaryLicence)) {
      expect(p.licenceId).to.equal(await licenses.primaryLicence(p.modelId, p.account));
    }
  });

  it("sums revenue per model, token and account as the vault reports it, and accounts for every wei it holds", async function () {
    const { vault } = story.protocol;
    const revenue = await live.client.db.select().from(schema.revenue);
    expect(revenue.length).to.be.greaterThan(0);
    let held = 0n;
    for (const r of revenue) {
      expect(r.deposited).to.equal(await vault.totalDeposited(r.modelId, r.token));
      expect(r.toContributors + r.toHolders + r.toTreasury).to.equal(r.deposited);
      const [fromDerivatives, pending] = await vault.fromDerivatives(r.modelId, r.token);
      expect([r.fromDerivatives, r.fromDerivatives - r.derivativeCollected]).to.deep.equal([fromDerivatives, pending]);
      if (r.token === ZERO) {
        held += r.deposited - r.holderClaimed - r.contributorReleased - r.treasuryReleased;
        held += r.fromDerivatives - r.derivativeCollected; // set aside for this model, not yet in its split
      }
    }
    // Vision-7B got a tenth of both payments into its derivative, and collected the first.
    const vision = revenue.find((r) => r.modelId === 1n && r.token === ZERO)!;
    expect([vision.fromDerivatives, vision.derivativeCollected]).to.deep.equal([
      ethers.parseEther("0.15"),
      ethers.parseEther("0.1"),
    ]);
    expect(revenue.find((r) => r.modelId === 3n && r.token === ZERO)?.paidToParents).to.equal(
      ethers.parseEther("0.15"),
    );
    expect(vision.royaltiesCollected).to.equal(ethers.parseEther("0.2"));
    // What was still unlocking when it last changed, as the vault said at that block.
    for (const r of revenue.filter((x) => x.lockedBlock > 0n)) {
      const [locked, unlockEnd] = await vault.unlocking(r.modelId, r.token, { blockTag: Number(r.lockedBlock) });
      expect([r.locked, r.unlockEnd], `model ${r.modelId}`).to.deep.equal([locked, unlockEnd]);
    }
    expect(revenue.filter((x) => x.lockedBlock > 0n).length).to.be.greaterThan(0);
    // Every wei of ETH the vault holds arrived in a deposit and has not been paid out.
    expect(held).to.equal(await story.ethBalance(await vault.getAddress()));
    const accounts = await live.client.db.select().from(schema.revenueAccount);
    const claimedBy = (who: string) =>
      accounts.find((a) => a.modelId === 1n && a.token === ZERO && a.account === lower(who))?.holderClaimed;
    expect(claimedBy(story.labA)).to.equal(story.claimed.labA);
    expect(accounts.filter((a) => a.holderClaimed > 0n)).to.have.length(1);
    expect(accounts.some((a) => a.contributorReleased > 0n && a.account === lower(story.labC))).to.equal(true);
    const [contributors, shares] = await vault.contributorsOf(1n);
    const rows = (await live.client.db.select().from(schema.contributor)).filter((c) => c.modelId === 1n);
    expect(rows.map((c) => [c.account, c.shares])).to.have.deep.members(
      contributors.map((a, i) => [lower(a), shares[i]]),
    );
    const m = (await live.client.db.select().from(schema.model)).find((x) => x.id === 1n)!;
    const [c, h, t] = await vault.splitOf(1n);
    expect([m.contributorsBps, m.holdersBps, m.treasuryBps]).to.deep.equal([c, h, t]);
    const [tokens, allowed] = await vault.paymentTokensOf(1n);
    const tokenRows = (await live.client.db.select().from(schema.paymentToken)).filter((p) => p.modelId === 1n);
    expect(tokenRows.map((p) => [p.token, p.allowed])).to.have.deep.members(
      tokens.map((a, i) => [lower(a), allowed[i]]),
    );
  });

  it("folds raises, backings and sales as the funding contracts' views report them", async function () {
    const { raises, sales } = story.protocol;
    const raiseRows = await live.client.db.select().from(schema.raise);
    expect(raiseRows.map((r) => [r.id, r.modelId, r.finalized, r.succeeded])).to.deep.equal([[1n, 2n, true, true]]);
    for (const r of raiseRows) {
      const s = await raises.raiseState(r.id);
      expect([r.committed, r.seatsSold, r.finalized, r.cancelled, r.tranchesReleased, r.milestoneFailed]).to.deep.equal(
        [s.committed, s.seatsSold, s.finalized, s.cancelled, s.tranchesReleased, s.milestoneFailed],
      );
      expect([r.milestoneRefund, r.accessOfferId]).to.deep.equal([s.milestoneRefund, s.accessOfferId]);
      const [inflow, refunded, released, paidForSeats] = await raises.accounts(r.id);
      expect([r.inflow, r.refunded, r.released, r.paidForSeats]).to.deep.equal([
        inflow,
        refunded,
        released,
        paidForSeats,
      ]);
    }
    const backings = await live.client.db.select().from(schema.backing);
    expect(backings).to.have.length(2);
    for (const account of story.accounts) {
      const b = await raises.backing(1n, account);
      const row = backings.find((x) => x.raiseId === 1n && x.backer === lower(account));
      if (row === undefined) {
        expect(b.fractions + b.seats).to.equal(0n);
        continue;
      }
      expect([
        row.fractions,
        row.seats,
        row.acceptedTerms,
        row.claimed,
        row.seatsDelivered,
        row.surplus,
        row.refunded,
      ]).to.deep.equal([b.fractions, b.seats, b.acceptedTerms, b.claimed, b.seatsDelivered, b.surplus, b.refunded]);
    }
    const saleRows = await live.client.db.select().from(schema.sale);
    expect(saleRows).to.have.length(1);
    const s = await sales.saleState(1n);
    expect([saleRows[0].sold, saleRows[0].proceeds, saleRows[0].stopped]).to.deep.equal([
      s.sold,
      s.proceeds,
      s.stopped,
    ]);
    expect(saleRows[0].sold).to.equal(8n);
  });

  it("records the lineage (parents, shares, children, depth, routes, floors) as the lineage registry's views", async function () {
    const derivatives = await live.client.db.select().from(schema.derivative);
    const parents = await live.client.db.select().from(schema.lineageParent);
    expect(derivatives.map((d) => [d.modelId, d.registrant])).to.deep.equal([[3n, lower(story.labA)]]);
    for (const modelId of [1n, 2n, 3n]) {
      const onChain = await lineageOf(story.protocol.lineage, modelId);
      const d = derivatives.find((x) => x.modelId === modelId);
      const mine = parents.filter((x) => x.modelId === modelId).sort((x, y) => x.position - y.position);
      expect(mine.map((x) => [x.parentId, x.licenceId, x.shareBps])).to.deep.equal(
        onChain.parents.map((x) => [x.modelId, x.licenceId, x.shareBps]),
      );
      expect(parents.filter((x) => x.parentId === modelId).map((x) => x.modelId)).to.deep.equal(onChain.children);
      expect([d?.depth ?? 0n, d?.routes ?? 0n, d?.parentShareBps ?? 0n]).to.deep.equal([
        onChain.depth,
        onChain.routes,
        onChain.parentShareBps,
      ]);
      expect([d?.minPriceToken ?? ZERO, d?.minPrice ?? 0n]).to.deep.equal([
        lower(onChain.floor.token),
        onChain.floor.price,
      ]);
    }
  });

  it("records every review with its rating and revocation as EAS holds them", async function () {
    const reviews = await live.client.db.select().from(schema.review);
    expect(reviews).to.have.length(2);
    for (const r of reviews) {
      const a = await story.protocol.eas.getAttestation(r.uid);
      const data = decodeReview(a.data);
      expect([r.attester, r.modelId, r.licenceId, r.rating, r.text, r.reviewURI]).to.deep.equal([
        lower(a.attester),
        data.modelId,
        data.licenceId,
        data.rating,
        data.text,
        data.reviewURI,
      ]);
      expect(r.revoked).to.equal(a.revocationTime > 0n);
    }
    expect(reviews.filter((r) => r.revoked)).to.have.length(1);
    expect(reviews.map((r) => r.text).sort()).to.deep.equal(["Slow", "Solid"]);
  });

  it("records provenance attestations, their revocations on EAS, and the evaluators treasuries named", async function () {
    const { eas, provenanceResolver } = story.protocol;
    const rows = await live.client.db.select().from(schema.provenance);
    expect(rows.map((r) => r.kind).sort()).to.deep.equal(["evaluation", "model-card"]);
    for (const r of rows) {
      const a = await eas.getAttestation(r.uid);
      const data = decodeProvenance(a.data);
      expect([r.attester, r.modelId, r.manifestHash, r.kind, r.uri]).to.deep.equal([
        lower(a.attester),
        data.modelId,
        data.manifestHash,
        data.kind,
        data.uri,
      ]);
      expect(r.revoked).to.equal(a.revocationTime > 0n);
    }
    expect(rows.filter((r) => r.revoked).map((r) => r.kind)).to.deep.equal(["model-card"]);
    const evaluators = await live.client.db.select().from(schema.evaluator);
    expect(evaluators.map((e) => [e.modelId, e.account, e.allowed])).to.deep.equal([[2n, lower(story.outsider), true]]);
    for (const e of evaluators) expect(await provenanceResolver.isEvaluator(e.modelId, e.account)).to.equal(e.allowed);
  });

  it("serves the same tables over GraphQL", async function () {
    const res = await fetch(`${live.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: '{ models(orderBy: "id") { items { id name totalSupply holders { items { account amount } } } } }',
      }),
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as {
      data: { models: { items: { id: string; name: string; totalSupply: string; holders: { items: unknown[] } }[] } };
    };
    const items = body.data.models.items;
    expect(items.map((m) => [m.id, m.name])).to.deep.equal([
      ["1", "Vision-7B"],
      ["2", "Speech-1B"],
      ["3", "Vision-Tiny"],
    ]);
    const balances = await live.client.db.select().from(schema.balance);
    expect(items[0].holders.items).to.have.length(balances.filter((b) => b.modelId === 1n).length);
  });

  it("undoes a block the chain dropped (a reorg made with evm_revert) and indexes the block that replaced it", async function () {
    const { shares } = story.protocol;
    const { labB, payer, licensee } = story.signers;
    const head = await story.head();
    await live.caughtUp(head, 240_000);
    const snapshot = (await rpc(rpcUrl, "evm_snapshot")) as string;
    const dropped = await (
      await shares.connect(labB).safeTransferFrom(labB.address, payer.address, 1n, 7n, "0x")
    ).wait();
    await live.caughtUp(head + 1, 240_000);
    const before = await live.client.db.select().from(schema.transfer);
    expect(before.some((t) => t.transactionHash === dropped!.hash)).to.equal(true);

    expect(await rpc(rpcUrl, "evm_revert", [snapshot])).to.equal(true);
    await (await shares.connect(labB).safeTransferFrom(labB.address, licensee.address, 1n, 3n, "0x")).wait();
    await rpc(rpcUrl, "evm_mine");
    expect(await story.head()).to.equal(head + 2);
    await live.caughtUp(head + 2, 240_000);

    const transfers = await live.client.db.select().from(schema.transfer);
    expect(transfers.some((t) => t.transactionHash === dropped!.hash)).to.equal(false);
    expect(transfers.filter((t) => t.blockNumber === BigInt(head + 1)).map((t) => [t.to, t.amount])).to.deep.equal([
      [lower(licensee.address), 3n],
    ]);
    const rows = await live.client.db.select().from(schema.balance);
    for (const account of story.accounts) {
      const row = rows.find((r) => r.modelId === 1n && r.account === lower(account));
      expect(row?.amount ?? 0n, account).to.equal(await shares.balanceOf(account, 1n));
    }
  });
  // Mocha runs these after the tests above, the reorg included: what live indexing reached through it is what a
  // fresh indexer that never saw the dropped block must rebuild. Both fresh indexers catch up at the same time.
  describe("rebuilt from scratch on a fresh database", function () {
    let rebuilt: RunningIndexer;
    let onPostgres: RunningIndexer | undefined;
    let head = 0;

    before(async function () {
      head = await story.head();
      await live.caughtUp(head, 240_000);
      const databaseUrl =
        postgresMissing() === undefined
          ? await (postgres = await startPostgres()).createDatabase("ws_indexer")
          : undefined;
      const started = await Promise.all([
        startIndexer({ rpcUrl, deploymentFile, directory: path.join(work, "rebuilt") }),
        ...(databaseUrl === undefined ? [] : [startIndexer({ rpcUrl, deploymentFile, databaseUrl })]),
      ]);
      indexers.push(...started);
      [rebuilt, onPostgres] = started;
      await Promise.all(started.map((indexer) => indexer.caughtUp(head, 240_000)));
    });

    it("on PGlite: exactly the state live indexing reached", async function () {
      const [a, b] = [await dumpTables(live), await dumpTables(rebuilt)];
      expect(Object.keys(a)).to.include.members([
        "model",
        "balance",
        "proposal",
        "licence",
        "revenue",
        "raise",
        "sale",
        "derivative",
        "review",
        "provenance",
      ]);
      expect(b).to.deep.equal(a);
    });

    it("on PostgreSQL (DATABASE_URL): the same state", async function () {
      const missing = postgresMissing();
      if (missing !== undefined) {
        console.warn(`    SKIPPED: the PostgreSQL variant needs a PostgreSQL server: ${missing}`);
        this.skip();
      }
      expect(await dumpTables(onPostgres!)).to.deep.equal(await dumpTables(live));
    });
  });
});
