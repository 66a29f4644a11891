/**
 * The Snapshot and Tally tasks as a user runs them on a deployed protocol: space settings, a signed Snapshot
 * proposal and vote sent to a loopback Snapshot-compatible endpoint, scores at the snapshot block, Tally's
 * "add a DAO" fields and its view of the model, and Tally's API through a loopback stub. Bad inputs print one
 * line naming the argument, exit 1 and send nothing.
 */
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { startCaptureServer, type CaptureServer } from "../../governance/snapshot/index.js";
import { governorId } from "../../governance/tally/index.js";
import { KEY, tallyStub } from "../helpers/tally-stub.js";
import { deployForTasks, runTask, writeMembers, type TaskRun } from "./helpers.js";

const SPACE = "vision-7b.eth";

describe("tasks: ws snapshot-* and tally*", function () {
  let deployment: string;
  let accounts: string[];
  let modelId: string;
  let registered: { blockNumber: number; governor: string; votes: string };
  let hub: CaptureServer;
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };

  before(async function () {
    const deployed = await deployForTasks(hre);
    ({ deployment, accounts } = deployed);
    const members = writeMembers(path.dirname(deployment), accounts.slice(1, 3), [600, 400], {
      name: "Vision-7B",
      symbol: "wsVIS",
      metadataURI: "ipfs://vision",
      contentHash: `0x${"cd".repeat(32)}`, // ipfs:// cannot be read here, so the hash is given
    });
    modelId = String(ok(await run("register", { members })).modelId);
    const { ethers } = await hre.network.getOrCreate();
    const registry = await ethers.getContractAt("ModelRegistry", deployed.addresses.registry);
    const [event] = await registry.queryFilter(registry.filters.ModelRegistered(BigInt(modelId)));
    registered = { blockNumber: event.blockNumber, governor: event.args.governor, votes: event.args.votes };
    hub = await startCaptureServer({ spaces: { [SPACE]: { network: "31337" } } });
  });

  after(async function () {
    await hub?.close();
  });

  it("snapshot-space prints settings snapshot.js accepts, for the network the model is on", async function () {
    const settings = ok(await run("snapshot-space", { modelId, networkId: "11155111", strategies: "", admins: "" }));
    expect(settings.network).to.equal("11155111");
    expect(settings.strategies.map((s: { name: string }) => s.name)).to.deep.equal([
      "erc20-votes",
      "erc1155-balance-of",
    ]);
    expect(settings.strategies[1].params.tokenId).to.equal(modelId);
    const votesOnly = ok(
      await run("snapshot-space", { modelId, networkId: "1", strategies: "votes", admins: accounts[1] }),
    );
    expect(votesOnly.strategies).to.have.length(1);
    expect(votesOnly.admins).to.deep.equal([accounts[1]]);
  });

  it("snapshot-propose, snapshot-vote and snapshot-scores run a signalling vote end to end", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const proposal = ok(
      await run("snapshot-propose", {
        modelId,
        hub: hub.url,
        space: SPACE,
        title: "Publish an academic licence?",
        body: "Signalling before the on-chain offer.",
        choices: "",
        duration: "",
        snapshot: "",
        signer: "1",
      }),
    );
    expect(proposal.choices).to.deep.equal(["For", "Against", "Abstain"]);
    expect(proposal.end - proposal.start).to.equal(3 * 86400);
    expect(hub.proposals.get(proposal.id)?.snapshot).to.equal(block);
    ok(
      await run("snapshot-vote", {
        hub: hub.url,
        space: SPACE,
        proposal: proposal.id,
        choice: "1",
        reason: "",
        signer: "1",
      }),
    );
    ok(
      await run("snapshot-vote", {
        hub: hub.url,
        space: SPACE,
        proposal: proposal.id,
        choice: "2",
        reason: "no",
        signer: "2",
      }),
    );
    expect(hub.votes(proposal.id).map((v) => [v.voter, v.choice])).to.deep.equal([
      [accounts[1], 1],
      [accounts[2], 2],
    ]);
    const scores = ok(
      await run("snapshot-scores", {
        modelId,
        voters: `${accounts[1]},${accounts[2]},${accounts[3]}`,
        block: String(block),
        multicall: "",
        strategies: "",
        hub: "",
        proposal: "",
      }),
    );
    const tallied = ok(
      await run("snapshot-scores", {
        modelId,
        voters: "",
        block: "",
        multicall: "",
        strategies: "",
        hub: hub.url,
        proposal: proposal.id,
      }),
    );
    expect(tallied.block).to.equal(block);
    expect(tallied.result.scoresByStrategy).to.deep.equal([
      [600, 600],
      [400, 400],
      [0, 0],
    ]);
    expect(tallied.result.leader).to.equal(1);
    expect(scores.scores).to.deep.equal([
      { voter: accounts[1], "erc20-votes": "600", "erc1155-balance-of": "600", vp: 1200 },
      { voter: accounts[2], "erc20-votes": "400", "erc1155-balance-of": "400", vp: 800 },
      { voter: accounts[3], "erc20-votes": "0", "erc1155-balance-of": "0", vp: 0 },
    ]);
  });

  it("tally prints the add-a-DAO fields and the model's proposals as Tally shows them", async function () {
    // ws register's threshold (1% of the fractions) counts votes held before the proposing block: one block later.
    await (await hre.network.getOrCreate()).networkHelpers.mine();
    ok(
      await run("propose", {
        modelId,
        action: "spend-eth",
        to: accounts[4],
        amount: "0",
        description: "# Tip\nA tip.",
        signer: "1",
      }),
    );
    const view = ok(await run("tally", { modelId }));
    expect(view.addDao).to.deep.include({ chain: "eip155:31337", startBlock: registered.blockNumber });
    expect(view.addDao.governor).to.equal(registered.governor);
    expect(view.addDao.token).to.equal(registered.votes);
    expect(
      view.proposals.map((p: { status: string; metadata: { title: string } }) => [p.status, p.metadata.title]),
    ).to.deep.equal([["pending", "Tip"]]);
    const text = await runTask(hre, "tally", { deployment, json: false, signer: "", modelId });
    expect(text.stdout).to.match(/start block +\d+/);
  });

  it("tally-api reads Tally's API with the TALLY_API_KEY configuration variable", async function () {
    const stub = await tallyStub(governorId(31337n, registered.governor));
    const previous = process.env.TALLY_API_KEY;
    try {
      process.env.TALLY_API_KEY = KEY;
      const r = ok(await run("tally-api", { modelId, apiUrl: stub.url }));
      expect(r.governor.token.symbol).to.equal("wsVIS");
      expect(r.proposals).to.have.length(2);
      expect(stub.seen[0].headers["api-key"]).to.equal(KEY);
      process.env.TALLY_API_KEY = "wrong";
      const refused = await run("tally-api", { modelId, apiUrl: stub.url });
      expect([refused.exitCode, refused.stderr]).to.deep.equal([1, "error: --api-url: Tally API: invalid api key"]);
      delete process.env.TALLY_API_KEY;
      const missing = await run("tally-api", { modelId, apiUrl: stub.url });
      expect(missing.exitCode).to.equal(1);
      expect(missing.stderr).to.match(/^error: TALLY_API_KEY: expected a Tally API key/);
    } finally {
      if (previous === undefined) delete process.env.TALLY_API_KEY;
      else process.env.TALLY_API_KEY = previous;
      await new Promise((resolve) => stub.server.close(resolve));
    }
  });

  describe("bad inputs: one line naming the argument, exit 1, nothing sent or signed", function () {
    const space = (over: Record<string, unknown>) => ({ modelId, networkId: "1", strategies: "", admins: "", ...over });
    const propose = (over: Record<string, unknown>) => ({
      modelId,
      hub: hub.url,
      space: SPACE,
      title: "t",
      body: "",
      choices: "",
      duration: "",
      snapshot: "",
      ...over,
    });
    const vote = (over: Record<string, unknown>) => ({
      hub: hub.url,
      space: SPACE,
      proposal: `0x${"ab".repeat(32)}`,
      choice: "1",
      reason: "",
      ...over,
    });
    const scores = (over: Record<string, unknown>) => ({
      modelId,
      voters: accounts[1],
      block: "",
      multicall: "",
      strategies: "",
      hub: "",
      proposal: "",
      ...over,
    });
    const cases: [string, () => Record<string, unknown>, RegExp][] = [
      [
        "snapshot-space",
        () => space({ networkId: "" }),
        /^error: --network-id: chain 31337 is not a network Snapshot serves/,
      ],
      [
        "snapshot-space",
        () => space({ networkId: "99999999" }),
        /^error: --network-id: expected a network id Snapshot serves/,
      ],
      ["snapshot-space", () => space({ strategies: "votes,votes" }), /^error: --strategies: expected votes, holdings/],
      ["snapshot-space", () => space({ admins: "0xnope" }), /^error: --admins: expected a 0x-prefixed 20-byte address/],
      ["snapshot-propose", () => propose({ hub: "ftp://x" }), /^error: --hub: expected an http\(s\) URL/],
      ["snapshot-propose", () => propose({ space: "Not A Space" }), /^error: --space: expected a Snapshot space id/],
      ["snapshot-propose", () => propose({ title: "" }), /^error: --title: expected 1 to 256 characters, got 0$/],
      ["snapshot-propose", () => propose({ choices: "Only" }), /^error: --choices: expected at least two/],
      ["snapshot-propose", () => propose({ duration: "0" }), /^error: --duration: expected at least 1 second, got 0$/],
      [
        "snapshot-propose",
        () => propose({ snapshot: "999999999" }),
        /^error: --snapshot: expected at most \d+, got 999999999$/,
      ],
      [
        "snapshot-propose",
        () => propose({ space: "unknown.eth" }),
        /^error: --hub: Snapshot endpoint refused the message: unknown space$/,
      ],
      ["snapshot-vote", () => vote({ proposal: "0x12" }), /^error: --proposal: expected a Snapshot proposal id/],
      ["snapshot-vote", () => vote({ choice: "0" }), /^error: --choice: expected a choice number from 1, got 0$/],
      ["snapshot-vote", () => vote({}), /^error: --hub: Snapshot endpoint refused the message: unknown proposal$/],
      [
        "snapshot-scores",
        () => scores({ voters: "" }),
        /^error: --voters: expected comma-separated addresses \(or --hub and --proposal\)$/,
      ],
      [
        "snapshot-scores",
        () => scores({ block: "1" }),
        /^error: --multicall: expected a Multicall deployed at or before block 1/,
      ],
      [
        "snapshot-scores",
        () => scores({ multicall: accounts[5] }),
        /^error: --multicall: expected a Multicall deployed/,
      ],
      [
        "snapshot-scores",
        () => scores({ proposal: "0x12", hub: hub.url }),
        /^error: --proposal: expected a Snapshot proposal id/,
      ],
      [
        "snapshot-scores",
        () => scores({ proposal: `0x${"ab".repeat(32)}` }),
        /^error: --hub: expected the URL of the ws snapshot-hub holding --proposal$/,
      ],
      [
        "snapshot-scores",
        () => scores({ proposal: `0x${"ab".repeat(32)}`, hub: hub.url }),
        /^error: --hub: Snapshot endpoint refused the message: unknown proposal$/,
      ],
      [
        "snapshot-hub",
        () => ({ space: SPACE, port: "", modelId: "99" }),
        /^error: --model-id: expected an existing model id/,
      ],
      ["tally", () => ({ modelId: "0" }), /^error: --model-id: expected an existing model id/],
      ["tally-api", () => ({ modelId, apiUrl: "api.tally.xyz" }), /^error: --api-url: expected an http\(s\) URL/],
    ];
    for (const [task, args, message] of cases) {
      it(`${task} refuses: ${message.source.slice(8, 60)}`, async function () {
        const { ethers } = await hre.network.getOrCreate();
        const block = await ethers.provider.getBlockNumber();
        const logged = hub.log.filter((l) => "id" in l.answer).length;
        const result = await run(task, args());
        expect(result.exitCode, result.stdout).to.equal(1);
        expect(result.stdout).to.equal("");
        expect(result.stderr.split("\n")).to.have.length(1);
        expect(result.stderr).to.match(message);
        expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing sent");
        expect(hub.log.filter((l) => "id" in l.answer).length).to.equal(logged, "nothing accepted by the hub");
      });
    }
  });
});
