/**
 * Every OpenAI call is settled while its reservation lives, whatever the client or metering does: a call outliving
 * `maxCallMs` (below the settler's 15-minute stale-reservation age) is cut and settled, a client that leaves while
 * metering begins its call is not served and its call released, a streamed body destroyed before its first read
 * releases its call and its upstream answer, and a commit that fails at the end of a stream is followed by a release.
 * Upstream and metering are the fixture's stand-ins.
 */
import { expect } from "chai";
import { APIError, InternalServerError } from "openai";

import { MAX_CALL_MS } from "../../../../gateway/inference/openai/forward.js";
import type { Metering } from "../../../../gateway/metering/metered-call.js";
import { eventually, GOOD_TOKEN, lastCall, model, openaiWorld, type OpenAIWorld } from "./fixture.js";

const ask = (content: string) => [{ role: "user" as const, content }];
/** The cap on a call's life in the worlds that test it (ms); the trickle stand-in's answer below takes 3 s. */
const SHORT_CALL_MS = 1_000;
const LONG_PROMPT = Array.from({ length: 60 }, (_, i) => `w${i}`).join(" ");

/** Posts a streamed completion with fetch (to leave at a chosen moment); resolves with its response or error. */
function postStream(world: OpenAIWorld, key: "honest" | "trickle", signal?: AbortSignal): Promise<unknown> {
  return fetch(`${world.url}/v1/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${GOOD_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ model: model(key), prompt: "a b c", stream: true }),
    signal,
  }).then(
    async (response) => response.text(),
    (e: unknown) => e,
  );
}

describe("gateway/inference/openai: calls settled while their reservation lives", function () {
  this.timeout(60_000);

  it("MAX_CALL_MS stays below the settler's 15-minute stale-reservation age", function () {
    expect(MAX_CALL_MS).to.be.below(15 * 60_000);
  });

  describe("a call outliving maxCallMs", function () {
    let world: OpenAIWorld;
    before(async function () {
      world = await openaiWorld({ maxCallMs: SHORT_CALL_MS });
    });
    after(async function () {
      await world?.close();
    });

    it("streamed to a slow reader: settled at the cap with what was served, upstream aborted, stream ends with call_too_long", async function () {
      const stream = await world
        .client()
        .completions.create({ model: model("trickle"), prompt: LONG_PROMPT, stream: true });
      const chunks = stream[Symbol.asyncIterator]();
      let text = "";
      while (text === "") text += (await chunks.next()).value?.choices[0]?.text ?? "";
      // The client stops reading: the call must be settled anyway, before its reservation could go stale.
      const call = lastCall(world);
      await eventually(() => call.committed !== undefined || call.released, "the call was settled");
      expect(call.released, "committed with the text served, not released").to.equal(false);
      expect(call.committed?.completionTokens).to.be.at.least(1);
      await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its stream aborted");
      const error = await (async () => {
        for (;;) {
          const next = await chunks.next();
          if (next.done) return undefined;
          text += next.value.choices[0]?.text ?? "";
        }
      })().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(APIError);
      expect((error as APIError).code).to.equal("call_too_long");
      expect((error as APIError).message)
        .to.contain("exceeded its time")
        .and.contain("was charged");
      expect(text).to.not.contain("w59");
    });

    it("before the upstream answers (streamed or not): 504 call_too_long, released, upstream aborted", async function () {
      const client = world.client();
      for (const stream of [false, true]) {
        const seen = world.standIn.seen.length;
        const error = await client.chat.completions
          .create({ model: model("slow"), messages: ask("hi"), stream })
          .catch((e: unknown) => e);
        expect(error, `stream: ${stream}`).to.be.instanceOf(InternalServerError);
        expect((error as APIError).status).to.equal(504);
        expect((error as APIError).code).to.equal("call_too_long");
        expect((error as APIError).message).to.contain("not charged");
        expect(lastCall(world).released).to.equal(true);
        expect(world.standIn.seen.length).to.equal(seen + 1);
        await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its request aborted");
      }
    });
  });

  describe("clients and metering failing at the edges of a stream", function () {
    let world: OpenAIWorld;
    let begin: Metering["begin"];
    before(async function () {
      world = await openaiWorld();
      begin = world.metering.begin;
    });
    afterEach(function () {
      world.metering.begin = begin;
    });
    after(async function () {
      await world?.close();
    });

    it("a client leaving while metering begins its call: the upstream is not called, the call is released", async function () {
      world.metering.begin = async (request, callRequest) => {
        const call = await begin(request, callRequest);
        const socket = request.raw.socket;
        if (!socket.destroyed) await new Promise((resolve) => socket.once("close", resolve));
        return call;
      };
      const seen = world.standIn.seen.length;
      const calls = world.metering.calls.length;
      const leaving = new AbortController();
      const pending = postStream(world, "honest", leaving.signal);
      await eventually(() => world.metering.calls.length > calls, "metering began the call");
      leaving.abort();
      await pending;
      await eventually(() => lastCall(world).released, "the call was released");
      expect(lastCall(world).committed).to.equal(undefined);
      expect(world.standIn.seen.length, "upstream requests").to.equal(seen);
    });

    it("a commit failing at the end of a stream: the call is released, not left reserved", async function () {
      world.metering.begin = async (request, callRequest) => ({
        ...(await begin(request, callRequest)),
        commit: async () => {
          throw new Error("stand-in ledger failure");
        },
      });
      const stream = await world
        .client()
        .chat.completions.create({ model: model("honest"), messages: ask("x y"), stream: true });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).to.equal("Echo: x y");
      await eventually(() => lastCall(world).released, "the call was released");
      expect(lastCall(world).committed).to.equal(undefined);
    });
  });

  describe("a streamed body destroyed before its first read", function () {
    let world: OpenAIWorld;
    before(async function () {
      // As fastify does to the body of a client gone between the upstream's headers and the first write.
      world = await openaiWorld({ onStream: (stream) => stream.destroy() });
    });
    after(async function () {
      await world?.close();
    });

    it("releases the call and destroys the upstream answer", async function () {
      await postStream(world, "trickle");
      await eventually(() => world.metering.calls.length > 0 && lastCall(world).released, "the call was released");
      expect(lastCall(world).committed).to.equal(undefined);
      await eventually(() => world.standIn.seen.at(-1)!.aborted, "the stand-in saw its stream aborted");
    });
  });
});
