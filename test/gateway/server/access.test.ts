/**
 * Access is the chain's answer at the current block, re-checked for every chunk a download sends: a licence that
 * expires (time travel while a slow consumer holds the stream) or is transferred away cuts the stream before its
 * end, the next request is refused with 403, and the cache never answers from an older block. A chain that cannot be
 * read is a 503, not a download.
 */
import { randomBytes } from "node:crypto";

import { downloadFile, HubApiError } from "@huggingface/hub";
import { expect } from "chai";
import { BrowserProvider } from "ethers";
import hre from "hardhat";

import { gatewayContext } from "../../../gateway/server/app.js";
import { offerTerms, timelockSigner } from "../../helpers/fixtures.js";
import { gatewayWorld, headPollPassed, problemOf, signIn, type GatewayWorld } from "./fixture.js";

const connection = await hre.network.create();
const BIG = 24 * 1024 * 1024; // well beyond what loopback socket buffers hold

/** Reads `response` until at least `bytes` have arrived; returns the reader and the count. */
async function readAtLeast(response: Response, bytes: number) {
  const reader = response.body!.getReader();
  let received = 0;
  while (received < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
  }
  return { reader, received };
}

/** Reads the rest; returns how many bytes arrived and whether the stream ended in an error. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<{ received: number; failed: boolean }> {
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { received, failed: false };
      received += value.length;
    }
  } catch {
    return { received, failed: true };
  }
}

describe("gateway/server: access on chain, mid-stream included", function () {
  this.timeout(180_000);
  let world: GatewayWorld;
  let url: string;

  before(async function () {
    world = await gatewayWorld(connection, {
      extraFiles: new Map([["big.bin", randomBytes(BIG)]]),
      chunkSize: 256 * 1024,
    });
    url = `${world.url}/weightshare/${world.modelId}/resolve/main/big.bin`;
  });
  after(async function () {
    await world?.close();
  });

  it("serves a licensee in full, checking access per chunk with cache hits within a block", async function () {
    const token = await signIn(world, world.licensee);
    const metrics = gatewayContext(world.app).metrics;
    const before = (await metrics.accessCache.get()).values;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).to.equal(200);
    const got = Buffer.from(await response.arrayBuffer());
    expect(got.equals(world.files.get("big.bin")!)).to.equal(true);
    const after = (await metrics.accessCache.get()).values;
    const hits = (v: typeof before) => v.find((x) => x.labels.result === "hit")?.value ?? 0;
    expect(hits(after) - hits(before)).to.be.at.least(BIG / (256 * 1024) - 1, "one cached check per chunk");
  });

  it("cuts a download when the licence expires mid-stream, then answers 403", async function () {
    const token = await signIn(world, world.licensee);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).to.equal(200);
    const first = await readAtLeast(response, 1024 * 1024);
    await world.networkHelpers.time.increase(2 * 86400); // the 1-day licence expires; a block is mined
    await headPollPassed();
    const rest = await drain(first.reader);
    expect(rest.failed, "the stream ends in an error, not a clean end").to.equal(true);
    expect(first.received + rest.received).to.be.below(BIG);
    const cut = (await gatewayContext(world.app).metrics.streamsCut.get()).values;
    expect(cut.find((v) => v.labels.reason === "access-lost")?.value).to.be.at.least(1);
    const again = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(again.headers.get("x-error-code")).to.equal("GatedRepo");
    await problemOf(again, 403);
  });

  it("cuts a download when a transferable licence is transferred away mid-stream", async function () {
    const [holder, receiver] = [world.protocol.signers[7], world.protocol.signers[8]];
    const timelock = await timelockSigner(world, world.protocol.model.timelock);
    await (
      await world.protocol.licenses
        .connect(timelock)
        .addOffer(world.modelId, offerTerms({ transferable: true, duration: 30n * 86400n }))
    ).wait();
    const price = offerTerms().price;
    const offerId = await world.protocol.licenses.offerCount(world.modelId);
    await (
      await world.protocol.licenses
        .connect(holder)
        .purchase(world.modelId, offerId, holder.address, price, { value: price })
    ).wait();
    const licenceId = await world.protocol.licenses.primaryLicence(world.modelId, holder.address);
    const token = await signIn(world, holder);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).to.equal(200);
    const first = await readAtLeast(response, 1024 * 1024);
    await (
      await world.protocol.licenses.connect(holder).transferFrom(holder.address, receiver.address, licenceId)
    ).wait();
    await headPollPassed();
    const rest = await drain(first.reader);
    expect(rest.failed).to.equal(true);
    expect(first.received + rest.received).to.be.below(BIG);
    await problemOf(await fetch(url, { headers: { Authorization: `Bearer ${token}` } }), 403);
    // The receiver now has access.
    const receiverToken = await signIn(world, receiver);
    const ranged = await fetch(url, { headers: { Authorization: `Bearer ${receiverToken}`, Range: "bytes=0-9" } });
    expect(ranged.status).to.equal(206);
  });

  it("answers 503 problem+json when the chain cannot be read", async function () {
    const ctx = gatewayContext(world.app);
    const provider = ctx.provider as BrowserProvider;
    const send = provider.send.bind(provider);
    const token = await signIn(world, world.protocol.labA); // a fraction holder has access
    provider.send = async () => {
      throw new Error("connection refused");
    };
    try {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.headers.get("retry-after")).to.equal("5");
      const body = await problemOf(response, 503);
      expect(body.detail).to.contain("cannot read the chain");
      expect(JSON.stringify(body)).to.not.contain("connection refused");
    } finally {
      provider.send = send;
    }
  });

  it("cuts the real Hugging Face client's streamed download when the licence expires, then it gets 403", async function () {
    const buyer = world.protocol.signers[10];
    await headPollPassed(); // the 503 test above left a failed head read behind
    await world.buy(buyer); // offer 1: a one-day licence
    const token = await signIn(world, buyer);
    const blob = await downloadFile({
      repo: `weightshare/${world.modelId}`,
      path: "big.bin",
      hubUrl: world.url,
      accessToken: token,
    });
    expect(blob!.size).to.equal(BIG); // @huggingface/hub streams files of 1 MB or more lazily, by range
    const reader = blob!.stream().getReader();
    let received = 0;
    while (received < 1024 * 1024) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    await world.networkHelpers.time.increase(2 * 86400); // the licence expires; a block is mined
    await headPollPassed();
    const rest = await drain(reader);
    expect(rest.failed, "the client's stream ends in an error").to.equal(true);
    expect(received + rest.received).to.be.below(BIG);
    const again = await blob!
      .slice(0, 10)
      .arrayBuffer()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(again).to.be.instanceOf(HubApiError);
    expect((again as HubApiError).statusCode).to.equal(403);
  });
});
