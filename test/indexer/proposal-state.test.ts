/**
 * indexer/proposal-state.ts: the governor's state from the indexed tables, at every boundary the governor has
 * (snapshot, deadline, quorum on for + abstain, for above against, queueing, the 14-day grace period). The same
 * function is checked against `ModelGovernor.state` on a real node in indexer.test.ts.
 */
import { expect } from "chai";

import { PROPOSAL_GRACE_PERIOD, proposalState, quorumAt, valueAt } from "../../indexer/proposal-state.js";

const base = {
  status: "created",
  voteStart: 1_000n,
  voteEnd: 2_000n,
  etaSeconds: null,
  forVotes: 60n,
  againstVotes: 10n,
  abstainVotes: 0n,
};

describe("indexer proposal state", function () {
  it("follows the snapshot and the deadline (both inclusive, as the governor compares them)", function () {
    expect(proposalState(base, 50n, 1_000n)).to.equal("Pending");
    expect(proposalState(base, 50n, 1_001n)).to.equal("Active");
    expect(proposalState(base, 50n, 2_000n)).to.equal("Active");
    expect(proposalState(base, 50n, 2_001n)).to.equal("Succeeded");
  });

  it("needs the quorum on for + abstain and more for than against", function () {
    expect(proposalState({ ...base, forVotes: 29n, abstainVotes: 20n }, 50n, 2_001n)).to.equal("Defeated");
    expect(proposalState({ ...base, forVotes: 30n, abstainVotes: 20n }, 50n, 2_001n)).to.equal("Succeeded");
    expect(proposalState({ ...base, forVotes: 60n, againstVotes: 60n }, 50n, 2_001n)).to.equal("Defeated");
    expect(proposalState({ ...base, forVotes: 49n }, 50n, 2_001n)).to.equal("Defeated");
  });

  it("expires a succeeded proposal not queued, and a queued one not executed, after the grace period", function () {
    expect(proposalState(base, 50n, 2_000n + PROPOSAL_GRACE_PERIOD)).to.equal("Succeeded");
    expect(proposalState(base, 50n, 2_001n + PROPOSAL_GRACE_PERIOD)).to.equal("Expired");
    const queued = { ...base, status: "queued", etaSeconds: 5_000n };
    expect(proposalState(queued, 50n, 5_000n + PROPOSAL_GRACE_PERIOD)).to.equal("Queued");
    expect(proposalState(queued, 50n, 5_001n + PROPOSAL_GRACE_PERIOD)).to.equal("Expired");
    expect(proposalState({ ...queued, status: "executed" }, 50n, 10n ** 9n)).to.equal("Executed");
    expect(proposalState({ ...base, status: "canceled" }, 50n, 1_500n)).to.equal("Canceled");
  });

  it("takes the supply and numerator in force at the snapshot", function () {
    const supply = [
      { timestamp: 100n, supply: 1_000n },
      { timestamp: 500n, supply: 2_000n },
    ];
    const numerators = [
      { timestamp: 100n, numerator: 4n },
      { timestamp: 800n, numerator: 10n },
    ];
    expect(quorumAt(supply, numerators, 99n)).to.equal(0n);
    expect(quorumAt(supply, numerators, 499n)).to.equal(40n);
    expect(quorumAt(supply, numerators, 500n)).to.equal(80n);
    expect(quorumAt(supply, numerators, 800n)).to.equal(200n);
    expect(valueAt(supply, 10_000n, (r) => r.supply)).to.equal(2_000n);
  });
});
