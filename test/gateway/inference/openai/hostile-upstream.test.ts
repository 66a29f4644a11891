/**
 * Hostile stand-in upstreams behind the /v1 routes, seen through the real `openai` client: slow beyond the gateway's
 * timeout (502, released, upstream request aborted), dropping mid-stream (released, the client's stream ends with an
 * error), lying about usage (the lie is what metering gets to commit: capping it at the reservation is metering's job
 * and its tests'), failing (502 without the upstream's message), reporting no usage, refusing the input (its message
 * passed on with its status), and clients that leave mid-call.
 */
import { expect } from "chai";
import { APIError, BadRequestError, InternalServerError } from "openai";

import { CONTEXT_ERROR, LYING_TOKENS } from "../../../helpers/openai-standin.js";
import { eventually, GOOD_TOKEN, lastCall, model, openaiWorld, TIMEOUT_MS, type OpenAIWorld } from "./fixture.js";

const ask = (content: string) => [{ role: "user" as const, content }];

describe("gateway/inference/openai: hostile stand-in upstreams", function () {
  this.timeout(60_000);
  let world: OpenAIWorld;

  before(async function () {
    world = await openaiWorld();
  });
  after(async function () {
    await world?.close();
  });

  /** Asserts the client got the 502 `upstream_failed` error, the call was released, and returns the error. */
  async function expectReleased502(attempt: Promise<unknown>): Promise<InternalServerError> {
    const error = await attempt.then(
      () => expect.fail("expected a 502"),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(InternalServerError);
    expect((error as APIError).status).to.equal(502);
    expect((error as APIError).code).to.equal("upstream_failed");
    expect((error as APIError).message).to.contain("not charged");
    const call = lastCall(world);
    expect(call.released, "released").to.equal(true);
    expect(call.committed).to.equal(undefined);
    return error as InternalServerError;
  }

  it("slow beyond the timeout: 502, released, and the upstream request aborted (streamed or not)", async function () {
    const client = world.client();
    const plain = await expectReleased502(
      client.chat.completions.create({ model: model("slow"), messages: ask("hi") }),
    );
    expect(plain.message).to.contain(`${TIMEOUT_MS / 1000} s`);
    await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its request aborted");
    await expectReleased502(
      client.chat.completions.create({ model: model("slow"), messages: ask("hi"), stream: true }),
    );
    await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its stream request aborted");
  });

  it("slow within the timeout (a pause before every chunk) is served and charged", async function () {
    const stream = await world.client().chat.completions.create({
      model: model("trickle"),
      messages: ask("p q"),
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).to.equal("Echo: p q");
    expect(lastCall(world).committed).to.deep.equal({ promptTokens: 2, completionTokens: 3, totalTokens: 5 });
  });

  it("dropping mid-stream: the client's stream ends with an APIError, the chunks before it arrived, released", async function () {
    const stream = await world.client().chat.completions.create({
      model: model("drop"),
      messages: ask("one two three four five six"),
      stream: true,
    });
    let text = "";
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().then(
      () => expect.fail("the stream should end with an error"),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(APIError);
    expect((error as APIError).message).to.contain("not charged");
    expect((error as APIError).code).to.equal("upstream_failed");
    expect(text).to.equal("Echo: one");
    expect(lastCall(world).released).to.equal(true);
    expect(lastCall(world).committed).to.equal(undefined);
  });

  it("dropping mid-body (not streamed): 502 and released", async function () {
    await expectReleased502(world.client().embeddings.create({ model: model("drop"), input: "some text" }));
  });

  it("lying about usage: metering is asked to commit exactly the lie (it caps the charge at the reservation)", async function () {
    const client = world.client();
    const { response } = await client.chat.completions
      .create({ model: model("lying"), messages: ask("tiny"), max_tokens: 2 })
      .withResponse();
    const lie = { promptTokens: LYING_TOKENS, completionTokens: LYING_TOKENS, totalTokens: 2 * LYING_TOKENS };
    expect(lastCall(world).committed).to.deep.equal(lie);
    expect(lastCall(world).request.estimate).to.include({ maxOutputTokens: 2 });
    expect(response.headers.get("x-weightshare-credits-charged"), "what metering charged").to.equal("1");

    const stream = await client.completions.create({ model: model("lying"), prompt: "tiny", stream: true });
    for await (const chunk of stream) expect(chunk.usage ?? null).to.equal(null);
    expect(lastCall(world).committed).to.deep.equal(lie);
  });

  it("failing with 500: 502 without the upstream's own message, released", async function () {
    const error = await expectReleased502(world.client().completions.create({ model: model("failing"), prompt: "x" }));
    expect(error.message).to.contain("HTTP 500").and.not.contain("stand-in failure");
  });

  it("reporting no usage: served; metering gets an empty usage to price (streamed or not)", async function () {
    const client = world.client();
    const done = await client.chat.completions.create({ model: model("noUsage"), messages: ask("u v") });
    expect(done.choices[0].message.content).to.equal("Echo: u v");
    expect(lastCall(world).committed).to.deep.equal({});
    const stream = await client.chat.completions.create({ model: model("noUsage"), messages: ask("u"), stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).to.equal("Echo: u");
    expect(lastCall(world).committed).to.deep.equal({});
  });

  it("refusing the input (400): the client gets the upstream's message with status 400, released", async function () {
    const error = await world
      .client()
      .chat.completions.create({ model: model("refusing"), messages: ask("too long") })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(BadRequestError);
    expect((error as APIError).message).to.contain(CONTEXT_ERROR);
    expect((error as APIError).code).to.equal("upstream_rejected");
    expect(lastCall(world).released).to.equal(true);
  });

  it("a client leaving before any text: upstream aborted, released", async function () {
    const leaving = new AbortController();
    const seen = world.standIn.seen.length;
    const pending = world
      .client()
      .chat.completions.create({ model: model("slow"), messages: ask("hi"), stream: true }, { signal: leaving.signal })
      .catch((e: unknown) => e);
    await eventually(() => world.standIn.seen.length > seen, "the request reached the stand-in");
    leaving.abort();
    await pending;
    await eventually(() => lastCall(world).released, "the call was released");
    expect(lastCall(world).committed).to.equal(undefined);
    await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its request aborted");
  });

  it("a client leaving mid-stream after text: upstream aborted, committed with what was served", async function () {
    const stream = await world.client().chat.completions.create({
      model: model("trickle"),
      messages: ask("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12"),
      stream: true,
      max_tokens: 12,
    });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (text.includes("w1")) break;
    }
    const call = lastCall(world);
    await eventually(() => call.committed !== undefined || call.released, "the call was settled");
    expect(call.released).to.equal(false);
    const usage = call.committed!;
    // Prompt estimated from its size (4 bytes a token); at least the two chunks of text it received, at most 12.
    const promptBytes = (call.request.estimate as { promptBytes: number }).promptBytes;
    expect(usage.promptTokens).to.equal(Math.ceil(promptBytes / 4));
    expect(usage.completionTokens).to.be.within(2, 12);
    await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its stream aborted");
  });

  it("a stream cut by the gateway (shutdown) mid-answer: settled as if the client had left", async function () {
    const response = await fetch(`${world.url}/v1/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${GOOD_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: model("trickle"), prompt: "a b c d e f g h", stream: true }),
    });
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("Echo:")) received += new TextDecoder().decode((await reader.read()).value);
    expect(world.streams.size).to.equal(1);
    for (const stream of world.streams) stream.destroy(new Error("stream cut: shutdown"));
    const cut = await (async () => {
      for (;;) if ((await reader.read()).done) return false;
    })().catch(() => true);
    expect(cut, "the client sees a truncated response").to.equal(true);
    const call = lastCall(world);
    await eventually(() => call.committed !== undefined || call.released, "the call was settled");
    expect(call.committed?.completionTokens).to.be.at.least(1);
    await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its stream aborted");
  });
});
