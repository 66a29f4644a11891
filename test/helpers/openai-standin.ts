/**
 * A loopback STAND-IN for an OpenAI-compatible inference server (vLLM, llama.cpp's server, Ollama...), not a model:
 * no LLM server or weights can be installed on this machine. It answers `POST /v1/chat/completions`, `/v1/completions`,
 * `/v1/embeddings` and `GET /v1/models` in OpenAI's format, streaming included, with honest `usage` where a token is a
 * whitespace-separated word: the answer is "Echo:" followed by the last prompt's words, cut at `max_tokens`.
 *
 * One server plays every behaviour, chosen by the first path segment of the base URL (`url(behaviour)`):
 * - `honest`: as above;
 * - `slow`: waits `delayMs` before answering and between streamed chunks;
 * - `drop-mid-stream`: destroys the socket after a few content chunks (or half a JSON body);
 * - `lying-usage`: reports `LYING_TOKENS` prompt and completion tokens;
 * - `error-500`: answers 500 with an OpenAI error;
 * - `no-usage`: never reports usage, even when a stream asks for it;
 * - `bad-request`: answers 400 with an OpenAI error (`CONTEXT_ERROR`), as for a prompt beyond the context length.
 * Every request is recorded, with whether the gateway aborted it before its answer was complete.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** How the stand-in misbehaves (see the module comment). */
export type StandInBehaviour =
  "honest" | "slow" | "drop-mid-stream" | "lying-usage" | "error-500" | "no-usage" | "bad-request";

/** Token counts the `lying-usage` behaviour reports. */
export const LYING_TOKENS = 1_000_000_000_000;
/** The message of the `bad-request` behaviour's error. */
export const CONTEXT_ERROR = "This model's maximum context length is 16 tokens; your prompt is longer.";
/** Dimensions of the stand-in's embeddings. */
export const EMBEDDING_DIMENSIONS = 8;

/** One request the stand-in saw. */
export interface SeenUpstreamRequest {
  behaviour: string;
  /** "chat/completions", "completions", "embeddings", "models". */
  endpoint: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The connection closed before the answer was complete. */
  aborted: boolean;
}

/** A running stand-in. */
export interface OpenAIStandIn {
  /** Base URL for `behaviour`, ending in /v1 (`delayMs` for `slow`, default 100). */
  url(behaviour: StandInBehaviour, delayMs?: number): string;
  seen: SeenUpstreamRequest[];
  /** Stops the server, cutting open connections. */
  close(): Promise<void>;
}

/** Tokens of a text as the stand-in counts them: whitespace-separated words. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter((w) => w !== "").length;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part) => (typeof part === "string" ? part : textOf(part?.text))).join(" ");
  return "";
}

/** The prompt's text and the answer's words, cut at the request's token limit. */
function answerFor(endpoint: string, body: Record<string, unknown>): { prompt: string; words: string[]; cut: boolean } {
  const prompts =
    endpoint === "chat/completions"
      ? ((body.messages as { content?: unknown }[] | undefined) ?? []).map((m) => textOf(m.content))
      : [textOf(Array.isArray(body.prompt) ? body.prompt : [body.prompt])];
  const prompt = prompts.join(" ");
  const all = ["Echo:", ...(prompts.at(-1) ?? "").split(/\s+/).filter((w) => w !== "")];
  const limit = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
  const words = limit === undefined ? all : all.slice(0, limit);
  return { prompt, words, cut: words.length < all.length };
}

function embedding(text: string): number[] {
  const digest = createHash("sha256").update(text).digest();
  return Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (digest[i] - 128) / 128);
}

/** Starts a stand-in on 127.0.0.1 (a free port). */
export async function startOpenAIStandIn(): Promise<OpenAIStandIn> {
  const seen: SeenUpstreamRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse, stop: AbortSignal): Promise<void> {
    const match = /^\/([a-z0-9-]+)(?:\/(\d+))?\/v1\/(chat\/completions|completions|embeddings|models)$/.exec(
      (req.url ?? "").split("?")[0],
    );
    if (match === null)
      return json(res, 404, { error: { message: `no route ${req.url}`, type: "invalid_request_error" } });
    const [, behaviour, delay, endpoint] = match;
    const delayMs = Number(delay ?? 100);
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body =
      parts.length === 0 ? {} : (JSON.parse(Buffer.concat(parts).toString("utf8")) as Record<string, unknown>);
    const record: SeenUpstreamRequest = { behaviour, endpoint, headers: req.headers, body, aborted: false };
    seen.push(record);
    res.on("close", () => {
      if (!res.writableFinished) record.aborted = true;
    });
    if (endpoint === "models") {
      return json(res, 200, { object: "list", data: [{ id: "stand-in", object: "model", created: 0, owned_by: "x" }] });
    }
    if (behaviour === "slow") await sleep(delayMs, undefined, { signal: stop });
    if (behaviour === "error-500")
      return json(res, 500, { error: { message: "stand-in failure", type: "server_error" } });
    if (behaviour === "bad-request") {
      return json(res, 400, { error: { message: CONTEXT_ERROR, type: "invalid_request_error", param: "messages" } });
    }
    const model = String(body.model);
    const created = 1_700_000_000;
    const id = `standin-${seen.length}`;
    const usageOf = (prompt: number, completion: number) =>
      behaviour === "no-usage"
        ? undefined
        : behaviour === "lying-usage"
          ? { prompt_tokens: LYING_TOKENS, completion_tokens: LYING_TOKENS, total_tokens: 2 * LYING_TOKENS }
          : { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };

    if (endpoint === "embeddings") {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      const texts = inputs.map((input) => (Array.isArray(input) ? input.join(" ") : String(input)));
      const tokens = texts.reduce((sum, t) => sum + countTokens(t), 0);
      const data = texts.map((t, index) => ({ object: "embedding", index, embedding: embedding(t) }));
      const usage = usageOf(tokens, 0);
      if (usage !== undefined) delete (usage as { completion_tokens?: number }).completion_tokens;
      return send(res, behaviour, { object: "list", data, model, usage });
    }

    const chat = endpoint === "chat/completions";
    const { prompt, words, cut } = answerFor(endpoint, body);
    const finish = cut ? "length" : "stop";
    if (body.stream !== true) {
      const text = words.join(" ");
      const choice = chat
        ? { index: 0, message: { role: "assistant", content: text }, finish_reason: finish, logprobs: null }
        : { index: 0, text, finish_reason: finish, logprobs: null };
      const object = chat ? "chat.completion" : "text_completion";
      const answer = {
        id,
        object,
        created,
        model,
        choices: [choice],
        usage: usageOf(countTokens(prompt), words.length),
      };
      return send(res, behaviour, answer);
    }

    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const object = chat ? "chat.completion.chunk" : "text_completion";
    const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object, created, model, choices: [choice], ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const events: string[] = [];
    if (chat) events.push(chunk({ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }));
    words.forEach((word, i) => {
      const text = i === 0 ? word : ` ${word}`;
      events.push(
        chunk(
          chat ? { index: 0, delta: { content: text }, finish_reason: null } : { index: 0, text, finish_reason: null },
        ),
      );
    });
    events.push(
      chunk(chat ? { index: 0, delta: {}, finish_reason: finish } : { index: 0, text: "", finish_reason: finish }),
    );
    const usage = usageOf(countTokens(prompt), words.length);
    if (includeUsage && usage !== undefined) {
      events.push(`data: ${JSON.stringify({ id, object, created, model, choices: [], usage })}\n\n`);
    }
    events.push("data: [DONE]\n\n");
    let content = 0;
    for (const event of events) {
      if (behaviour === "slow") await sleep(delayMs, undefined, { signal: stop });
      // Each event is flushed before the next (a drop must not discard what was written before it).
      await new Promise<void>((resolve, reject) => res.write(event, (error) => (error ? reject(error) : resolve())));
      if (event.includes('"content":"') || event.includes('"text":"')) content += 1;
      if (behaviour === "drop-mid-stream" && content >= 3) {
        res.socket?.destroy();
        return;
      }
    }
    res.end();
  }

  const server = createServer((req, res) => {
    const stop = new AbortController();
    res.on("close", () => stop.abort());
    handle(req, res, stop.signal).catch((error: Error) => {
      if (stop.signal.aborted) return;
      if (!res.headersSent) json(res, 500, { error: { message: error.message, type: "server_error" } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (behaviour, delayMs) =>
      `http://127.0.0.1:${port}/${behaviour}${behaviour === "slow" ? `/${delayMs ?? 100}` : ""}/v1`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** A JSON answer, or for `drop-mid-stream` half of one before the socket is destroyed. */
function send(res: ServerResponse, behaviour: string, body: unknown): void {
  if (behaviour !== "drop-mid-stream") return json(res, 200, body);
  const text = JSON.stringify(body);
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
}
