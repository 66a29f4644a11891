/**
 * The upstream hop on its own (forward.ts over upstream-client.ts), against a raw loopback stand-in whose answer each
 * test sets: connections are pooled and reused, an answer beyond the size limit or silent mid-body is a 502 and its
 * connection is closed, a 429 becomes a 503 with a sane Retry-After, a redirect is not followed, a request aborted
 * before it started is never sent, and closing the agents closes the pooled connections.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { expect } from "chai";

import { ClientGoneError } from "../../../../gateway/inference/openai/errors.js";
import { readBody, sendUpstream, UpstreamDeadline } from "../../../../gateway/inference/openai/forward.js";
import type { ProxyRequest } from "../../../../gateway/inference/openai/request.js";
import { UpstreamAgents } from "../../../../gateway/inference/openai/upstream-client.js";
import { HttpProblem } from "../../../../gateway/server/problem.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe("gateway/inference/openai: the upstream hop (raw stand-in upstream)", function () {
  this.timeout(30_000);
  let server: Server;
  let handler: Handler;
  let agents: UpstreamAgents;
  const sockets: Socket[] = [];
  let base = "";

  before(async function () {
    server = createServer((req, res) => {
      req.resume();
      req.once("end", () => handler(req, res));
    });
    server.on("connection", (socket: Socket) => sockets.push(socket));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  beforeEach(function () {
    agents = new UpstreamAgents();
    sockets.length = 0;
  });
  afterEach(function () {
    agents.destroy();
  });
  after(async function () {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  });

  function proxyRequest(): ProxyRequest {
    return {
      endpoint: "chat/completions",
      model: "weightshare/1",
      upstream: { modelId: 1n, name: "weightshare/1", url: base },
      stream: false,
      clientWantsUsage: false,
      estimate: { kind: "call" },
      upstreamBody: JSON.stringify({ model: "weightshare/1", messages: [] }),
    };
  }

  async function call(timeoutMs = 2_000, limit?: number): Promise<Buffer> {
    const request = proxyRequest();
    const deadline = new UpstreamDeadline(timeoutMs);
    const response = await sendUpstream(agents, request, deadline);
    return readBody(response, request, deadline, limit);
  }

  /** Resolves once the stand-in's side of `socket` is closed (it may be already). */
  async function closed(socket: Socket): Promise<void> {
    if (!socket.destroyed) await once(socket, "close");
  }

  async function problemOf(attempt: Promise<unknown>): Promise<HttpProblem> {
    const error = await attempt.then(
      () => expect.fail("expected a problem"),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(HttpProblem);
    return error as HttpProblem;
  }

  it("sequential calls reuse one pooled connection; closing the agents closes it", async function () {
    handler = (req, res) => res.end(JSON.stringify({ path: req.url, length: req.headers["content-length"] }));
    for (let i = 0; i < 5; i++) {
      const answer = JSON.parse((await call()).toString()) as { path: string; length: string };
      expect(answer.path).to.equal("/v1/chat/completions");
      expect(Number(answer.length)).to.equal(Buffer.byteLength(proxyRequest().upstreamBody));
    }
    expect(sockets).to.have.length(1);
    agents.destroy();
    await closed(sockets[0]);
  });

  it("an answer beyond the size limit: 502 naming the limit, its connection closed", async function () {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("x".repeat(2_000)); // and more to come, never
    };
    const problem = await problemOf(call(2_000, 1_000));
    expect(problem.status).to.equal(502);
    expect(problem.detail).to.contain("more than 1000 bytes");
    await closed(sockets[0]);
  });

  it("an answer that goes silent mid-body: 502 naming the timeout, its connection closed", async function () {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"partial":');
    };
    const problem = await problemOf(call(300));
    expect(problem.status).to.equal(502);
    expect(problem.detail).to.contain("sent nothing for 0.3 s");
    await closed(sockets[0]);
  });

  it("429: 503 upstream-busy with the upstream's Retry-After when it is a number of seconds, else 1", async function () {
    for (const [sent, expected] of [
      ["7", "7"],
      ["Wed, 21 Oct 2015 07:28:00 GMT", "1"],
    ]) {
      handler = (_req, res) => res.writeHead(429, { "retry-after": sent }).end("{}");
      const problem = await problemOf(call());
      expect(problem.status).to.equal(503);
      expect(problem.kind).to.equal("upstream-busy");
      expect(problem.headers["Retry-After"]).to.equal(expected);
    }
  });

  it("a redirect is not followed: 502 naming the status", async function () {
    handler = (_req, res) => res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
    const problem = await problemOf(call());
    expect(problem.status).to.equal(502);
    expect(problem.detail).to.contain("answered HTTP 302");
  });

  it("a client gone before the request started: ClientGoneError, and nothing reaches the upstream", async function () {
    let reached = false;
    handler = (_req, res) => {
      reached = true;
      res.end("{}");
    };
    const deadline = new UpstreamDeadline(2_000);
    deadline.abort("client-gone");
    const error = await sendUpstream(agents, proxyRequest(), deadline).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ClientGoneError);
    expect(reached).to.equal(false);
  });
});
