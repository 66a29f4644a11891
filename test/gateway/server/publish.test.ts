/**
 * Publishing through the gateway (`POST /api/models/weightshare/<id>/versions`), hostile first: no token 401, an
 * account that is neither the creator nor a holder with enough votes 403 (before its body is read), traversal and
 * other bad paths 400 naming the path, an oversized upload 413; then a holder's good upload is recorded in the
 * catalogue as the next version while revision `main` keeps serving the version adopted on chain, until the chain
 * adopts the new one. The app's origin may post it (CORS).
 */
import { expect } from "chai";
import hre from "hardhat";

import { openCatalogue } from "../../../gateway/catalogue.js";
import { ConfigError, loadConfig } from "../../../gateway/server/config.js";
import { timelockSigner } from "../../helpers/fixtures.js";
import { gatewayWorld, headPollPassed, problemOf, signIn, type GatewayWorld } from "./fixture.js";

const connection = await hre.network.create();

const MAX_BYTES = 64 * 1024;
const APP_ORIGIN = "http://app.test:5173";

function filesBody(files: [string, Buffer | string][]): string {
  return JSON.stringify({
    files: files.map(([path, bytes]) => ({ path, base64: Buffer.from(bytes).toString("base64") })),
  });
}

describe("gateway/server: publishing a version", function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let holderToken: string;
  let versionsUrl: string;

  const post = (body: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(versionsUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body,
    });

  const mainCommit = async (token: string, revision = "main") => {
    const response = await fetch(`${world.url}/api/models/weightshare/${world.modelId}/revision/${revision}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).to.equal(200);
    return ((await response.json()) as { sha: string }).sha;
  };

  before(async function () {
    world = await gatewayWorld(connection, { gateway: { maxPublishBytes: MAX_BYTES, corsOrigins: [APP_ORIGIN] } });
    holderToken = await signIn(world, world.protocol.labA);
    versionsUrl = `${world.url}/api/models/weightshare/${world.modelId}/versions`;
  });
  after(async function () {
    await world?.close();
  });

  it("refuses a request without a bearer token (401)", async function () {
    const body = await problemOf(await post(filesBody([["README.md", "# x\n"]])), 401);
    expect(String(body.detail)).to.match(/sign in/i);
  });

  it("refuses an account that neither created the model nor holds votes (403, saying why)", async function () {
    const token = await signIn(world, world.outsider);
    const body = await problemOf(await post(filesBody([["README.md", "# x\n"]]), token), 403);
    expect(String(body.detail))
      .to.include(world.outsider.address)
      .and.to.match(/has 0 votes; .*needs 1/);
    // Refused before the body is read: a stranger's oversized upload is a 403 too, not a 413.
    const big = await post(filesBody([["w.bin", Buffer.alloc(2 * MAX_BYTES)]]), token);
    await problemOf(big, 403);
  });

  it("refuses traversal, absolute, backslash, NUL, dotfile, duplicate and file-and-folder paths (400 naming the path)", async function () {
    const cases: [string, [string, string][]][] = [
      ["../evil", [["../evil", "x"]]],
      ["a/../../evil", [["a/../../evil", "x"]]],
      ["/etc/passwd", [["/etc/passwd", "x"]]],
      ["a\\b", [["a\\b", "x"]]],
      ["a\u0000b", [["a\u0000b", "x"]]],
      [".env", [[".env", "x"]]],
      [
        "README.md",
        [
          ["README.md", "x"],
          ["README.md", "y"],
        ],
      ],
      [
        "dir",
        [
          ["dir", "x"],
          ["dir/file", "y"],
        ],
      ],
    ];
    for (const [path, files] of cases) {
      const body = await problemOf(await post(filesBody(files), holderToken), 400);
      expect(body.path, JSON.stringify(body)).to.equal(path);
      expect(String(body.detail)).to.include(JSON.stringify(path).slice(1, -1).slice(0, 4));
    }
    await problemOf(await post(JSON.stringify({ files: [{ path: "x", base64: "not base64!" }] }), holderToken), 400);
    await problemOf(await post(JSON.stringify({ nope: 1 }), holderToken), 400);
    expect(await openCatalogue(world.dataDir).versions(world.chainId, world.modelId)).to.have.length(1);
  });

  it("refuses more bytes of files than the limit (413), by length or once decoded", async function () {
    const declared = await problemOf(
      await post(filesBody([["w.bin", Buffer.alloc(2 * 1024 * 1024)]]), holderToken),
      413,
    );
    expect(String(declared.detail)).to.include(String(MAX_BYTES));
    const decoded = await problemOf(await post(filesBody([["w.bin", Buffer.alloc(MAX_BYTES + 1)]]), holderToken), 413);
    expect(decoded.maxBytes).to.equal(MAX_BYTES);
    expect(await openCatalogue(world.dataDir).versions(world.chainId, world.modelId)).to.have.length(1);
  });

  it("publishes a holder's upload as the next version; main serves the adopted one until the chain adopts it", async function () {
    const preflight = await fetch(versionsUrl, {
      method: "OPTIONS",
      headers: {
        Origin: APP_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-methods")).to.include("POST");

    const response = await post(
      filesBody([
        ["README.md", "---\nlicense: other\n---\n# Vision-7B v2\n\nRetrained.\n"],
        ["weights/model.safetensors", Buffer.alloc(1000, 7)],
      ]),
      holderToken,
      { Origin: APP_ORIGIN },
    );
    const text = await response.text();
    expect(response.status, text).to.equal(201);
    expect(response.headers.get("access-control-allow-origin")).to.equal(APP_ORIGIN);
    const published = JSON.parse(text) as { version: number; metadataURI: string; contentHash: string; commit: string };
    expect(published.version).to.equal(2);
    expect(published.metadataURI).to.match(/^ipfs:\/\//);
    expect(published.contentHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(published.commit).to.match(/^[0-9a-f]{40}$/);

    const versions = await openCatalogue(world.dataDir).versions(world.chainId, world.modelId);
    expect(versions.map((v) => v.version)).to.deep.equal([1, 2]);
    expect(versions[1].metadataURI).to.equal(published.metadataURI);
    expect(versions[1].contentHash).to.equal(published.contentHash);

    const licenseeToken = await signIn(world, world.licensee);
    expect(await mainCommit(licenseeToken)).to.equal(world.published.commit);
    expect(await mainCommit(licenseeToken, "v2")).to.equal(published.commit);

    const timelock = await timelockSigner(connection, world.protocol.model.timelock);
    await (await world.protocol.shares.connect(timelock).setURI(world.modelId, published.metadataURI)).wait();
    await headPollPassed();
    expect(await mainCommit(licenseeToken)).to.equal(published.commit);
  });

  it("lets the model's creator publish without votes", async function () {
    const creator = world.protocol.admin;
    expect((await world.protocol.registry.model(world.modelId)).creator).to.equal(creator.address);
    expect(await world.protocol.model.votes.getVotes(creator.address)).to.equal(0n);
    const response = await post(filesBody([["README.md", "# v3\n"]]), await signIn(world, creator));
    expect(response.status, await response.clone().text()).to.equal(201);
    expect(((await response.json()) as { version: number }).version).to.equal(3);
  });
});

describe("gateway/server/config: --max-publish-bytes", function () {
  const env = { WEIGHTSHARE_GATEWAY_KEK: "11".repeat(32), WEIGHTSHARE_GATEWAY_TOKEN_SECRET: "s".repeat(32) };

  it("defaults to 64 MiB, takes a unit from the flag or the environment, and refuses a bad size naming the setting", function () {
    expect(loadConfig([], env).maxPublishBytes).to.equal(64 * 1024 * 1024);
    expect(loadConfig(["--max-publish-bytes", "512KiB"], env).maxPublishBytes).to.equal(512 * 1024);
    expect(loadConfig([], { ...env, WEIGHTSHARE_GATEWAY_MAX_PUBLISH_BYTES: "2GiB" }).maxPublishBytes).to.equal(2 ** 31);
    for (const bad of ["12", "64 MB", "-1", "17GiB"]) {
      expect(() => loadConfig(["--max-publish-bytes", bad], env))
        .to.throw(ConfigError)
        .with.property("message")
        .that.matches(/^--max-publish-bytes \/ WEIGHTSHARE_GATEWAY_MAX_PUBLISH_BYTES: expected a size/);
    }
  });
});
