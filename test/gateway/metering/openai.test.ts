/**
 * The OpenAI-compatible proxy with real metering, in front of a loopback STAND-IN upstream (no LLM server can be
 * installed here), driven by the real `openai` npm client: a model published with a per-token rate, charged what the
 * upstream's `usage` says (rounded up per call), streaming included; an upstream lying about usage is charged no more
 * than the call's reservation; a request with no `max_tokens` is sent upstream with the bound its reservation
 * assumed; a failing upstream costs nothing.
 */
import { expect } from "chai";
import hre from "hardhat";
import OpenAI from "openai";

import { upstreamName } from "../../../gateway/inference/openai/upstreams.js";
import { DEFAULT_MAX_OUTPUT_TOKENS } from "../../../gateway/metering/pricing.js";
import { startOpenAIStandIn, type OpenAIStandIn } from "../../helpers/openai-standin.js";
import { inferenceCard, inferenceWorld, type InferenceWorld } from "../inference/world.js";

const connection = await hre.network.create();
const RATE = 10n; // credits per 1,000 tokens

describe("metering: OpenAI-compatible calls through a stand-in upstream (real openai client, SQLite ledger)", function () {
  this.timeout(120_000);
  let standIn: OpenAIStandIn;
  let world: InferenceWorld;

  before(async () => {
    standIn = await startOpenAIStandIn();
  });
  after(async () => {
    await standIn.close();
  });
  afterEach(async () => {
    await world?.close();
  });

  async function worldWith(behaviour: Parameters<OpenAIStandIn["url"]>[0]): Promise<InferenceWorld> {
    const card = inferenceCard(`runtime: openai\n    credits_per_1k_tokens: ${RATE}`);
    // The model id is known only once the world exists; the fixture's model is always the first one registered.
    world = await inferenceWorld(connection, {
      card,
      upstreams: [{ modelId: 1n, name: upstreamName(1n), url: standIn.url(behaviour) }],
    });
    expect(world.modelId).to.equal(1n);
    return world;
  }

  function client(w: InferenceWorld): OpenAI {
    return new OpenAI({ baseURL: `${w.url}/v1`, apiKey: w.token, maxRetries: 0 });
  }

  const served = async (w: InferenceWorld) => (await w.ledger.licence(w.licenceId))?.served ?? 0n;
  const cost = (tokens: number) => (BigInt(tokens) * RATE + 999n) / 1000n;

  it("charges a chat completion what its usage says, at the published per-token rate", async () => {
    const w = await worldWith("honest");
    await w.authorise(await w.receipt(w.licensee, w.licenceId, 500n));
    const answer = await client(w).chat.completions.create({
      model: upstreamName(w.modelId),
      messages: [{ role: "user", content: "one two three four" }],
      max_tokens: 50,
    });
    expect(answer.choices[0].message.content).to.match(/^Echo:/);
    expect(await served(w)).to.equal(cost(answer.usage!.total_tokens));
    const seen = standIn.seen.at(-1)!;
    expect(seen.body.max_tokens).to.equal(50);
    expect(seen.headers.authorization).to.equal(undefined); // the licensee's token never leaves the gateway
  });

  it("streams, and charges the stream's final usage", async () => {
    const w = await worldWith("honest");
    await w.authorise(await w.receipt(w.licensee, w.licenceId, 500n));
    const stream = await client(w).chat.completions.create({
      model: upstreamName(w.modelId),
      messages: [{ role: "user", content: "stream these five words please" }],
      max_tokens: 20,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let total = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) total = chunk.usage.total_tokens;
    }
    expect(text).to.match(/^Echo:/);
    expect(total).to.be.above(0);
    expect(await served(w)).to.equal(cost(total));
  });

  it("sends the output bound its reservation assumed when the request sets none", async () => {
    const w = await worldWith("honest");
    await w.authorise(await w.receipt(w.licensee, w.licenceId, 500n));
    await client(w).chat.completions.create({
      model: upstreamName(w.modelId),
      messages: [{ role: "user", content: "no bound" }],
    });
    expect(standIn.seen.at(-1)!.body.max_tokens).to.equal(DEFAULT_MAX_OUTPUT_TOKENS);
  });

  it("charges an upstream that lies about usage no more than the call's reservation", async () => {
    const w = await worldWith("lying-usage");
    await w.authorise(await w.receipt(w.licensee, w.licenceId, 500n));
    const response = await client(w)
      .chat.completions.create({
        model: upstreamName(w.modelId),
        messages: [{ role: "user", content: "hi" }],
        max_tokens: 100,
      })
      .withResponse();
    const reserved = BigInt(response.response.headers.get("x-weightshare-credits-reserved")!);
    expect(reserved).to.be.above(0n);
    expect(await served(w)).to.equal(reserved);
    expect(BigInt(response.response.headers.get("x-weightshare-credits-charged")!)).to.equal(reserved);
  });

  it("an upstream that fails costs nothing (502), and a licensee without credits signed gets 402 from the client", async () => {
    const w = await worldWith("error-500");
    await w.authorise(await w.receipt(w.licensee, w.licenceId, 500n));
    const failed = await client(w)
      .chat.completions.create({ model: upstreamName(w.modelId), messages: [{ role: "user", content: "x" }] })
      .catch((error: unknown) => error);
    expect(failed).to.be.instanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).to.equal(502);
    expect(await served(w)).to.equal(0n);
    const outsider = new OpenAI({ baseURL: `${w.url}/v1`, apiKey: "hf_garbage", maxRetries: 0 });
    const refused = await outsider.embeddings
      .create({ model: upstreamName(w.modelId), input: "x" })
      .catch((error: unknown) => error);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).to.equal(401);
  });

  it("402 through the openai client when the signed cap cannot cover the call, with the figures in the message", async () => {
    const w = await worldWith("honest");
    await w.authorise(await w.receipt(w.licensee, w.licenceId, 1n));
    const refused = await client(w)
      .chat.completions.create({
        model: upstreamName(w.modelId),
        messages: [{ role: "user", content: "a long prompt ".repeat(50) }],
        max_tokens: 500,
      })
      .catch((error: unknown) => error);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).to.equal(402);
    expect(String((refused as Error).message)).to.match(/authorised a running total of 1 credits/);
    expect(await served(w)).to.equal(0n);
  });
});
