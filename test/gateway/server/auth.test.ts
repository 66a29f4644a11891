/**
 * Sign-in with Ethereum at the gateway: a valid EIP-4361 message gives an `hf_`-prefixed bearer token bound to the
 * address, chain and domain; forged signatures, replayed nonces, another domain or chain, expired or future messages
 * are refused with 401 problem+json; tokens from another secret, domain or chain, expired, garbage or missing are
 * refused; a Safe (ERC-1271) signs in and, with the key-release key it signed for, receives the content key.
 */
import { randomBytes } from "node:crypto";

import { expect } from "chai";
import { hashMessage, Wallet } from "ethers";
import hre from "hardhat";

import { generateReleaseKeyPair, keyReleaseResource, openReleasedKey } from "../../../gateway/encryption/release.js";
import { issueToken } from "../../../gateway/server/auth/tokens.js";
import { offerTerms } from "../../helpers/fixtures.js";
import { deploySafe } from "../../helpers/safe.js";
import { DOMAIN, gatewayWorld, nonce, postSignIn, problemOf, siweMessage, type GatewayWorld } from "./fixture.js";

const connection = await hre.network.create();

describe("gateway/server: sign-in and tokens", function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let repoUrl: string;

  before(async function () {
    world = await gatewayWorld(connection);
    repoUrl = `${world.url}/api/models/weightshare/${world.modelId}`;
  });
  after(async function () {
    await world?.close();
  });

  function withToken(token: string): Promise<Response> {
    return fetch(repoUrl, { headers: { Authorization: `Bearer ${token}` } });
  }

  it("exchanges a signed EIP-4361 message for a token that opens the repo", async function () {
    const message = siweMessage(world, world.licensee.address, await nonce(world));
    const response = await postSignIn(world, message, await world.licensee.signMessage(message));
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { token: string; expiresAt: string; address: string };
    expect(body.address).to.equal(world.licensee.address);
    expect(body.token.startsWith("hf_")).to.equal(true);
    const lifetime = Date.parse(body.expiresAt) - Date.now();
    expect(lifetime).to.be.within(3500_000, 3600_000);
    expect((await withToken(body.token)).status).to.equal(200);
    // The bare JWT works too (OpenAI clients, scripts).
    expect((await withToken(body.token.slice(3))).status).to.equal(200);
  });

  it("never issues a token outliving the message's expirationTime", async function () {
    const expirationTime = new Date(Date.now() + 120_000).toISOString();
    const message = siweMessage(world, world.licensee.address, await nonce(world), { expirationTime });
    const body = (await (await postSignIn(world, message, await world.licensee.signMessage(message))).json()) as {
      expiresAt: string;
    };
    expect(Date.parse(body.expiresAt)).to.be.at.most(Date.parse(expirationTime));
  });

  it("refuses a forged signature (another key signed the licensee's message)", async function () {
    const message = siweMessage(world, world.licensee.address, await nonce(world));
    const body = await problemOf(await postSignIn(world, message, await world.outsider.signMessage(message)), 401);
    expect(body.detail).to.contain("signature is not").and.contain(world.licensee.address);
  });

  it("refuses a replayed sign-in: the nonce is single-use", async function () {
    const message = siweMessage(world, world.licensee.address, await nonce(world));
    const signature = await world.licensee.signMessage(message);
    expect((await postSignIn(world, message, signature)).status).to.equal(200);
    const body = await problemOf(await postSignIn(world, message, signature), 401);
    expect(body.detail).to.contain("nonce");
  });

  it("refuses a nonce the gateway never issued", async function () {
    const message = siweMessage(world, world.licensee.address, "abcdefgh12345678");
    await problemOf(await postSignIn(world, message, await world.licensee.signMessage(message)), 401);
  });

  it("refuses a message for another domain or another chain", async function () {
    const foreign = siweMessage(world, world.licensee.address, await nonce(world), { domain: "evil.example" });
    const a = await problemOf(await postSignIn(world, foreign, await world.licensee.signMessage(foreign)), 401);
    expect(a.detail).to.contain("evil.example").and.contain(DOMAIN);
    const chain = siweMessage(world, world.licensee.address, await nonce(world), { chainId: 1 });
    const b = await problemOf(await postSignIn(world, chain, await world.licensee.signMessage(chain)), 401);
    expect(b.detail).to.contain("chain 1");
    const elsewhere = siweMessage(world, world.licensee.address, await nonce(world), { uri: "https://evil.example/" });
    const c = await problemOf(await postSignIn(world, elsewhere, await world.licensee.signMessage(elsewhere)), 401);
    expect(c.detail).to.contain("evil.example").and.contain("is not on this gateway");
  });

  it("refuses an expired message, one not valid yet, and one issued in the future", async function () {
    const cases: [Record<string, string>, string][] = [
      [{ expirationTime: new Date(Date.now() - 1000).toISOString() }, "expired"],
      [{ notBefore: new Date(Date.now() + 3600_000).toISOString() }, "not valid yet"],
      [{ issuedAt: new Date(Date.now() + 3600_000).toISOString() }, "future"],
    ];
    for (const [overrides, words] of cases) {
      const message = siweMessage(world, world.licensee.address, await nonce(world), overrides);
      const body = await problemOf(await postSignIn(world, message, await world.licensee.signMessage(message)), 401);
      expect(body.detail).to.contain(words);
    }
  });

  it("refuses malformed sign-in bodies with 400", async function () {
    for (const body of [{}, { message: "hello", signature: "0x00" }, { message: 1, signature: "0x" }]) {
      const response = await fetch(`${world.url}/auth/siwe`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      await problemOf(response, 400);
    }
  });

  it("refuses tokens from another secret, domain or chain, expired, garbage or missing (401)", async function () {
    const subject = { address: world.licensee.address, chainId: world.chainId, expiresAt: Date.now() / 1000 + 600 };
    const scope = { secret: world.tokenSecret, domain: DOMAIN, chainId: world.chainId };
    const cases: [string, string][] = [
      [await issueToken({ ...scope, secret: randomBytes(32) }, subject), "another gateway"],
      [await issueToken({ ...scope, domain: "other.example" }, subject), "another gateway"],
      [await issueToken({ ...scope, chainId: 1n }, { ...subject, chainId: 1n }), "another chain"],
      [await issueToken(scope, { ...subject, expiresAt: Math.floor(Date.now() / 1000) - 10 }), "expired"],
      ["hf_not.a.jwt", "malformed"],
      ["garbage", "malformed"],
    ];
    for (const [token, words] of cases) {
      const response = await withToken(token);
      expect(response.headers.get("www-authenticate")).to.contain("invalid_token");
      const body = await problemOf(response, 401);
      expect(body.detail).to.contain(words);
      expect(JSON.stringify(body)).to.not.contain(token);
    }
    const missing = await problemOf(await fetch(repoUrl), 401);
    expect(missing.detail).to.contain("/auth/siwe");
    // A valid token for this gateway still works: the refusals above are about the tokens, not the account.
    expect((await withToken(await issueToken(scope, subject))).status).to.equal(200);
  });

  it("signs in a Safe (ERC-1271) whose owner signed, and releases keys only to the key it signed for", async function () {
    const [owner] = world.protocol.signers;
    const { address: safe } = await deploySafe(world.ethers, [owner.address], 1);
    // The licensee pays for a licence delivered to the Safe.
    const price = offerTerms().price;
    await (
      await world.protocol.licenses.connect(world.licensee).purchase(world.modelId, 1n, safe, price, { value: price })
    ).wait();
    const release = generateReleaseKeyPair();
    const message = siweMessage(world, safe, await nonce(world), {
      resources: [keyReleaseResource(release.publicKey)],
    });
    const domain = { chainId: world.chainId, verifyingContract: safe };
    const types = { SafeMessage: [{ name: "message", type: "bytes" }] };
    const signature = await owner.signTypedData(domain, types, { message: hashMessage(message) });
    const response = await postSignIn(world, message, signature);
    const session = (await response.json()) as { token: string; address: string };
    expect(response.status, JSON.stringify(session)).to.equal(200);
    expect(session.address).to.equal(safe);

    const keyUrl = `${world.url}/api/models/weightshare/${world.modelId}/key`;
    const post = (token: string, body: unknown) =>
      fetch(keyUrl, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const answer = (await (await post(session.token, { revision: "main" })).json()) as {
      encryptedKey: string;
      recipient: string;
    };
    expect(answer.recipient).to.equal(release.publicKey);
    expect(openReleasedKey(release.privateKey, answer.encryptedKey)).to.have.length(32);
    // Another key named in the request is refused, not used.
    const other = Wallet.createRandom().signingKey.publicKey;
    await problemOf(await post(session.token, { revision: "main", publicKey: other }), 400);

    // The same Safe signing in without a key-release resource has no key to release to.
    const bare = siweMessage(world, safe, await nonce(world));
    const bareSignature = await owner.signTypedData(domain, types, { message: hashMessage(bare) });
    const bareSession = (await (await postSignIn(world, bare, bareSignature)).json()) as { token: string };
    const refused = await problemOf(await post(bareSession.token, { revision: "main" }), 400);
    expect(refused.detail).to.contain("urn:weightshare:key-release:");

    // A Safe of two owners, both signing (130 bytes: not an ECDSA signature), signs in without noise on stderr.
    const [, second] = world.protocol.signers;
    const { address: pair } = await deploySafe(world.ethers, [owner.address, second.address], 2);
    const both = siweMessage(world, pair, await nonce(world));
    const pairDomain = { chainId: world.chainId, verifyingContract: pair };
    const signers = [owner, second].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
    let joined = "0x";
    for (const s of signers)
      joined += (await s.signTypedData(pairDomain, types, { message: hashMessage(both) })).slice(2);
    const errors: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const pairSession = await postSignIn(world, both, joined);
      expect(pairSession.status, await pairSession.clone().text()).to.equal(200);
    } finally {
      console.error = log;
    }
    expect(errors).to.deep.equal([]);

    // A Safe signature over another message does not sign in.
    const wrong = siweMessage(world, safe, await nonce(world));
    await problemOf(await postSignIn(world, wrong, signature), 401);
  });
});
