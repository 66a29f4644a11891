/**
 * Operating the gateway and key release: /healthz (200, and 503 problem+json when the store fails), /metrics in
 * Prometheus text with requests by route and status, bytes served, access checks and cache hits; the content key
 * released by ECIES to an EOA's own key decrypts ciphertext fetched from /ipfs to identical bytes; graceful shutdown
 * refuses new connections, lets a short download finish and cuts a stalled one.
 */
import { randomBytes } from "node:crypto";
import { get } from "node:http";

import { decrypt } from "eciesjs";
import { expect } from "chai";
import { Wallet } from "ethers";
import hre from "hardhat";

import { decryptFile } from "../../../gateway/encryption/chunks.js";
import { closeGateway, gatewayContext } from "../../../gateway/server/app.js";
import { offerTerms } from "../../helpers/fixtures.js";
import { nonce, postSignIn, problemOf, signIn, siweMessage, type GatewayWorld, gatewayWorld } from "./fixture.js";

const connection = await hre.network.create();

describe("gateway/server: operating it, and key release", function () {
  this.timeout(180_000);
  let world: GatewayWorld;
  let token: string;

  before(async function () {
    world = await gatewayWorld(connection, {
      extraFiles: new Map([["big.bin", randomBytes(24 * 1024 * 1024)]]),
      chunkSize: 256 * 1024,
    });
    token = await signIn(world, world.licensee);
  });
  after(async function () {
    await world?.close();
  });

  it("reports health: chain block and store, 503 problem+json when the store fails", async function () {
    const healthy = await fetch(`${world.url}/healthz`);
    expect(healthy.status).to.equal(200);
    const body = (await healthy.json()) as { status: string; checks: { chain: { block: number } } };
    expect(body.status).to.equal("ok");
    expect(body.checks.chain.block).to.equal(await world.ethers.provider.getBlockNumber());
    const store = gatewayContext(world.app).store;
    const has = store.has.bind(store);
    (store as { has: typeof has }).has = async () => {
      throw new Error("disk gone");
    };
    try {
      const sick = await problemOf(await fetch(`${world.url}/healthz`), 503);
      expect(sick.detail).to.contain("store");
    } finally {
      (store as { has: typeof has }).has = has;
    }
  });

  it("exports Prometheus metrics: requests by route and status, bytes, access checks, cache", async function () {
    const file = `${world.url}/weightshare/${world.modelId}/resolve/main/config.json`;
    await (await fetch(file, { headers: { Authorization: `Bearer ${token}` } })).arrayBuffer();
    await (await fetch(file)).arrayBuffer(); // 401
    const response = await fetch(`${world.url}/metrics`);
    expect(response.headers.get("content-type")).to.contain("text/plain");
    const text = await response.text();
    expect(text).to.match(
      /weightshare_gateway_requests_total\{route="\/:org\/:name\/resolve\/:rev\/\*",method="GET",status="200"\} [1-9]/,
    );
    expect(text).to.match(/weightshare_gateway_requests_total\{[^}]*status="401"\} [1-9]/);
    const size = world.files.get("config.json")!.length;
    expect(text).to.match(new RegExp(`weightshare_gateway_bytes_served_total\\{kind="plaintext"\\} (\\d+)`));
    const served = Number(/weightshare_gateway_bytes_served_total\{kind="plaintext"\} (\d+)/.exec(text)![1]);
    expect(served).to.be.at.least(size);
    expect(text).to.match(/weightshare_gateway_access_checks_total\{result="granted"\} [1-9]/);
    expect(text).to.match(/weightshare_gateway_access_cache_total\{result="miss"\} [1-9]/);
    expect(text).to.contain("weightshare_gateway_active_streams 0");
    expect(text).to.not.contain(token.slice(3, 30));
  });

  it("releases the content key to an EOA's own key; /ipfs ciphertext decrypts to identical files", async function () {
    const wallet = Wallet.createRandom();
    const price = offerTerms().price;
    await (
      await world.protocol.licenses
        .connect(world.licensee)
        .purchase(world.modelId, 1n, wallet.address, price, { value: price })
    ).wait();
    const message = siweMessage(world, wallet.address, await nonce(world));
    const session = (await (await postSignIn(world, message, await wallet.signMessage(message))).json()) as {
      token: string;
    };
    const response = await fetch(`${world.url}/api/models/weightshare/${world.modelId}/key`, {
      method: "POST",
      headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ revision: "v1" }),
    });
    const answer = (await response.json()) as Record<string, string>;
    expect(response.status, JSON.stringify(answer)).to.equal(200);
    expect(answer.recipient).to.equal(wallet.signingKey.publicKey);
    expect(answer.manifestCid).to.equal(world.published.manifestCid);
    expect(answer.contentHash).to.equal(world.published.contentHash);
    const key = Buffer.from(decrypt(wallet.privateKey.slice(2), Buffer.from(answer.encryptedKey.slice(2), "hex")));
    expect(key).to.have.length(32);
    for (const file of world.published.files) {
      const ciphertext = Buffer.from(await (await fetch(`${world.url}/ipfs/${file.cid}`)).arrayBuffer());
      expect(ciphertext.length).to.equal(file.ciphertextSize);
      const header = {
        fileId: Buffer.from(file.fileId, "hex"),
        size: file.size,
        chunkSize: world.published.manifest.chunkSize,
      };
      const parts: Buffer[] = [];
      const read = async (offset: number, length: number) => ciphertext.subarray(offset, offset + length);
      for await (const part of decryptFile(key, header, read)) parts.push(part);
      expect(Buffer.concat(parts).equals(world.files.get(file.path)!), file.path).to.equal(true);
    }
    const ranged = await fetch(`${world.url}/ipfs/${world.published.files[0].cid}`, {
      headers: { Range: "bytes=2-5" },
    });
    expect(ranged.status).to.equal(206);
    expect(Buffer.from(await ranged.arrayBuffer())).to.have.length(4);
    // A non-licensee gets no key.
    const outsider = await signIn(world, world.outsider);
    const refused = await fetch(`${world.url}/api/models/weightshare/${world.modelId}/key`, {
      method: "POST",
      headers: { Authorization: `Bearer ${outsider}`, "Content-Type": "application/json" },
      body: JSON.stringify({ revision: "main" }),
    });
    await problemOf(refused, 403);
  });

  it("shuts down gracefully: no new connections, short downloads finish, stalled ones are cut", async function () {
    const auth = { Authorization: `Bearer ${token}` };
    const base = `${world.url}/weightshare/${world.modelId}/resolve/main`;
    // A client that stops reading: node:http with the response paused applies TCP backpressure for certain (fetch's
    // body may keep buffering, and then a fast machine finishes the "stalled" download within the grace period).
    const stalled = await stalledDownload(`${base}/big.bin`, auth);
    const short = await fetch(`${base}/model.safetensors`, { headers: auth }); // in flight: headers received
    const closing = closeGateway(world.app, 500);
    const shortBytes = Buffer.from(await short.arrayBuffer());
    const cut = await closing;
    // The stalled stream was cut rather than waited for (no clock: mocha's timeout is what catches a hang).
    expect(cut).to.equal(1);
    expect(shortBytes.equals(world.files.get("model.safetensors")!)).to.equal(true);
    expect(await stalled.resumeToEnd(), "the stalled download ends cut short").to.equal(false);
    let refused = false;
    try {
      await fetch(`${world.url}/healthz`);
    } catch {
      refused = true;
    }
    expect(refused, "no new connections").to.equal(true);
  });
});

/**
 * GETs `url` with node:http, reads the first bytes, then pauses the response. `resumeToEnd` reads the rest and
 * resolves whether the body arrived complete (false when the connection was cut).
 */
function stalledDownload(url: string, headers: Record<string, string>) {
  return new Promise<{ resumeToEnd(): Promise<boolean> }>((resolve, reject) => {
    const request = get(url, { headers, agent: false }, (response) => {
      const expected = Number(response.headers["content-length"]);
      let received = 0;
      const ended = new Promise<boolean>((done) => {
        response.on("end", () => done(response.complete && received === expected));
        response.on("aborted", () => done(false));
        response.on("error", () => done(false));
        response.on("close", () => done(response.complete && received === expected));
      });
      response.once("data", (piece: Buffer) => {
        received += piece.length;
        response.pause();
        response.on("data", (more: Buffer) => (received += more.length));
        resolve({
          resumeToEnd: () => {
            response.resume();
            return ended;
          },
        });
      });
    });
    request.on("error", reject);
  });
}
