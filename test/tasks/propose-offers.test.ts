/**
 * `ws propose` on licence offers and documents: ERC-20 offers with every flag, priced and re-priced in the token's
 * units, withdrawn and put on sale again; honest content hashes (a document fetched over http, read from a file://
 * URI, a hash that does not match); offers in a token the model does not accept and bad offer terms; derivative
 * licences' terms (the parent's share and the derivative's price floor), only with --derivatives. Each refusal is one
 * exact line on stderr, exit 1, nothing mined. Treasury, settings and duplicates are in propose.test.ts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import { runTask } from "./helpers.js";
import { proposeFixture, type ProposeFixture } from "./propose-setup.js";

describe("tasks: ws propose (offers and documents)", function () {
  let deployment: string;
  let dir: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  let usdc: string;
  let other: string;
  let ok: ProposeFixture["ok"];
  let propose: ProposeFixture["propose"];
  let pass: ProposeFixture["pass"];
  let refused: ProposeFixture["refused"];
  let server: Server;
  let base: string;
  const served = "Licence terms served over http\n";

  before(async function () {
    ({ deployment, dir, accounts, addresses, usdc, other, ok, propose, pass, refused } = await proposeFixture());
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
    expect(lines[0]).to.match(
      /^proposed allow-token on model #1: proposal 0x[0-9a-f]{4}…[0-9a-f]{4} \(ws proposal shows the full id\)$/,
    );
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

  it("derivative terms: refused without --derivatives or above the 50% cap, else encoded into the proposal", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const terms = { termsUri: "ipfs://t", termsHash: `0x${"cd".repeat(32)}` };
    await refused(
      { action: "add-offer", price: "0.1", parentShareBps: "1000", ...terms },
      "--parent-share-bps: expected only with --derivatives, got 1000",
    );
    await refused(
      { action: "add-offer", price: "0.1", minDerivativePrice: "0.05", ...terms },
      "--min-derivative-price: expected only with --derivatives, got 0.05",
    );
    await refused(
      { action: "add-offer", price: "0.1", derivatives: true, parentShareBps: "5001", ...terms },
      "--parent-share-bps: expected at most 5000, got 5001",
    );
    await refused(
      { action: "add-offer", price: "0.1", derivatives: true, parentShareBps: "10%", ...terms },
      '--parent-share-bps: expected a whole number, got "10%"',
    );
    await refused(
      { action: "add-offer", token: usdc, price: "12.5", derivatives: true, minDerivativePrice: "0.0000001", ...terms },
      '--min-derivative-price: expected an amount of USDC with at most 6 decimals, such as 12.5, got "0.0000001"',
    );

    const text = await runTask(hre, "propose", {
      deployment,
      signer: "1",
      modelId: "1",
      action: "add-offer",
      price: "0.1",
      derivatives: true,
      parentShareBps: "1500",
      minDerivativePrice: "0.05",
      description: "a derivative licence, in text",
      ...terms,
    });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout.split("\n")[1]).to.match(
      /derivatives allowed \(parent takes 15% of a derivative's revenue; a derivative's licences cost at least 0\.05 ETH\)/,
    );
    const licenses = await ethers.getContractAt("LicenseManager", addresses.licenses);
    const before = await licenses.offerCount(1n);
    await pass({
      action: "add-offer",
      price: "0.1",
      derivatives: true,
      parentShareBps: "5000",
      minDerivativePrice: "0.05",
      ...terms,
    });
    const t = await licenses.terms((await licenses.offer(1n, before + 1n))[0]);
    expect([t.derivativesAllowed, t.parentShareBps, t.minDerivativePrice]).to.deep.equal([
      true,
      5000n,
      ethers.parseEther("0.05"),
    ]);
    // --derivatives alone: derivatives allowed, no share and no floor.
    await pass({ action: "add-offer", price: "0.1", derivatives: true, ...terms });
    const plain = await licenses.terms((await licenses.offer(1n, before + 2n))[0]);
    expect([plain.derivativesAllowed, plain.parentShareBps, plain.minDerivativePrice]).to.deep.equal([true, 0n, 0n]);
  });
});
