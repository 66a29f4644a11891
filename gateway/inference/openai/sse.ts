/**
 * Server-sent events from an upstream, parsed as they arrive (the WHATWG event-stream format: `field: value` lines,
 * events separated by a blank line, `:` comments) so that the relay can read each chunk's `usage` and forward events
 * one by one without buffering the stream.
 */

/** One event of an event stream. */
export interface SseEvent {
  /** The `event:` field, when set. */
  event?: string;
  /** The `data:` lines joined by "\n" (undefined for an event with no data, e.g. a comment). */
  data?: string;
  /** Comment lines (without their leading ':'), e.g. keep-alives. */
  comments: string[];
}

/** Largest event accepted (an upstream that never ends an event is cut, not buffered without bound). */
export const MAX_SSE_EVENT_CHARS = 1024 * 1024;

/** The event stream is malformed (an event beyond `MAX_SSE_EVENT_CHARS`). */
export class SseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SseError";
  }
}

/** Incremental event-stream parser: feed it bytes, get whole events. */
export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private buffer = "";

  /** The events completed by `bytes` (none until a blank line ends one). */
  push(bytes: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    const events: SseEvent[] = [];
    for (;;) {
      const end = /\r\n\r\n|\n\n|\r\r/.exec(this.buffer);
      if (end === null) break;
      const block = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      const event = parseBlock(block);
      if (event !== undefined) events.push(event);
    }
    if (this.buffer.length > MAX_SSE_EVENT_CHARS) {
      throw new SseError(`an event exceeds ${MAX_SSE_EVENT_CHARS} characters`);
    }
    return events;
  }

  /** Whether bytes of an unfinished event remain (the stream ended mid-event). */
  get pending(): boolean {
    return this.buffer.trim() !== "";
  }
}

function parseBlock(block: string): SseEvent | undefined {
  const event: SseEvent = { comments: [] };
  const data: string[] = [];
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line.startsWith(":")) {
      event.comments.push(line.slice(1));
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event.event = value;
  }
  if (data.length > 0) event.data = data.join("\n");
  return event.data === undefined && event.comments.length === 0 ? undefined : event;
}

/** An event as it is written to the client. */
export function formatEvent(event: SseEvent): string {
  let text = event.comments.map((c) => `:${c}\n`).join("");
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  if (event.data !== undefined)
    text += event.data
      .split("\n")
      .map((line) => `data: ${line}\n`)
      .join("");
  return `${text}\n`;
}

/**
 * Chunks of generated output in a streamed completion chunk: one per choice whose delta carries text, reasoning or
 * tool calls (chat), or whose `text` is not empty (completions).
 */
export function generatedChoices(chunk: unknown): number {
  const choices = (chunk as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return 0;
  let count = 0;
  for (const choice of choices as Record<string, unknown>[]) {
    const delta = (choice?.delta ?? {}) as Record<string, unknown>;
    const has = (v: unknown) => (typeof v === "string" && v !== "") || (Array.isArray(v) && v.length > 0);
    if (has(choice?.text) || has(delta.content) || has(delta.reasoning_content) || has(delta.tool_calls)) count += 1;
  }
  return count;
}
