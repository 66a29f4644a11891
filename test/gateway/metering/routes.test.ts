/**
 * The usage routes' bad input, each answered with a problem+json naming what was wrong and nothing recorded:
 * malformed JSON, an oversized body, a wrong content type, missing or malformed receipt fields, bad query values,
 * and no token; and what they answer when all is well (the quote an exact client signs from).
 */
import { expect } from "chai";
import hre from "hardhat";

import { problemOf } from "../server/fixture.js";
import { inferenceWorld, type InferenceWorld } from "../inference/world.js";

const connection = await hre.network.create();

describe("metering: the usage routes refuse bad input and record nothing", function () {
  this.timeout(120_000);
  let world: InferenceWorld;

  before(async () => {
    world = await inferenceWorld(connection);
  });
  after(async () => {
    await world?.close();
  });

  const post = (body: string, type = "application/json", token = world.token) =>
    fetch(`${world.url}/usage/receipts`, {
      method: "POST",
      headers: { "Content-Type": type, Authorization: `Bearer ${token}` },
      body,
    });
  const get = (path: string, token: string | null = world.token) =>
    fetch(`${world.url}${path}`, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });
  const kind = (problem: Record<string, unknown>) => String(problem.type).split("/").pop();

  it("quotes the caller's licence, the rate and the chain's time", async () => {
    const response = await get(`/usage/quote?model=weightshare/${world.modelId}`);
    expect(response.status).to.equal(200);
    const quote = (await response.json()) as Record<string, Record<string, unknown>>;
    expect(quote.rate).to.deep.equal({ creditsPerCall: "2" });
    expect(quote.licence).to.include({ licenceId: world.licenceId.toString(), used: "0", creditsLeft: "1000" });
  });

  it("refuses malformed receipts with a 400 naming the field", async () => {
    const good = await world.receipt(world.licensee, world.licenceId, 5n);
    const cases: Array<[unknown, string]> = [
      [{ ...good, cap: "-1" }, "receipt cap"],
      [{ ...good, cap: (2n ** 64n).toString() }, "receipt cap"],
      [{ ...good, licenceId: "x" }, "receipt licenceId"],
      [{ ...good, deadline: "soon" }, "receipt deadline"],
      [{ ...good, signature: "0xzz" }, "receipt signature"],
      [{ licenceId: good.licenceId }, "receipt cap"],
      [[good], "receipt (document)"],
    ];
    for (const [body, field] of cases) {
      const problem = await problemOf(await post(JSON.stringify(body)), 400);
      expect(String(problem.detail), JSON.stringify(body)).to.match(new RegExp(`^${field.replace(/[()]/g, "\\$&")}`));
    }
    expect(await world.ledger.licence(world.licenceId)).to.deep.include({ cap: 0n });
  });

  it("refuses malformed JSON (400), a wrong content type (415), an oversized body (413) and no token (401)", async () => {
    await problemOf(await post("{not json"), 400);
    await problemOf(await post("licenceId=1", "text/plain"), 415);
    await problemOf(await post(JSON.stringify({ pad: "x".repeat(20_000) })), 413);
    await problemOf(await post("{}", "application/json", "hf_forged"), 401);
    expect(await world.ledger.licence(world.licenceId)).to.deep.include({ cap: 0n });
  });

  it("refuses bad query values and unknown models", async () => {
    expect(kind(await problemOf(await get("/usage/quote?model=../etc"), 400))).to.equal("bad-query");
    expect(kind(await problemOf(await get("/usage/quote"), 400))).to.equal("bad-query");
    expect(kind(await problemOf(await get("/usage/quote?model=999"), 404))).to.equal("repo-not-found");
    expect(kind(await problemOf(await get("/usage?limit=100000"), 400))).to.equal("bad-query");
    expect(kind(await problemOf(await get("/usage?licence=abc"), 400))).to.equal("bad-query");
    await problemOf(await get("/usage", null), 401);
    await problemOf(await get(`/usage/quote?model=${world.modelId}`, null), 401);
  });

  it("answers 404 for a model with no published version on the inference routes, charging nothing", async () => {
    const response = await fetch(`${world.url}/v2/models/999/infer`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${world.token}` },
      body: JSON.stringify({ inputs: [{ name: "x", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }] }),
    });
    await problemOf(response, 404);
    expect(await world.ledger.licence(world.licenceId)).to.deep.include({ served: 0n, reserved: 0n });
  });
});
