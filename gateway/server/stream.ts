/**
 * Response bodies: a model file decrypted on the fly (only the chunks the range needs are read from the store), with
 * the licence re-checked against the current block before every chunk leaves, and raw store content for /ipfs. Every
 * body is tracked so that shutdown can let it finish, then cut it cleanly.
 */
import { Readable } from "node:stream";

import { decryptRange, TAG_LENGTH } from "../encryption/chunks.ts";
import { SequentialReader } from "../encryption/sequential-reader.ts";
import type { ManifestFile } from "../publish/manifest.ts";
import type { ContentStore } from "../storage/store.ts";
import type { GatewayContext } from "./context.ts";
import type { GatewayMetrics } from "./metrics.ts";
import { HttpProblem } from "./problem.ts";

/** Access was lost while a download was in flight. */
export class AccessLostError extends Error {
  /** @param modelId the model; @param account who lost access; @param block where the chain said so. */
  constructor(modelId: bigint, account: string, block: number) {
    super(`access of ${account} to model #${modelId} ended at block ${block}: stream cut`);
    this.name = "AccessLostError";
  }
}

/**
 * Downloads one client may have in flight at once (per signed-in account, or per address for /ipfs): a client that
 * opens downloads and never reads them holds a socket and a few chunks each, so their number is bounded.
 */
export const MAX_STREAMS_PER_CLIENT = 16;

/** The bodies being streamed, for metrics, per-client limits and shutdown. */
export class StreamTracker {
  private readonly streams = new Set<Readable>();
  private readonly perClient = new Map<string, number>();
  private readonly metrics: GatewayMetrics;
  private readonly maxPerClient: number;

  /** @param metrics the active-streams gauge and cut counter; @param maxPerClient downloads in flight per client. */
  constructor(metrics: GatewayMetrics, maxPerClient: number = MAX_STREAMS_PER_CLIENT) {
    this.metrics = metrics;
    this.maxPerClient = maxPerClient;
  }

  /** Refuses (429 problem) a new download for `client` when it already has `maxPerClient` in flight. */
  admit(client: string): void {
    if ((this.perClient.get(client) ?? 0) < this.maxPerClient) return;
    throw new HttpProblem({
      status: 429,
      title: "Too many downloads at once",
      kind: "too-many-downloads",
      detail: `at most ${this.maxPerClient} downloads at a time per account (or address); finish one, then retry`,
      headers: { "Retry-After": "5" },
    });
  }

  /** How many bodies are in flight. */
  get size(): number {
    return this.streams.size;
  }

  /** Tracks `stream` (a download of `client`'s, when given) until it closes. */
  track(stream: Readable, client?: string): Readable {
    this.streams.add(stream);
    this.metrics.activeStreams.inc();
    if (client !== undefined) this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    stream.once("close", () => {
      this.streams.delete(stream);
      this.metrics.activeStreams.dec();
      if (client === undefined) return;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left === 0) this.perClient.delete(client);
      else this.perClient.set(client, left);
    });
    return stream;
  }

  /** Resolves when no body is in flight, or after `ms`, whichever comes first. */
  async drained(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.streams.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return this.streams.size === 0;
  }

  /** Cuts every body still in flight (its connection is closed; the client sees a truncated response). */
  cutAll(reason: string): number {
    const count = this.streams.size;
    for (const stream of this.streams) {
      this.metrics.streamsCut.inc({ reason });
      stream.destroy(new Error(`stream cut: ${reason}`));
    }
    return count;
  }
}

/**
 * The ciphertext reader for plaintext `start..end` of `file`: one `cat` of the span of chunks the range needs,
 * answered chunk by chunk in order (the store reads each block once and only as the response drains).
 */
export function spanReader(store: ContentStore, file: ManifestFile, chunkSize: number, start: number, end: number) {
  const sealed = chunkSize + TAG_LENGTH;
  const spanStart = Math.floor(start / chunkSize) * sealed;
  const spanEnd = Math.min((Math.floor(end / chunkSize) + 1) * sealed, file.ciphertextSize);
  const reader = new SequentialReader(
    store.cat(file.cid, { offset: spanStart, length: spanEnd - spanStart }),
    `${file.path} (${file.cid})`,
  );
  return {
    read: (offset: number, length: number) => reader.read(offset - spanStart, length),
    close: () => reader.close(),
  };
}

/** What to decrypt and for whom. */
export interface PlaintextRequest {
  modelId: bigint;
  account: string;
  key: Uint8Array;
  chunkSize: number;
  file: ManifestFile;
  start: number;
  end: number;
}

/**
 * Plaintext bytes `start..end` of `file`, decrypted chunk by chunk; before each chunk is sent, access is checked at
 * the current block (cached per block), and the stream errors with `AccessLostError` as soon as it is refused.
 */
export function plaintextStream(ctx: GatewayContext, r: PlaintextRequest): Readable {
  const header = { fileId: Buffer.from(r.file.fileId, "hex"), size: r.file.size, chunkSize: r.chunkSize };
  async function* guarded(): AsyncGenerator<Buffer> {
    if (r.file.size === 0) return;
    const ciphertext = spanReader(ctx.store, r.file, r.chunkSize, r.start, r.end);
    try {
      for await (const piece of decryptRange(r.key, header, ciphertext.read, r.start, r.end)) {
        const { granted, block } = await ctx.access.check(r.modelId, r.account);
        if (!granted) {
          ctx.metrics.streamsCut.inc({ reason: "access-lost" });
          throw new AccessLostError(r.modelId, r.account, block);
        }
        ctx.metrics.bytesServed.inc({ kind: "plaintext" }, piece.length);
        yield piece;
      }
    } finally {
      await ciphertext.close();
    }
  }
  // Two chunks buffered ahead: the next chunk is read and decrypted while the socket sends the last one.
  const body = Readable.from(guarded(), { objectMode: false, highWaterMark: 2 * r.chunkSize });
  return ctx.streams.track(body, accountClient(r.account));
}

/** Raw bytes `start..end` of store content `cid` (public ciphertext). */
export function ciphertextStream(
  ctx: GatewayContext,
  cid: string,
  start: number,
  end: number,
  client?: string,
): Readable {
  const metrics = ctx.metrics;
  async function* counted(): AsyncGenerator<Uint8Array> {
    // One read of the whole range: every store's cat holds bounded memory whatever the consumer's pace.
    for await (const part of ctx.store.cat(cid, { offset: start, length: end - start + 1 })) {
      metrics.bytesServed.inc({ kind: "ciphertext" }, part.length);
      yield part;
    }
  }
  return ctx.streams.track(Readable.from(counted(), { objectMode: false, highWaterMark: 1 }), client);
}

/** The per-client stream key of a signed-in account. */
export function accountClient(account: string): string {
  return `account:${account.toLowerCase()}`;
}

/** The per-client stream key of an address (downloads without sign-in). */
export function addressClient(ip: string): string {
  return `ip:${ip}`;
}
