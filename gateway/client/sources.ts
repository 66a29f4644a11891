/**
 * Where the client reads ciphertext from, by CID: the gateway's own `GET /ipfs/<cid>`, any IPFS HTTP gateway
 * (`<url>/ipfs/<cid>`), or a `ContentStore` (the embedded blockstore, a Kubo node). Each file is read as one
 * sequential stream, cut into the chunks the decryptor asks for in order: one request per file, constant memory.
 * Nothing read here is trusted: chunks are authenticated by the cipher, sizes and hashes by the manifest.
 */
import type { ContentStore } from "../storage/store.ts";
import { checkResponse, type Fetch, gatewayBase, gatewayPath, send } from "./http.ts";

/** A file's bytes as a stream, with the size the source announces (when it does). */
export interface OpenedContent {
  size?: number;
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** Something that streams content by CID. */
export interface CiphertextSource {
  /** For messages: "gateway http://…", "IPFS gateway https://…", the store's description. */
  readonly description: string;
  /** Opens content `cid` from its first byte. */
  open(cid: string): Promise<OpenedContent>;
}

/** Content served over HTTP at `<base>/ipfs/<cid>` (the Weightshare gateway with a token, or any IPFS gateway). */
export function httpSource(
  url: string | URL,
  options: { token?: string; fetch?: Fetch; description?: string } = {},
): CiphertextSource {
  const base = gatewayBase(url);
  const fetchImpl = options.fetch ?? fetch;
  return {
    description: options.description ?? `IPFS over HTTP at ${base.href}`,
    async open(cid) {
      if (!/^[A-Za-z0-9]+$/.test(cid)) throw new TypeError(`"${cid.slice(0, 100)}" is not a CID`);
      const target = gatewayPath(base, `ipfs/${cid}`);
      const headers: Record<string, string> = { accept: "application/octet-stream" };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      const response = await checkResponse(await send(fetchImpl, target, { headers }), target);
      const length = response.headers.get("content-length");
      const body = response.body ?? emptyBody();
      return {
        ...(length !== null && /^\d+$/.test(length) ? { size: Number(length) } : {}),
        body: body as unknown as AsyncIterable<Uint8Array>,
      };
    },
  };
}

/** Bytes read from a store per `cat` call by `storeSource`. */
export const STORE_WINDOW = 4 * 1024 * 1024;

/**
 * Content read from a `ContentStore` (embedded blockstore or an IPFS node's RPC), `STORE_WINDOW` bytes per `cat`
 * call: the UnixFS exporter reads a file's blocks ahead of its consumer without bound, so one `cat` of a whole
 * multi-GB file would hold most of it in memory when decryption is slower than the disk.
 */
export function storeSource(store: ContentStore): CiphertextSource {
  return {
    description: store.description,
    async open(cid) {
      const size = await store.size(cid);
      async function* windows(): AsyncGenerator<Uint8Array> {
        for (let offset = 0; offset < size; offset += STORE_WINDOW) {
          yield* store.cat(cid, { offset, length: Math.min(STORE_WINDOW, size - offset) });
        }
      }
      return { size, body: windows() };
    },
  };
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/**
 * Serves `read(offset, length)` calls that come in order (each starting where the last ended) from one stream,
 * keeping at most one requested chunk plus one network piece in memory. `end()` fails when bytes are left over.
 */
export class SequentialReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private position = 0;
  private done = false;
  private readonly what: string;

  /** @param body the stream (or a list of pieces); @param what names it in errors. */
  constructor(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, what: string) {
    this.what = what;
    this.iterator =
      Symbol.asyncIterator in body
        ? body[Symbol.asyncIterator]()
        : (async function* () {
            yield* body;
          })();
  }

  /** Bytes handed out so far. */
  get consumed(): number {
    return this.position;
  }

  /** `length` bytes at `offset` (which must be where the previous read ended); fewer only at the stream's end. */
  readonly read = async (offset: number, length: number): Promise<Uint8Array> => {
    if (offset !== this.position) {
      throw new Error(`${this.what}: out-of-order read at ${offset}, the stream is at ${this.position}`);
    }
    while (this.pendingLength < length && !this.done) await this.pull();
    const take = Math.min(length, this.pendingLength);
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLength);
    const out = all.subarray(0, take);
    const rest = all.subarray(take);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    this.position += take;
    return out;
  };

  /** Throws when the stream holds bytes beyond what was read. */
  async end(): Promise<void> {
    while (this.pendingLength === 0 && !this.done) await this.pull();
    if (this.pendingLength > 0) {
      throw new Error(`${this.what}: more bytes than expected after ${this.position} (ciphertext extended)`);
    }
  }

  /** Stops reading (closes an HTTP body). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.().catch(() => undefined);
    }
  }

  private async pull(): Promise<void> {
    const next = await this.iterator.next();
    if (next.done === true) {
      this.done = true;
      return;
    }
    if (next.value.length === 0) return;
    const piece = Buffer.isBuffer(next.value)
      ? next.value
      : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
    this.pending.push(piece);
    this.pendingLength += piece.length;
  }
}
