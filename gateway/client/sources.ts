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

/**
 * Content read from a `ContentStore` (embedded blockstore or an IPFS node's RPC), one `cat` per file: a store's
 * `cat` holds bounded memory whatever the consumer's pace (see `ContentStore.cat`).
 */
export function storeSource(store: ContentStore): CiphertextSource {
  return {
    description: store.description,
    async open(cid) {
      const size = await store.size(cid);
      return { size, body: store.cat(cid) };
    },
  };
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
