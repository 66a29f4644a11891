/**
 * CORS for the web app (gateway/server/cors.ts): only the configured origins get CORS headers (preflights answered,
 * the origin echoed, `Vary: Origin`, download headers exposed, errors readable), never credentials; other origins
 * and a gateway without the setting get none; `*` and malformed origins are refused at start.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { buildGateway, gatewayContext } from "../../../gateway/server/app.js";
import { ConfigError, loadConfig, parseCorsOrigins } from "../../../gateway/server/config.js";
import { gatewayWorld, signIn, type GatewayWorld } from "./fixture.js";

const APP = "http://127.0.0.1:5173";
const OTHER = "https://evil.example";
const VARIABLE = "WEIGHTSHARE_GATEWAY_CORS_ORIGINS";

/** The response's access-control-* headers. */
function corsHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => name.startsWith("access-control-")));
}

function preflight(world: GatewayWorld, origin: string, url: string): Promise<Response> {
  return fetch(`${world.url}${url}`, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "authorization,range",
    },
  });
}

describe("gateway/server/cors", function () {
  describe(`${VARIABLE} (config)`, function () {
    let dir: string;
    before(async function () {
      dir = await mkdtemp(path.join(tmpdir(), "ws-gateway-cors-"));
    });
    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });
    const load = (value?: string) =>
      loadConfig(["--data-dir", dir], {
        WEIGHTSHARE_GATEWAY_KEK: "11".repeat(32),
        ...(value === undefined ? {} : { [VARIABLE]: value }),
      });

    it("defaults to no origin, and takes a comma-separated list of exact origins", function () {
      expect(load().corsOrigins).to.deep.equal([]);
      expect(load(`${APP}, https://app.example.org ,${APP}`).corsOrigins).to.deep.equal([
        APP,
        "https://app.example.org",
      ]);
    });

    it("refuses * , null and anything that is not exactly scheme://host[:port], with one line naming the variable", function () {
      for (const bad of [
        "*",
        "null",
        `${APP}, *`,
        "http://127.0.0.1:5173/",
        "https://app.example.org/path",
        "ftp://files.example.org",
        "app.example.org",
        "https://App.Example.org",
        "https://app.example.org:443",
        "http://",
      ]) {
        let error: unknown;
        try {
          load(bad);
        } catch (e) {
          error = e;
        }
        expect(error, bad).to.be.instanceOf(ConfigError);
        const message = (error as Error).message;
        expect(message, bad).to.contain(VARIABLE);
        expect(message, bad).not.to.contain("\n");
      }
      expect(() => parseCorsOrigins("*")).to.throw(ConfigError, /"\*" is not allowed/);
    });
  });

  describe("answers", function () {
    let world: GatewayWorld;
    let token: string;
    let base: string;
    before(async function () {
      const connection = await hre.network.create();
      world = await gatewayWorld(connection, { gateway: { corsOrigins: [APP] } });
      token = await signIn(world, world.licensee);
      base = `/weightshare/${world.modelId}/resolve/main`;
    });
    after(async function () {
      await world?.close();
    });

    it("answers an allowed origin's preflight: its origin echoed, bearer and range allowed, no credentials", async function () {
      const response = await preflight(world, APP, `${base}/config.json`);
      expect(response.status).to.equal(204);
      const cors = corsHeaders(response.headers);
      expect(cors["access-control-allow-origin"]).to.equal(APP);
      expect(cors["access-control-allow-headers"]).to.equal("authorization, content-type, range");
      expect(cors["access-control-allow-methods"]).to.equal("GET, HEAD, POST");
      expect(cors).not.to.have.property("access-control-allow-credentials");
      expect(response.headers.get("vary")).to.match(/\bOrigin\b/);
    });

    it("gives another origin no CORS header, on a preflight or a request carrying a valid token", async function () {
      const refusedPreflight = await preflight(world, OTHER, `${base}/config.json`);
      expect(refusedPreflight.status).not.to.equal(204);
      expect(corsHeaders(refusedPreflight.headers)).to.deep.equal({});
      await refusedPreflight.arrayBuffer();
      const response = await fetch(`${world.url}${base}/config.json`, {
        headers: { Origin: OTHER, Authorization: `Bearer ${token}` },
      });
      expect(corsHeaders(response.headers)).to.deep.equal({});
      expect(response.headers.get("vary")).to.match(/\bOrigin\b/);
      await response.arrayBuffer();
      // A look-alike of an allowed origin is another origin.
      const lookAlike = await fetch(`${world.url}/auth/nonce`, { headers: { Origin: `${APP}.evil.example` } });
      expect(corsHeaders(lookAlike.headers)).to.deep.equal({});
      await lookAlike.arrayBuffer();
    });

    it("lets the allowed origin sign in and download: origin echoed, download headers exposed, Vary kept", async function () {
      const nonce = await fetch(`${world.url}/auth/nonce`, { headers: { Origin: APP } });
      expect(nonce.headers.get("access-control-allow-origin")).to.equal(APP);
      await nonce.arrayBuffer();
      const response = await fetch(`${world.url}${base}/model.safetensors`, {
        headers: { Origin: APP, Authorization: `Bearer ${token}`, Range: "bytes=0-99" },
      });
      expect(response.status).to.equal(206);
      expect(response.headers.get("access-control-allow-origin")).to.equal(APP);
      expect(response.headers.get("access-control-expose-headers")).to.equal(
        "content-length, content-range, etag, x-repo-commit",
      );
      expect(response.headers.get("access-control-allow-credentials")).to.equal(null);
      expect(response.headers.get("vary")).to.equal("Authorization, Range, Origin");
      expect(Buffer.from(await response.arrayBuffer())).to.deep.equal(
        world.files.get("model.safetensors")!.subarray(0, 100),
      );
    });

    it("makes a refusal readable by the allowed origin's page (403 problem+json with the origin echoed)", async function () {
      const outsiderToken = await signIn(world, world.outsider);
      const response = await fetch(`${world.url}${base}/config.json`, {
        headers: { Origin: APP, Authorization: `Bearer ${outsiderToken}` },
      });
      expect(response.status).to.equal(403);
      expect(response.headers.get("access-control-allow-origin")).to.equal(APP);
      expect(response.headers.get("content-type")).to.equal("application/problem+json");
      const body = (await response.json()) as { detail: string };
      expect(body.detail).to.be.a("string").and.not.equal("");
    });

    it("sends no CORS header at all when no origin is configured (the default)", async function () {
      const ctx = gatewayContext(world.app);
      const plain = await buildGateway({
        provider: ctx.provider,
        contracts: { shares: ctx.shares, licenses: ctx.licenses },
        store: ctx.store,
        catalogue: ctx.catalogue,
        kek: world.kek,
        tokenSecret: world.tokenSecret,
        domain: ctx.domain,
        defaultMetrics: false,
      });
      try {
        const pre = await plain.inject({
          method: "OPTIONS",
          url: `${base}/config.json`,
          headers: { origin: APP, "access-control-request-method": "GET" },
        });
        expect(pre.statusCode).to.equal(404);
        const get = await plain.inject({
          method: "GET",
          url: `${base}/config.json`,
          headers: { origin: APP, authorization: `Bearer ${token}` },
        });
        expect(get.statusCode).to.equal(200);
        for (const answer of [pre, get]) {
          expect(Object.keys(answer.headers).filter((h) => h.startsWith("access-control-"))).to.deep.equal([]);
        }
      } finally {
        await plain.close();
      }
    });
  });
});
