/**
 * The gateway client against the in-process gateway on Hardhat's simulated chain (issue #12): SIWE sign-in from an
 * ethers signer with an ephemeral key-release key, key release, and fetchModel decrypting ciphertext fetched by CID
 * to byte-identical files; a chunk tampered with in the store fails closed (no file left, the file and chunk
 * named); a key is never released to a key the sign-in did not authorise; a non-licensee is refused.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { BrowserProvider, Wallet } from "ethers";
import hre from "hardhat";

import { TAG_LENGTH } from "../../../gateway/encryption/chunks.js";
import {
  fetchModel,
  FileVerificationError,
  GatewayError,
  generateReleaseKeyPair,
  releaseKey,
  signIn,
  storeSource,
} from "../../../gateway/client/index.js";
import { CHUNK_SIZE, type GatewayWorld } from "../server/fixture.js";
import { clientWorld, contentOf, overwriteBlock } from "./world.js";

const connection = await hre.network.create();

describe("gateway/client: sign in, key release and fetch against the gateway", function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let repo: string;
  let out: string;

  before(async function () {
    world = await clientWorld(connection);
    repo = `weightshare/${world.modelId}`;
  });
  beforeEach(async function () {
    out = await mkdtemp(path.join(tmpdir(), "ws-client-fetch-"));
  });
  afterEach(async function () {
    await rm(out, { recursive: true, force: true });
  });
  after(async function () {
    await world?.close();
  });

  async function expectFiles(dir: string): Promise<void> {
    for (const [name, bytes] of world.files) expect(await readFile(path.join(dir, name)), name).to.deep.equal(bytes);
  }

  /** Signs in as `signer` with a fresh key-release key and runs fetchModel into `out`; returns the refusal. */
  async function refusedFetch(signer: GatewayWorld["licensee"]): Promise<unknown> {
    const keyPair = generateReleaseKeyPair();
    const { token } = await signIn(world.url, signer, { releasePublicKey: keyPair.publicKey });
    return fetchModel({ gatewayUrl: world.url, token, repo, outDir: out, releasePrivateKey: keyPair.privateKey }).then(
      () => expect.fail("expected a refusal"),
      (e: unknown) => e,
    );
  }

  it("signs in with an ephemeral key-release key, gets the key released and fetches identical files", async function () {
    const keyPair = generateReleaseKeyPair();
    const session = await signIn(world.url, world.licensee, { releasePublicKey: keyPair.publicKey });
    expect(session.address).to.equal(world.licensee.address);
    expect(session.releasePublicKey).to.equal(keyPair.publicKey);
    expect(session.expiresAt.getTime()).to.be.above(Date.now());
    const seen: string[] = [];
    const result = await fetchModel({
      gatewayUrl: world.url,
      token: session.token,
      repo,
      outDir: out,
      releasePrivateKey: keyPair.privateKey,
      onFile: (f) => seen.push(`${f.path} ${f.size}`),
    });
    expect(result).to.include({ repo, modelId: String(world.modelId), version: 1, commit: world.published.commit });
    expect(result).to.include({ manifestCid: world.published.manifestCid, contentHash: world.published.contentHash });
    expect(seen).to.deep.equal([...world.files].map(([name, b]) => `${name} ${b.length}`).sort());
    await expectFiles(out);
    const written = (await readdir(out, { recursive: true })).map(String);
    expect(written.filter((f) => f.includes(".partial"))).to.deep.equal([]);
  });

  it("fetches the same bytes by revision v1 and by commit, reading ciphertext from the store itself", async function () {
    const keyPair = generateReleaseKeyPair();
    const { token } = await signIn(world.url, world.licensee, { releasePublicKey: keyPair.publicKey });
    const byCommit = await fetchModel({
      gatewayUrl: world.url,
      token,
      repo,
      revision: world.published.commit,
      outDir: out,
      releasePrivateKey: keyPair.privateKey,
      store: world.store,
    });
    expect(byCommit.source).to.equal(storeSource(world.store).description);
    await expectFiles(out);
    const released = await releaseKey({
      gatewayUrl: world.url,
      token,
      repo,
      revision: "v1",
      releasePrivateKey: keyPair.privateKey,
    });
    expect(released).to.include({ version: 1, commit: world.published.commit, recipient: keyPair.publicKey });
    expect(released.contentKey).to.have.length(32);
  });

  it("releases to an EOA's own key, recovered from its signature, when the message names none", async function () {
    const wallet = Wallet.createRandom().connect(new BrowserProvider(world.eip1193));
    await (await world.licensee.sendTransaction({ to: wallet.address, value: 10n ** 18n })).wait();
    await world.buy(wallet as unknown as typeof world.licensee);
    const { token } = await signIn(world.url, wallet);
    await fetchModel({ gatewayUrl: world.url, token, repo, outDir: out, releasePrivateKey: wallet.privateKey });
    await expectFiles(out);
  });

  it("fails closed on a chunk tampered with in the store: no file left, the file and chunk named", async function () {
    const weights = world.published.files.find((f) => f.path === "model.safetensors")!;
    const tampered = await contentOf(world.store, weights.cid);
    tampered[2 * (CHUNK_SIZE + TAG_LENGTH) + 9] ^= 0x01; // a byte of chunk 2
    const restore = await overwriteBlock(world, weights.cid, tampered);
    try {
      const error = (await refusedFetch(world.licensee)) as FileVerificationError;
      expect(error).to.be.instanceOf(FileVerificationError);
      expect(error).to.include({ file: "model.safetensors", chunk: 2 });
      expect(error.message).to.match(
        /^model\.safetensors: chunk 2 failed authentication: .*; nothing was written for it$/,
      );
      const left = (await readdir(out, { recursive: true })).map(String);
      expect(left).to.not.include("model.safetensors");
      expect(left.filter((f) => f.includes("model.safetensors"))).to.deep.equal([]);
    } finally {
      await restore();
    }
  });

  it("never releases a key to a key the sign-in did not authorise", async function () {
    const authorised = generateReleaseKeyPair();
    const other = generateReleaseKeyPair();
    const { token } = await signIn(world.url, world.licensee, { releasePublicKey: authorised.publicKey });
    const error = await releaseKey({ gatewayUrl: world.url, token, repo, releasePrivateKey: other.privateKey }).then(
      () => expect.fail("expected a refusal"),
      (e: unknown) => e as GatewayError,
    );
    expect(error).to.be.instanceOf(GatewayError);
    expect(error.status).to.be.oneOf([400, 403]);
    expect(error.detail).to.match(/key/i);
    // The EOA's own key is not authorised either once the message named another one.
    const wallet = Wallet.createRandom();
    const stolen = await releaseKey({ gatewayUrl: world.url, token, repo, releasePrivateKey: wallet.privateKey }).then(
      () => "released",
      (e: GatewayError) => e.status,
    );
    expect(stolen).to.be.oneOf([400, 403]);
    const offCurve = await signIn(world.url, world.licensee, { releasePublicKey: "0x04" + "11".repeat(64) }).then(
      () => "signed in",
      (e: Error) => e.message,
    );
    expect(offCurve).to.match(/not a point on secp256k1/);
  });

  it("refuses a non-licensee with 403 and writes nothing", async function () {
    const error = (await refusedFetch(world.outsider)) as GatewayError;
    expect(error).to.be.instanceOf(GatewayError);
    expect(error.status).to.equal(403);
    expect(error.title).to.equal("Licence required");
    expect(error.detail).to.include(`ws buy --model-id ${world.modelId}`);
    expect(await readdir(out)).to.deep.equal([]);
  });

  it("refuses to sign for a gateway that announces another domain than its URL's host", async function () {
    const other = world.url.replace("127.0.0.1", "localhost");
    const error = await signIn(other, world.licensee).then(
      () => expect.fail("expected a refusal"),
      (e: unknown) => e as GatewayError,
    );
    expect(error).to.be.instanceOf(GatewayError);
    expect(error.message).to.match(/signs in users of "127\.0\.0\.1:\d+", but it was reached at "localhost:\d+"/);
  });
});
