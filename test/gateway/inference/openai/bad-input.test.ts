/**
 * Bad input on the OpenAI endpoints (stand-in upstream behind them): malformed JSON, oversized bodies, unknown or
 * missing models, wrong content types, malformed cost bounds, unknown /v1 paths. Each answer is problem+json with
 * OpenAI's `error` member, and none of them reaches metering or the upstream.
 */
import { request as httpRequest } from "node:http";

import { expect } from "chai";
import { NotFoundError } from "openai";

import { OPENAI_BODY_LIMIT } from "../../../../gateway/inference/openai/request.js";
import { PROBLEM_TYPE } from "../../../../gateway/server/problem.js";
import { GOOD_TOKEN, model, openaiWorld, type OpenAIWorld } from "./fixture.js";

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

describe("gateway/inference/openai: bad input on the OpenAI endpoints (stand-in upstream)", function () {
  this.timeout(60_000);
  let world: OpenAIWorld;

  before(async function () {
    world = await openaiWorld();
  });
  after(async function () {
    await world?.close();
  });
  afterEach(function () {
    expect(world.metering.calls, "metering was never asked").to.have.length(0);
    expect(world.standIn.seen, "the upstream was never called").to.have.length(0);
  });

  async function post(path: string, body: string | Buffer, contentType = "application/json"): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${GOOD_TOKEN}` };
    if (contentType !== "") headers["content-type"] = contentType;
    const response = await fetch(`${world.url}${path}`, { method: "POST", headers, body });
    const text = await response.text();
    return { status: response.status, type: response.headers.get("content-type") ?? "", body: JSON.parse(text) };
  }

  /** Asserts a problem+json answer with the OpenAI member; returns that member. */
  function expectProblem(answer: Answer, status: number, code: string): Record<string, unknown> {
    expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
    expect(answer.type).to.equal(PROBLEM_TYPE);
    expect(answer.body).to.include.keys("type", "title", "status", "detail", "instance", "error");
    const error = answer.body.error as Record<string, unknown>;
    expect(error.message).to.equal(answer.body.detail);
    expect(error.code).to.equal(code);
    expect(error.type).to.equal("invalid_request_error");
    return error;
  }

  const chat = (extra: Record<string, unknown>) =>
    JSON.stringify({ model: model("honest"), messages: [{ role: "user", content: "hi" }], ...extra });

  it("malformed JSON, an empty body, a non-object body, a __proto__ key: 400", async function () {
    expectProblem(await post("/v1/chat/completions", '{"model": "weightshare/1", '), 400, "bad_request");
    expectProblem(await post("/v1/embeddings", ""), 400, "bad_request");
    const array = expectProblem(await post("/v1/completions", "[1, 2]"), 400, "invalid_request");
    expect(array.message).to.contain("JSON object");
    const proto = '{"model": "weightshare/1", "__proto__": {"admin": true}}';
    expectProblem(await post("/v1/chat/completions", proto), 400, "bad_request");
  });

  it("a body beyond the limit: 413, before it is read", async function () {
    const big = Buffer.alloc(OPENAI_BODY_LIMIT + 1, 0x20);
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(`${world.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": big.length },
      });
      req.on("response", (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"]),
            body: JSON.parse(Buffer.concat(parts).toString()),
          }),
        );
      });
      req.on("error", reject);
      // Only the headers: the gateway answers from Content-Length alone.
      req.flushHeaders();
    });
    expectProblem(answer, 413, "payload_too_large");
  });

  it("a model that is missing, not a string, or unknown: 400 / 404 naming it", async function () {
    const missing = expectProblem(await post("/v1/chat/completions", '{"messages": []}'), 400, "invalid_request");
    expect(missing.param).to.equal("model");
    expect(missing.message).to.contain('"model" is missing');
    expectProblem(await post("/v1/embeddings", '{"model": 7, "input": "x"}'), 400, "invalid_request");
    const unknown = expectProblem(
      await post("/v1/chat/completions", chat({ model: "gpt-4o" })),
      404,
      "model_not_found",
    );
    expect(unknown.message).to.contain('"gpt-4o"').and.contain(model("honest"));

    const viaClient = await world
      .client()
      .embeddings.create({ model: "weightshare/999", input: "x" })
      .catch((e: unknown) => e);
    expect(viaClient).to.be.instanceOf(NotFoundError);
    expect((viaClient as NotFoundError).message).to.contain('"weightshare/999"');
  });

  it("a content type other than JSON, or none: 415 before the body is read", async function () {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const answer = await post("/v1/chat/completions", chat({}), type);
      const error = expectProblem(answer, 415, "unsupported_media_type");
      expect(error.message).to.contain("application/json");
    }
  });

  it("malformed cost bounds and stream flags: 400 naming the member", async function () {
    const cases: [string, Record<string, unknown>, string][] = [
      ["/v1/chat/completions", { max_tokens: -1 }, "max_tokens"],
      ["/v1/chat/completions", { max_tokens: "ten" }, "max_tokens"],
      ["/v1/chat/completions", { max_completion_tokens: 1.5 }, "max_completion_tokens"],
      ["/v1/chat/completions", { n: 0 }, "n"],
      ["/v1/chat/completions", { n: 1000 }, "n"],
      ["/v1/completions", { best_of: "all" }, "best_of"],
      ["/v1/chat/completions", { stream: "yes" }, "stream"],
      ["/v1/chat/completions", { stream: true, stream_options: "usage" }, "stream_options"],
      ["/v1/embeddings", { stream: true, input: "x" }, "stream"],
    ];
    for (const [path, extra, param] of cases) {
      const error = expectProblem(await post(path, chat(extra)), 400, "invalid_request");
      expect(error.param, `${path} ${JSON.stringify(extra)}`).to.equal(param);
      expect(error.message).to.contain(`"${param}"`);
    }
  });

  it("unknown paths and methods under /v1: 404 in both shapes", async function () {
    const answer = await post("/v1/images/generations", "{}");
    const error = expectProblem(answer, 404, "not_found");
    expect(error.message).to.contain("/v1/images/generations");
    const get = await fetch(`${world.url}/v1/chat/completions`);
    expect(get.status).to.equal(404);
    expect(((await get.json()) as { error: { code: string } }).error.code).to.equal("not_found");
  });
});
