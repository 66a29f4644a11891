/**
 * The static server `npm run app` serves the built app with (scripts/app/static-server.ts), over a temporary
 * directory standing in for app/dist: content types, the generated config.json, and refusals (path traversal in
 * any encoding, files outside the directory through a link, other methods) as problem+json. Requests go through
 * node:http with raw paths, since fetch would normalise `..` away before sending.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { checkStackOptions, startStack } from "../../scripts/app/stack.js";
import { safeSegments, serveApp, type StaticServer } from "../../scripts/app/static-server.js";

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

/** One request with `rawPath` sent exactly as given. */
function get(port: number, rawPath: string, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: rawPath, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, type: res.headers["content-type"], body }));
    });
    req.once("error", reject);
    req.end();
  });
}

describe("npm run app's static server", function () {
  const work = mkdtempSync(path.join(tmpdir(), "ws-app-static-"));
  const dist = path.join(work, "dist");
  const config = { chainId: 31337, rpcUrl: "http://127.0.0.1:8545", indexerUrl: "http://127.0.0.1:42069" };
  let server: StaticServer;

  before(async function () {
    mkdirSync(path.join(dist, "assets"), { recursive: true });
    writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(path.join(dist, "assets", "index-abc.js"), "console.log(1)");
    writeFileSync(path.join(dist, "assets", "index-abc.css"), "body{}");
    writeFileSync(path.join(work, "secret.txt"), "outside the app");
    symlinkSync(path.join(work, "secret.txt"), path.join(dist, "assets", "link.txt"));
    server = await serveApp({ dir: dist, config });
  });

  after(async function () {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("serves index.html at /, assets with their content types, and the generated config.json", async function () {
    const index = await get(server.port, "/");
    expect([index.status, index.type, index.body]).to.deep.equal([
      200,
      "text/html; charset=utf-8",
      "<!doctype html><title>app</title>",
    ]);
    expect((await get(server.port, "/assets/index-abc.js")).type).to.equal("text/javascript; charset=utf-8");
    expect((await get(server.port, "/assets/index-abc.css")).type).to.equal("text/css; charset=utf-8");
    const served = await get(server.port, "/config.json?x=1");
    expect([served.status, served.type]).to.deep.equal([200, "application/json"]);
    expect(JSON.parse(served.body)).to.deep.equal(config);
    expect((await get(server.port, "/", "HEAD")).body).to.equal("");
  });

  it("refuses path traversal in any encoding with a 400 problem+json, before touching the disk", async function () {
    const hostile = [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E%2Fsecret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/..%5csecret.txt",
      "/assets\\..\\..\\secret.txt",
      "/index.html%00.js",
      "/%E0%A4%A",
      "/./index.html",
      "//etc/passwd",
    ];
    for (const raw of hostile) {
      const answer = await get(server.port, raw);
      expect([answer.status, answer.type], raw).to.deep.equal([400, "application/problem+json"]);
      const problem = JSON.parse(answer.body) as { status: number; title: string; detail: string };
      expect(problem.status, raw).to.equal(400);
      expect(problem.detail, raw).to.be.a("string").and.not.equal("");
      expect(answer.body, raw).not.to.contain("outside the app");
    }
  });

  it("answers a missing file, a directory and a link leading out of the app with a 404 problem+json", async function () {
    for (const raw of ["/nothing.js", "/assets", "/assets/link.txt"]) {
      const answer = await get(server.port, raw);
      expect([answer.status, answer.type], raw).to.deep.equal([404, "application/problem+json"]);
      expect(JSON.parse(answer.body), raw).to.include({ status: 404, title: "Not Found" });
      expect(answer.body, raw).not.to.contain("outside the app");
    }
  });

  it("refuses methods other than GET and HEAD with a 405 problem+json", async function () {
    const answer = await get(server.port, "/config.json", "POST");
    expect([answer.status, answer.type]).to.deep.equal([405, "application/problem+json"]);
  });

  it("keeps the checked path's segments, and names why a path is refused", function () {
    expect(safeSegments("/assets/a%20b.js?v=1")).to.deep.equal({ segments: ["assets", "a b.js"] });
    expect(safeSegments("/")).to.deep.equal({ segments: [] });
    expect(safeSegments("/a/../b")).to.deep.equal({ refused: "the path contains a . or .. segment" });
  });
});

describe("npm run app's stack options", function () {
  it("names a bad option and what was expected in one line", function () {
    const cases: [unknown, string][] = [
      [
        { bogus: 1 },
        'startStack: unknown option "bogus"; expected one of build, compile, log, walletConnectProjectId, timeoutMs',
      ],
      [{ build: "sometimes" }, 'startStack: build must be "auto", "always" or "never", got "sometimes"'],
      [{ compile: "yes" }, 'startStack: compile must be true or false, got "yes"'],
      [{ timeoutMs: -5 }, "startStack: timeoutMs must be a positive whole number of milliseconds, got -5"],
      [[], "startStack: options must be an object, got []"],
    ];
    for (const [options, message] of cases) {
      expect(() => checkStackOptions(options)).to.throw(Error, message);
      expect(message).not.to.contain("\n");
    }
    expect(checkStackOptions(undefined).build).to.equal("auto");
  });

  it("rejects a bad option before starting anything", async function () {
    const error = await startStack({ build: "never", port: 1 } as never).catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.equal(
      'startStack: unknown option "port"; expected one of build, compile, log, walletConnectProjectId, timeoutMs',
    );
  });
});
