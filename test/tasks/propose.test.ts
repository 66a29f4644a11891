/**
 * `ws propose`: every action's checks before anything is sent (bounds, sums, balances, offers and tokens that exist,
 * honest content hashes), ERC-20 offers with every flag, amounts in the token's units, durations, and a duplicate
 * proposal refused in plain words. Each refusal is one exact line on stderr, exit 1, nothing mined.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import { shortId } from "../../tasks/lib/errors.js";
import { deployForTasks, runTask, type TaskRun } from "./helpers.js";

describe("tasks: ws propose", function () {
  let deployment: string;
  let dir: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  let treasury: string;
  let usdc: string;
  let other: string;
  let server: Server;
  let base: string;
  const served = "Licence terms served over http\n";

  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "1", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  let counter = 0;
  const propose = (action: Record<string, unknown>) =>
    run("propose", { modelId: "1", description: `proposal ${++counter}`, ...action });

  /** Proposes, votes (accounts 1 and 2), queues and executes. */
  async function pass(action: Record<string, unknown>) {
    const { networkHelpers } = await hre.network.getOrCreate();
    const p = ok(await propose(action));
    await networkHelpers.time.increaseTo(BigInt(p.snapshot) + 1n);
    ok(await run("vote", { modelId: "1", proposalId: p.proposalId, support: "for" }));
    ok(await run("vote", { modelId: "1", proposalId: p.proposalId, support: "for", signer: "2" }));
    await networkHelpers.time.increaseTo(BigInt(p.deadline) + 1n);
    const q = ok(await run("queue", { modelId: "1", proposalId: p.proposalId }));
    await networkHelpers.time.increaseTo(BigInt(q.eta));
    ok(await run("execute", { modelId: "1", proposalId: p.proposalId }));
    return p;
  }

  /** One exact line on stderr, exit 1, nothing on stdout, no block mined. */
  async function refused(action: Record<string, unknown>, message: string) {
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const r = await propose(action);
    expect([r.exitCode, r.stdout, r.stderr]).to.deep.equal([1, "", `error: ${message}`]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing mined");
  }

  before(async function () {
    ({ deployment, accounts, addresses } = await deployForTasks(hre));
    dir = path.dirname(deployment);
    writeFileSync(
      path.join(dir, "members.json"),
      JSON.stringify({
        name: "Vision-7B",
        symbol: "wsVIS",
        members: [
          { account: accounts[1], amount: 500 },
          { account: accounts[2], amount: 300 },
          { account: accounts[3], amount: 200 },
        ],
      }),
    );
    ok(await run("register", { members: path.join(dir, "members.json") }));
    treasury = ok(await run("model", { modelId: "1" })).timelock;
    const { ethers } = await hre.network.getOrCreate();
    usdc = await (await ethers.deployContract("TestToken", ["USD Coin", "USDC", 6])).getAddress();
    other = await (await ethers.deployContract("TestToken", ["Other", "OTH", 18])).getAddress();
    server = createServer((req, res) => {
      if (req.url === "/terms") res.end(served);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(function () {
    server.close();
  });

  it("allow-eth and allow-token, then an ERC-20 offer with every flag, priced and re-priced in the token's units", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const text = await runTask(hre, "propose", {
      deployment,
      json: false,
      signer: "1",
      modelId: "1",
      action: "allow-token",
      token: usdc,
      description: "Accept USDC",
    });
    expect(text.exitCode, text.stderr).to.equal(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).to.match(/^proposed allow-token on model #1: proposal 0x[0-9a-f]{4}…[0-9a-f]{4} \(id \d+\)$/);
    expect(lines[1]).to.equal(`  allow-token: accept USDC (${usdc}) as revenue of model #1`);
    expect(lines[2]).to.match(/^voting opens \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+\), closes .+Z \(\d+\)$/);
    await pass({ action: "allow-eth" });
    await pass({ action: "allow-token", token: usdc });

    const termsFile = path.join(dir, "terms.md");
    writeFileSync(termsFile, "# Terms v1\nNo training on outputs.\n");
    const p = await pass({
      action: "add-offer",
      token: usdc,
      price: "12.5",
      days: "12h",
      credits: "100",
      cap: "5",
      transferable: true,
      derivatives: true,
      commercialUse: "no",
      termsUri: "ipfs://terms-v1",
      termsFile,
    });
    expect(p.calls[0].action).to.equal("add-offer");
    const licenses = await ethers.getContractAt("LicenseManager", addresses.licenses);
    const [termsId, cap, , onSale] = await licenses.offer(1n, 1n);
    const t = await licenses.terms(termsId);
    expect([t.price, t.paymentToken, t.duration, t.credits, cap, onSale]).to.deep.equal([
      12_500_000n,
      usdc,
      43_200n,
      100n,
      5n,
      true,
    ]);
    expect([t.transferable, t.derivativesAllowed, t.commercialUse]).to.deep.equal([true, true, false]);
    expect([t.termsURI, t.termsHash]).to.deep.equal(["ipfs://terms-v1", keccak256(readFileSync(termsFile))]);

    const repriced = await pass({ action: "set-price", offerId: "1", price: "15.25" });
    expect(repriced.calls[0].action).to.equal("set-price", "decoded as the action that made it");
    expect((await licenses.terms((await licenses.offer(1n, 1n))[0])).price).to.equal(15_250_000n);
    await refused(
      { action: "put-on-sale", offerId: "1" },
      "--offer-id: offer 1 of model #1 is on sale already; pass --force to send it anyway",
    );
    expect((await pass({ action: "withdraw-offer", offerId: "1" })).calls[0].action).to.equal("withdraw-offer");
    expect((await pass({ action: "put-on-sale", offerId: "1" })).calls[0].action).to.equal("put-on-sale");
    expect((await licenses.offer(1n, 1n))[3]).to.equal(true);
    await refused(
      { action: "set-price", offerId: "1", price: "15.25" },
      "--price: offer 1 of model #1 already costs 15.25 USDC; pass --force to send it anyway",
    );
    await refused(
      { action: "set-price", offerId: "1", price: "1.0000001" },
      '--price: expected an amount of USDC with at most 6 decimals, such as 12.5, got "1.0000001"',
    );
  });

  it("hashes a terms document fetched over http, and a metadata document read from a file:// URI", async function () {
    const { ethers } = await hre.network.getOrCreate();
    await pass({ action: "add-offer", price: "0.1", days: "30", termsUri: `${base}/terms` });
    const licenses = await ethers.getContractAt("LicenseManager", addresses.licenses);
    expect((await licenses.terms((await licenses.offer(1n, 2n))[0])).termsHash).to.equal(
      keccak256(toUtf8Bytes(served)),
    );

    const metadata = path.join(dir, "metadata.json");
    writeFileSync(metadata, JSON.stringify({ name: "Vision-7B", weights: "sha256:…" }));
    const uri = pathToFileURL(metadata).href;
    const hash = keccak256(readFileSync(metadata));
    await pass({ action: "update-metadata", uri, contentHash: hash });
    const registry = await ethers.getContractAt("ModelRegistry", addresses.registry);
    expect((await registry.model(1n)).contentHash).to.equal(hash);
    // A document that cannot be read here (ipfs://): the hash given is used as is.
    const ipfs = ok(
      await propose({ action: "update-metadata", uri: "ipfs://meta-v3", contentHash: `0x${"ab".repeat(32)}` }),
    );
    expect(ipfs.calls[1].args.contentHash).to.equal(`0x${"ab".repeat(32)}`);
  });

  it("refuses a content hash that does not match the document, or no hash of a document it cannot read", async function () {
    const termsFile = path.join(dir, "terms.md");
    const wrong = `0x${"ab".repeat(32)}`;
    await refused(
      { action: "add-offer", price: "0.1", termsUri: "ipfs://t", termsFile, termsHash: wrong },
      `--terms-hash: ${wrong} is not the keccak256 of the document read from ${termsFile} (${keccak256(readFileSync(termsFile))})`,
    );
    await refused(
      { action: "add-offer", price: "0.1", termsUri: "ipfs://t" },
      "--terms-uri: cannot read ipfs://t (no ipfs:// gateway here) to hash it; give the document with --terms-file PATH, or its keccak256 with --terms-hash 0x…",
    );
    await refused(
      { action: "update-metadata", uri: `${base}/missing` },
      `--uri: cannot read ${base}/missing (the server answered 404) to hash it; give the document with --file PATH, or its keccak256 with --content-hash 0x…`,
    );
    await refused(
      { action: "update-metadata", uri: `${base}/terms`, contentHash: wrong },
      `--content-hash: ${wrong} is not the keccak256 of the document read from ${base}/terms (${keccak256(toUtf8Bytes(served))})`,
    );
    await refused(
      { action: "add-offer", price: "0.1", termsUri: "ipfs://t", termsFile: path.join(dir, "nope.md") },
      `--terms-file: expected a file, but "${path.join(dir, "nope.md")}" does not exist`,
    );
  });

  it("refuses offers in a token the model does not accept (unless --force), and bad offer terms", async function () {
    const terms = { termsUri: "ipfs://t", termsHash: `0x${"cd".repeat(32)}` };
    await refused(
      { action: "add-offer", token: other, price: "1", ...terms },
      `--token: model #1 does not accept OTH (${other}) as revenue, so buying this offer would revert until a vote allows it (ws propose --action allow-token --token ${other}); pass --force to send it anyway`,
    );
    ok(await propose({ action: "add-offer", token: other, price: "1", force: true, ...terms }));
    await refused(
      { action: "add-offer", token: accounts[9], price: "1", ...terms },
      `--token: ${accounts[9]} has no code on this chain; expected an ERC-20 token`,
    );
    await refused(
      { action: "add-offer", price: "0.1", commercialUse: "maybe", ...terms },
      '--commercial-use: expected one of yes, no, got "maybe"',
    );
    await refused(
      { action: "add-offer", price: "0.1", cap: "-1", ...terms },
      '--cap: expected a whole number, got "-1"',
    );
    await refused(
      { action: "add-offer", price: "0.1", days: "2 weeks", ...terms },
      '--days: expected a duration such as 7d, 12h, 90m or 3600s, got "2 weeks"',
    );
    await refused(
      { action: "withdraw-offer", offerId: "9" },
      "--offer-id: expected an existing offer of model #1, got 9",
    );
  });

  it("spends in the asset's units, and warns when the treasury holds less than it sends", async function () {
    const { ethers } = await hre.network.getOrCreate();
    await refused(
      { action: "spend-eth", to: accounts[5], amount: "1.5" },
      `--amount: the treasury ${treasury} holds 0 ETH and this proposal sends 1.5 ETH (ws release-treasury --model-id 1 pays the treasury its cut from the vault: 0 ETH now); pass --force to send it anyway`,
    );
    await refused(
      { action: "spend-erc20", token: usdc, to: accounts[5], amount: "2.5" },
      `--amount: the treasury ${treasury} holds 0 USDC and this proposal sends 2.5 USDC (ws release-treasury --model-id 1 pays the treasury its cut from the vault: 0 USDC now); pass --force to send it anyway`,
    );
    await refused(
      { action: "spend-fractions", to: accounts[5], amount: "3" },
      `--amount: the treasury ${treasury} holds 0 fractions of model #1 and this proposal sends 3; pass --force to send it anyway`,
    );
    const token = await ethers.getContractAt("TestToken", usdc);
    await (await token.mint(treasury, 5_000_000n)).wait();
    await pass({ action: "spend-erc20", token: usdc, to: accounts[5], amount: "2.5" });
    expect(await token.balanceOf(accounts[5])).to.equal(2_500_000n);
    await refused(
      { action: "spend-erc20", token: usdc, to: accounts[5], amount: "1.1234567" },
      '--amount: expected an amount of USDC with at most 6 decimals, such as 12.5, got "1.1234567"',
    );
  });

  it("change-setting: durations for time settings, GovernanceBounds and the threshold rule checked first", async function () {
    const { ethers } = await hre.network.getOrCreate();
    await pass({ action: "change-setting", setting: "votingPeriod", amount: "2d" });
    const governor = await ethers.getContractAt("ModelGovernor", ok(await run("model", { modelId: "1" })).governor);
    expect(await governor.votingPeriod()).to.equal(172_800n);
    await refused(
      { action: "change-setting", setting: "votingPeriod", amount: "30m" },
      "--amount: votingPeriod must be from 1 hour to 90 days, got 30 minutes (1800 s)",
    );
    await refused(
      { action: "change-setting", setting: "votingDelay", amount: "31d" },
      "--amount: votingDelay must be at most 30 days, got 31 days (2678400 s)",
    );
    await refused(
      { action: "change-setting", setting: "timelockDelay", amount: "0s" },
      "--amount: timelockDelay must be from 1 hour to 30 days, got 0 s",
    );
    await refused(
      { action: "change-setting", setting: "votingDelay", amount: "2" },
      '--amount: expected a duration with its unit for votingDelay, such as 2d, 12h or 3600s, got "2"',
    );
    await refused(
      { action: "change-setting", setting: "quorumNumerator", amount: "0" },
      "--amount: quorumNumerator must be from 1 to 100 (percent of the votable supply), got 0",
    );
    await refused(
      { action: "change-setting", setting: "proposalThreshold", amount: "1001" },
      "--amount: proposalThreshold must be at most the votable supply of model #1 (1000 votes), got 1001",
    );
  });

  it("refuses bad splits, contributors and payment tokens in plain words", async function () {
    await refused(
      { action: "set-split", contributorsBps: "6000", holdersBps: "4001" },
      "--holders-bps: contributors + holders must not exceed 10,000 bps, got 6000 + 4001",
    );
    await refused(
      { action: "set-contributors", contributors: `${accounts[4]}:3,${accounts[5]}:1,${accounts[4]}:2` },
      `--contributors: ${accounts[4]} appears twice (entries 1 and 3); give each contributor once`,
    );
    await refused(
      { action: "set-contributors", contributors: `${accounts[4]}:3,${accounts[5]}:0` },
      `--contributors: entry 2 (${accounts[5]}) has 0 shares; expected at least 1`,
    );
    await refused(
      { action: "set-contributors", contributors: accounts[4] },
      `--contributors: entry 1 ("${accounts[4]}") is not ADDRESS:SHARES`,
    );
    await refused(
      { action: "allow-token", token: usdc },
      `--token: model #1 already accepts USDC (${usdc}) as revenue, so this proposal would change nothing; pass --force to send it anyway`,
    );
    await refused({ action: "allow-token" }, "--token: expected the ERC-20's address");
    await refused(
      { action: "remove-token", token: accounts[9] },
      `--token: ${accounts[9]} has no code on this chain; expected an ERC-20 token`,
    );
    await refused(
      { action: "recover-token", token: accounts[9] },
      `--token: ${accounts[9]} has no code on this chain; expected an ERC-20 token`,
    );
    const receiver = await (
      await (await hre.network.getOrCreate()).ethers.getContractAt("RevenueVault", addresses.vault)
    ).royaltyReceiverOf(1n);
    await refused(
      { action: "recover-token", token: other },
      `--token: the royalty receiver of model #1 (${receiver}) holds no OTH (${other}), so the recovery would fail unless some arrives first; pass --force to send it anyway`,
    );
  });

  it("warns when a call would be refused if executed now, and refuses a duplicate proposal in plain words", async function () {
    const huge = (2n ** 208n).toString();
    await refused(
      { action: "issue-fractions", to: accounts[5], amount: huge },
      `--action: executed now, call 1 (issue-fractions: issue ${huge} fractions of model #1 to ${accounts[5]}) would be refused: model #1 would have ${2n ** 208n + 1000n} fractions; at most ${2n ** 208n - 1n} [ModelSharesSupplyOverflow(1, ${2n ** 208n + 1000n}, ${2n ** 208n - 1n})]; pass --force to send it anyway`,
    );
    const action = { action: "set-operator", to: accounts[7], description: "Operator: gateway A" };
    const first = ok(await run("propose", { modelId: "1", ...action }));
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const again = await run("propose", { modelId: "1", ...action });
    expect([again.exitCode, again.stderr]).to.deep.equal([
      1,
      `error: --description: refused by the contract: this exact proposal already exists (${shortId(first.proposalId)}, Pending); change its description to propose it again [GovernorUnexpectedProposalState(${first.proposalId}, 0, 0x${"0".repeat(64)})]`,
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing mined");
    const noVotes = await run("propose", { modelId: "1", ...action, signer: "0" });
    expect(noVotes.stderr).to.equal(`error: --signer: ${accounts[0]} has 0 votes; proposing needs 10`);
  });
});
