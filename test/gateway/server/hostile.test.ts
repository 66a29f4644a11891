/**
 * Hostile inputs, sent raw over a socket (fetch would normalise them): path traversal in every encoding, NUL and
 * backslashes, malformed percent-encoding, bad ranges, oversized headers, missing or garbage tokens, bad or oversized
 * JSON, unknown routes, and rate limiting. Each answer is asserted for its status, its problem+json body, and that
 * no plaintext of the model left the gateway.
 */
import { connect } from "node:net";

import { expect } from "chai";
import hre from "hardhat";

import { buildGateway, gatewayContext } from "../../../gateway/server/app.js";
import { gatewayWorld, signIn, type GatewayWorld } from "./fixture.js";

const connection = await hre.network.create();

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends `head` (request line and headers, CRLF-separated, without the final blank line) and `body` raw. */
function raw(world: GatewayWorld, head: string, body = ""): Promise<RawResponse> {
  const port = (world.app.server.address() as { port: number }).port;
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const parts: Buffer[] = [];
    socket.on("data", (d) => parts.push(d));
    socket.on("error", reject);
    socket.on("end", () => {
      const all = Buffer.concat(parts);
      const split = all.indexOf("\r\n\r\n");
      const lines = all.subarray(0, split).toString("latin1").split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const at = line.indexOf(":");
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(lines[0].split(" ")[1]), headers, body: all.subarray(split + 4) });
    });
    const length = body === "" ? "" : `\r\nContent-Length: ${Buffer.byteLength(body)}`;
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close${length}\r\n\r\n${body}`);
  });
}

describe("gateway/server: hostile inputs", function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let token: string;
  let base: string;

  before(async function () {
    world = await gatewayWorld(connection);
    token = await signIn(world, world.licensee);
    base = `/weightshare/${world.modelId}/resolve/main`;
  });
  after(async function () {
    await world?.close();
  });

  /** Asserts status, problem+json, the body's members, and that no 16-byte run of any model file is in it. */
  function expectProblem(response: RawResponse, status: number): Record<string, unknown> {
    expect(response.status, response.body.toString().slice(0, 300)).to.equal(status);
    expect(response.headers["content-type"]).to.equal("application/problem+json");
    const body = JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
    expect(body).to.include.keys("type", "title", "status", "detail", "instance");
    expect(body.status).to.equal(status);
    for (const [file, bytes] of world.files) {
      for (let at = 0; at + 16 <= bytes.length; at += Math.max(1, Math.floor(bytes.length / 64))) {
        expect(response.body.indexOf(bytes.subarray(at, at + 16)), `${file} bytes leaked`).to.equal(-1);
      }
    }
    const text = response.body.toString();
    expect(text).to.not.contain(token.slice(3, 40)).and.not.contain(world.dataDir).and.not.contain("    at ");
    expect(text).to.not.contain(world.kek.toString("hex"));
    return body;
  }

  const auth = () => `Authorization: Bearer ${token}`;

  it("serves the plain request it refuses variants of (control)", async function () {
    const response = await raw(world, `GET ${base}/config.json HTTP/1.1\r\n${auth()}`);
    expect(response.status).to.equal(200);
    expect(response.body.equals(world.files.get("config.json")!)).to.equal(true);
  });

  it("refuses path traversal, NUL, backslashes and bad percent-encoding with 400", async function () {
    const paths = [
      `${base}/../../../etc/passwd`,
      `${base}/onnx/../config.json`,
      `${base}/%2e%2e/%2e%2e/config.json`,
      `${base}/%2E%2E%2Fconfig.json`,
      `${base}/onnx/..%2fconfig.json`,
      `${base}/%252e%252e%252fconfig.json`,
      `${base}/%25252e%25252e/config.json`,
      `${base}/./config.json`,
      `${base}/onnx\\..\\config.json`,
      `${base}/onnx%5c..%5cconfig.json`,
      `${base}/config.json%00.txt`,
      `${base}/config.json%2500`,
      `${base}/%zz`,
      `${base}//config.json`,
      `/api/models/weightshare/${world.modelId}/tree/main/..`,
      `/ipfs/..%2f..%2fetc`,
    ];
    for (const path of paths) {
      const body = expectProblem(await raw(world, `GET ${path} HTTP/1.1\r\n${auth()}`), 400);
      expect(String(body.detail), path).to.match(/path|URL|segments|percent/);
    }
  });

  it("answers a bad range with 416, Content-Range: bytes */size and no bytes", async function () {
    const size = world.files.get("model.safetensors")!.length;
    for (const range of [
      "bytes=abc",
      "bytes=500-100",
      `bytes=${size}-`,
      `bytes=${size + 10}-${size + 20}`,
      "items=0-1",
      "bytes=0-1,5-6",
      "bytes=-0",
      "bytes=",
      "bytes=99999999999999999999-",
    ]) {
      const response = await raw(world, `GET ${base}/model.safetensors HTTP/1.1\r\n${auth()}\r\nRange: ${range}`);
      expectProblem(response, 416);
      expect(response.headers["content-range"], range).to.equal(`bytes */${size}`);
      expect(response.headers.etag).to.equal(undefined);
    }
  });

  it("answers oversized headers with 431 problem+json", async function () {
    const response = await raw(
      world,
      `GET ${base}/config.json HTTP/1.1\r\n${auth()}\r\nX-Pad: ${"a".repeat(64 * 1024)}`,
    );
    expectProblem(response, 431);
  });

  it("refuses a missing, garbage or non-Bearer token with 401 before anything is read", async function () {
    for (const header of [
      "",
      "\r\nAuthorization: Bearer garbage",
      "\r\nAuthorization: Basic dXNlcjpwYXNz",
      "\r\nAuthorization: Bearer hf_a.b.c",
    ]) {
      const response = await raw(world, `GET ${base}/model.safetensors HTTP/1.1${header}`);
      expectProblem(response, 401);
      expect(response.headers["www-authenticate"]).to.match(/^Bearer/);
    }
  });

  it("refuses bad JSON (400), an oversized body (413) and an unsupported media type (415)", async function () {
    const post = (type: string, body: string) => raw(world, `POST /auth/siwe HTTP/1.1\r\nContent-Type: ${type}`, body);
    expectProblem(await post("application/json", "{not json"), 400);
    expectProblem(
      await post("application/json", JSON.stringify({ message: "x".repeat(20_000), signature: "0x00" })),
      413,
    );
    expectProblem(await post("application/xml", "<a/>"), 415);
  });

  it("answers unknown routes and repos with 404 problem+json", async function () {
    expectProblem(await raw(world, `GET /nope HTTP/1.1`), 404);
    expectProblem(await raw(world, `GET /weightshare/abc/resolve/main/config.json HTTP/1.1\r\n${auth()}`), 404);
    expectProblem(await raw(world, `GET /ipfs/not-a-cid HTTP/1.1`), 400);
  });

  it("rate-limits per account (per address without a valid token, and sign-in always per address) with 429 problem+json and Retry-After", async function () {
    const ctx = gatewayContext(world.app);
    const limited = await buildGateway({
      provider: ctx.provider,
      contracts: { shares: ctx.shares, licenses: ctx.licenses },
      store: ctx.store,
      catalogue: ctx.catalogue,
      kek: world.kek,
      tokenSecret: world.tokenSecret,
      domain: ctx.domain,
      rateLimit: 3,
      signInRateLimit: 2,
      defaultMetrics: false,
    });
    try {
      const request = () =>
        limited.inject({ method: "GET", url: `${base}/config.json`, headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 3; i++) expect((await request()).statusCode).to.equal(200);
      const refused = await request();
      expect(refused.statusCode).to.equal(429);
      expect(refused.headers["content-type"]).to.equal("application/problem+json");
      expect(Number(refused.headers["retry-after"])).to.be.within(1, 60);
      const body = refused.json() as Record<string, unknown>;
      expect(body.status).to.equal(429);
      expect(refused.rawPayload.indexOf(world.files.get("config.json")!)).to.equal(-1);
      // Without a valid token, requests count against the client's address, apart from the account's: garbage
      // tokens do not open fresh buckets.
      const garbage = (n: number) =>
        limited.inject({ method: "GET", url: `${base}/config.json`, headers: { authorization: `Bearer junk${n}` } });
      for (let i = 1; i <= 3; i++) expect((await garbage(i)).statusCode).to.equal(401);
      expect((await garbage(4)).statusCode).to.equal(429);
      // Sign-in has its own budget per address, whatever token is sent: fresh accounts cannot multiply it.
      const nonce = () =>
        limited.inject({ method: "GET", url: "/auth/nonce", headers: { authorization: `Bearer ${token}` } });
      expect((await nonce()).statusCode).to.equal(200);
      expect((await nonce()).statusCode).to.equal(200);
      const flood = await nonce();
      expect(flood.statusCode).to.equal(429);
      expect(flood.headers["content-type"]).to.equal("application/problem+json");
    } finally {
      await limited.close();
    }
  });
});
