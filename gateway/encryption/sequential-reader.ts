/**
 * Ciphertext read in order from one stream, for `decryptRange` / `decryptFile`: the decryptor asks for chunk after
 * chunk, and one sequential source (an HTTP body, a store's `cat` of the whole span) answers them all. Used by the
 * client (`fetchModel`) and by the gateway's downloads.
 */
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
