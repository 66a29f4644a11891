/**
 * The Tally API client against a loopback stub that serves hand-written fixtures (test/fixtures/tally, each says
 * so). The stub checks what Tally's API requires of a request (POST, JSON, `Api-Key` header, the operation and its
 * input type, the CAIP-10 governor id), so a change in what the client sends fails here; the typed answers are
 * read field by field, so a fixture that no longer fits the types fails too.
 */
import { expect } from "chai";

import { TallyApiError, TallyClient, governorId } from "../../../governance/tally/index.js";
import { GOVERNOR, KEY, fixture, tallyStub } from "../../helpers/tally-stub.js";

describe("Tally API client (loopback stub, hand-written fixtures)", function () {
  let s: Awaited<ReturnType<typeof tallyStub>>;
  beforeEach(async function () {
    s = await tallyStub();
  });
  afterEach(async function () {
    await new Promise((resolve) => s.server.close(resolve));
  });

  it("reads a governor with its token and proposal stats, sending the key in Api-Key", async function () {
    const client = new TallyClient({ apiKey: KEY, url: s.url });
    const g = await client.governor(GOVERNOR);
    expect(s.seen[0].headers["api-key"]).to.equal(KEY);
    expect(s.seen[0].body.variables).to.deep.equal({ input: { id: GOVERNOR } });
    expect(g!.token).to.deep.include({ symbol: "wsVIS", decimals: 0, supply: "1000" });
    expect(g!.proposalStats).to.deep.equal({ total: 2, active: 1, failed: 0, passed: 1 });
    expect(g!.timelockId!.startsWith("eip155:11155111:")).to.equal(true);
  });

  it("pages proposals and delegates of one governor", async function () {
    const client = new TallyClient({ apiKey: KEY, url: s.url });
    const proposals = await client.proposals(GOVERNOR, { limit: 2 });
    expect(s.seen[0].body.variables.input).to.deep.equal({ filters: { governorId: GOVERNOR }, page: { limit: 2 } });
    expect(proposals.nodes.map((p) => [p.status, p.metadata.title])).to.deep.equal([
      ["active", "Lower the academic licence price"],
      ["executed", "Name the contributors"],
    ]);
    expect(proposals.nodes[0].voteStats.map((v) => v.type)).to.deep.equal(["for", "against", "abstain"]);
    expect(proposals.pageInfo.count).to.equal(2);
    const delegates = await client.delegates(GOVERNOR);
    expect(delegates.nodes.map((d) => [d.votesCount, d.delegatorsCount])).to.deep.equal([
      ["500", 1],
      ["500", 2],
    ]);
    expect(s.seen[1].body.variables.input).to.deep.include({ sort: { isDescending: true, sortBy: "votes" } });
  });

  it("names what went wrong: unknown governor, bad key, unreachable API, empty key", async function () {
    const client = new TallyClient({ apiKey: KEY, url: s.url });
    await expectError(
      client.governor(governorId(1n, "0x0000000000000000000000000000000000000001")),
      /governor not found/,
    );
    const badKey = new TallyClient({ apiKey: "wrong", url: s.url });
    await expectError(badKey.governor(GOVERNOR), /invalid api key/);
    const nowhere = new TallyClient({ apiKey: KEY, url: "http://127.0.0.1:9/query" });
    await expectError(nowhere.governor(GOVERNOR), /unreachable at http:\/\/127.0.0.1:9\/query/);
    expect(() => new TallyClient({ apiKey: " " })).to.throw(/^apiKey: expected a Tally API key/);
  });

  it("every fixture says it is hand-written", function () {
    for (const name of ["governor", "proposals", "delegates", "unknown-governor"]) {
      expect(JSON.parse(fixture(name))._fixture).to.match(/^Hand-written/);
    }
  });
});

async function expectError(p: Promise<unknown>, message: RegExp) {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(TallyApiError);
    expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail("expected a TallyApiError");
}
