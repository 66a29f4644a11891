/**
 * Where ciphertext, manifests and metadata live: IPFS, addressed by CID. Two implementations share this interface:
 * the embedded store (`embedded.ts`: `@helia/unixfs` over an on-disk `blockstore-fs` under the data directory, no
 * networking, the default) and an existing IPFS node or pinning service through its HTTP RPC (`kubo.ts`, chosen when
 * `IPFS_API_URL` is set). Both import with the same parameters (CIDv1, raw leaves, 1 MiB chunks), so the same bytes
 * get the same CID in either.
 */
export interface ContentStore {
  /** Human-readable description for logs and task output, e.g. "embedded IPFS blockstore at data/blocks". */
  readonly description: string;
  /** Adds the bytes of `content` (streamed, constant memory) as one UnixFS file; returns its CID (v1, base32). */
  add(content: AsyncIterable<Uint8Array> | Uint8Array): Promise<string>;
  /**
   * Streams `length` bytes of the file `cid` from `offset` (whole file when both omitted), reading only as the
   * consumer pulls: memory stays bounded (a block or a few) however large the range and however slow the consumer.
   */
  cat(cid: string, options?: { offset?: number; length?: number }): AsyncIterable<Uint8Array>;
  /** The file's size in bytes, or throws `ContentNotFoundError`. */
  size(cid: string): Promise<number>;
  /** Whether the store holds the file. */
  has(cid: string): Promise<boolean>;
  /** Releases files and connections. */
  close(): Promise<void>;
}

/** The store does not hold `cid` (or it is not a UnixFS file). */
export class ContentNotFoundError extends Error {
  /** @param cid the missing content. */
  readonly cid: string;

  constructor(cid: string) {
    super(`content ${cid} is not in the store`);
    this.name = "ContentNotFoundError";
    this.cid = cid;
  }
}

/** `has` from a store's stat: true when it answers, false on `ContentNotFoundError`, other errors thrown. */
export async function holds(stat: (cid: string) => Promise<unknown>, cid: string): Promise<boolean> {
  try {
    await stat(cid);
    return true;
  } catch (error) {
    if (error instanceof ContentNotFoundError) return false;
    throw error;
  }
}
