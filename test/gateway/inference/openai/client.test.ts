/**
 * The real `openai` npm client against the gateway's /v1 routes in front of a stand-in upstream (honest usage):
 * models, chat and text completions (streamed and not), embeddings; what metering is asked to reserve and commit;
 * the charge in headers; the upstream gets its own key, never the client's token; and metering's refusals reach the
 * client as the `openai` package's own error classes with our message.
 */
import { expect } from "chai";
import { APIError, AuthenticationError, NotFoundError } from "openai";

import {
  BROKE_TOKEN,
  GOOD_TOKEN,
  lastCall,
  model,
  NO_CREDITS,
  openaiWorld,
  UPSTREAM_KEY,
  type OpenAIWorld,
} from "./fixture.js";

describe("gateway/inference/openai: the real openai client through the gateway to a stand-in upstream", function () {
  this.timeout(60_000);
  let world: OpenAIWorld;

  before(async function () {
    world = await openaiWorld();
  });
  after(async function () {
    await world?.close();
  });

  it("lists and retrieves the served models; an unknown one is the client's NotFoundError", async function () {
    const client = world.client();
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).to.include.members([model("honest"), model("plain")]);
    const one = await client.models.retrieve(model("honest"));
    expect(one).to.include({ id: model("honest"), object: "model", owned_by: "weightshare" });
    const error = await client.models.retrieve("weightshare/404").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotFoundError);
    expect((error as NotFoundError).code).to.equal("model_not_found");
    expect((error as NotFoundError).message).to.contain('"weightshare/404"');
  });

  it("chat, not streamed: the answer, the charge in headers, usage committed, the upstream's own key", async function () {
    const seenBefore = world.standIn.seen.length;
    const { data, response } = await world
      .client()
      .chat.completions.create({
        model: model("honest"),
        messages: [{ role: "user", content: "hello there world" }],
        max_tokens: 10,
      })
      .withResponse();
    expect(data.choices[0].message.content).to.equal("Echo: hello there world");
    expect(data.model, "renamed back to the client's name").to.equal(model("honest"));
    expect(data.usage).to.include({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(response.headers.get("x-weightshare-credits-charged")).to.equal("1");
    expect(response.headers.get("x-weightshare-total")).to.match(/^\d+$/);
    const call = lastCall(world);
    expect(response.headers.get("x-weightshare-call")).to.equal(call.callId);
    expect(call.request).to.deep.include({ modelId: 1n, route: "openai:chat.completions", model: model("honest") });
    expect(call.request.estimate).to.include({ kind: "tokens", maxOutputTokens: 10 });
    expect((call.request.estimate as { promptBytes: number }).promptBytes).to.be.greaterThan(17);
    expect(call.committed).to.deep.equal({ promptTokens: 3, completionTokens: 4, totalTokens: 7 });

    expect(world.standIn.seen.length).to.equal(seenBefore + 1);
    const upstream = world.standIn.seen.at(-1)!;
    expect(upstream.headers.authorization).to.equal(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(upstream.headers)).to.not.contain(GOOD_TOKEN);
    expect(upstream.body.model).to.equal("standin-llm");
  });

  it("chat, streamed without include_usage: text arrives chunk by chunk, no usage chunk, usage committed", async function () {
    const stream = await world.client().chat.completions.create({
      model: model("plain"),
      messages: [{ role: "user", content: "one two three four" }],
      stream: true,
    });
    let text = "";
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      expect(chunk.usage ?? null, "usage only for clients that asked").to.equal(null);
      expect(chunk.choices).to.have.length(1);
      text += chunk.choices[0].delta.content ?? "";
    }
    expect(text).to.equal("Echo: one two three four");
    expect(chunks).to.be.greaterThan(5);
    const upstream = world.standIn.seen.at(-1)!;
    expect(upstream.body.stream_options).to.deep.equal({ include_usage: true });
    expect(upstream.headers.authorization, "no key configured: none sent").to.equal(undefined);
    expect(lastCall(world).committed).to.deep.equal({ promptTokens: 4, completionTokens: 5, totalTokens: 9 });
  });

  it("chat, streamed with include_usage: the final usage-only chunk reaches the client", async function () {
    const stream = await world.client().chat.completions.create({
      model: model("honest"),
      messages: [{ role: "user", content: "a b" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).to.deep.equal([]);
    expect(last.usage).to.include({ prompt_tokens: 2, completion_tokens: 3 });
    expect(chunks.every((c) => c.model === model("honest"))).to.equal(true);
    expect(lastCall(world).committed).to.deep.equal({ promptTokens: 2, completionTokens: 3, totalTokens: 5 });
  });

  it("a raw stream: the call's headers before the first event, the charge in a comment before [DONE]", async function () {
    const response = await fetch(`${world.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${GOOD_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: model("plain"), messages: [{ role: "user", content: "z" }], stream: true }),
    });
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^text\/event-stream/);
    expect(response.headers.get("x-weightshare-call")).to.equal(lastCall(world).callId);
    const events = (await response.text()).split("\n\n").filter((e) => e !== "");
    expect(events.at(-1)).to.equal("data: [DONE]");
    expect(events.at(-2)).to.match(/^: weightshare credits-charged=1 total=\d+$/);
    expect(events.filter((e) => e.includes('"usage"'))).to.deep.equal([], "no usage member for this client");
    // The model's name has a slash: retrieving it works unencoded too.
    const raw = await fetch(`${world.url}/v1/models/${model("plain")}`);
    expect(((await raw.json()) as { id: string }).id).to.equal(model("plain"));
  });

  it("text completions, streamed and not, with n x max_tokens as the output bound", async function () {
    const client = world.client();
    const done = await client.completions.create({
      model: model("plain"),
      prompt: "say it twice",
      max_tokens: 3,
      n: 2,
    });
    expect(done.choices[0].text).to.equal("Echo: say it");
    expect(done.choices[0].finish_reason).to.equal("length");
    expect(lastCall(world).request.route).to.equal("openai:completions");
    expect(lastCall(world).request.estimate).to.include({ maxOutputTokens: 6 });
    expect(lastCall(world).committed).to.deep.equal({ promptTokens: 3, completionTokens: 3, totalTokens: 6 });

    const stream = await client.completions.create({ model: model("plain"), prompt: "x y", stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).to.equal("Echo: x y");
    expect(lastCall(world).committed).to.deep.equal({ promptTokens: 2, completionTokens: 3, totalTokens: 5 });
  });

  it("embeddings: vectors per input, prompt size as the estimate, no output tokens", async function () {
    const result = await world.client().embeddings.create({ model: model("plain"), input: ["first text", "second"] });
    expect(result.data).to.have.length(2);
    expect(result.data[0].embedding).to.have.length(8);
    const call = lastCall(world);
    expect(call.request.route).to.equal("openai:embeddings");
    expect(call.request.estimate).to.deep.equal({
      kind: "tokens",
      promptBytes: Buffer.byteLength('["first text","second"]'),
      maxOutputTokens: 0,
    });
    expect(call.committed).to.deep.equal({ promptTokens: 3, totalTokens: 3 });
  });

  it("metering's refusals are the client's APIError with our status and message, and nothing goes upstream", async function () {
    const seenBefore = world.standIn.seen.length;
    const broke = await world
      .client(BROKE_TOKEN)
      .chat.completions.create({ model: model("honest"), messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(broke).to.be.instanceOf(APIError);
    expect((broke as APIError).status).to.equal(402);
    expect((broke as APIError).message).to.equal(`402 ${NO_CREDITS}`);
    expect((broke as APIError).code).to.equal("credits_exhausted");
    expect((broke as APIError).type).to.equal("insufficient_quota");

    const stranger = await world
      .client("not-a-token")
      .embeddings.create({ model: model("plain"), input: "hi" })
      .catch((e: unknown) => e);
    expect(stranger).to.be.instanceOf(AuthenticationError);
    expect((stranger as APIError).message).to.contain("bad token");
    expect(world.standIn.seen.length).to.equal(seenBefore);
  });
});
