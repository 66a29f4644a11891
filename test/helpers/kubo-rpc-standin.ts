/**
 * A loopback STAND-IN for Kubo's HTTP RPC, not Kubo: no Kubo binary can run on this machine (none is installed and
 * there is no network to fetch one). It implements only the three endpoints `gateway/storage/kubo.ts` calls, as
 * Kubo documents them, backed by the embedded store:
 * - `POST /api/v0/add` (multipart, one file, streamed): only `cid-version=1`, `raw-leaves=true`,
 *   `chunker=size-1048576` are accepted (the embedded store imports with exactly those); answers NDJSON
 *   `{"Name","Hash","Size"}`; `pin=true` records the CID as pinned;
 * - `POST /api/v0/cat?arg=CID&offset=N&length=N`: the bytes;
 * - `POST /api/v0/files/stat?arg=/ipfs/CID`: `{"Hash","Size","CumulativeSize","Blocks","Type"}`.
 * Errors are Kubo's shape: status 500, `{"Message","Code":0,"Type":"error"}`. Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { openEmbeddedStore } from "../../gateway/storage/embedded.js";
import { ContentNotFoundError, type ContentStore } from "../../gateway/storage/store.js";

/** One request the stand-in saw. */
export interface SeenRequest {
  method: string;
  endpoint: string;
  params: Record<string, string>;
}

/** A running stand-in. */
export interface KuboStandIn {
  /** Base URL of its RPC API, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  seen: SeenRequest[];
  pinned: Set<string>;
  /** The store behind it. */
  store: ContentStore;
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

const REQUIRED_ADD_PARAMS: Record<string, string> = {
  "cid-version": "1",
  "raw-leaves": "true",
  chunker: "size-1048576",
};

/** Starts a stand-in on 127.0.0.1 (a free port) whose blocks live under `blocksDir`. */
export async function startKuboStandIn(blocksDir: string): Promise<KuboStandIn> {
  const store = await openEmbeddedStore(blocksDir);
  const seen: SeenRequest[] = [];
  const pinned = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const params = Object.fromEntries(url.searchParams);
    const endpoint = url.pathname.replace(/^\/api\/v0\//, "");
    seen.push({ method: req.method ?? "", endpoint, params });
    if (req.method !== "POST") return fail(res, 405, `${req.method} is not allowed; use POST`);
    if (endpoint === "add") {
      for (const [name, value] of Object.entries(REQUIRED_ADD_PARAMS)) {
        if (params[name] !== value) return fail(res, 400, `stand-in supports only ${name}=${value}`);
      }
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers["content-type"] ?? "");
      if (!boundary) return fail(res, 400, "expected multipart/form-data with a boundary");
      const content = { size: 0 };
      // One iterator for the part and the rest: leaving a for-await loop early would destroy the request.
      const body = (req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      const cid = await store.add(counted(filePart(body, boundary[1] ?? boundary[2]), content));
      while (!(await body.next()).done); // drain the closing boundary
      if (params.pin === "true") pinned.add(cid);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ Name: cid, Hash: cid, Size: String(content.size) }) + "\n");
      return;
    }
    if (endpoint === "cat") {
      const cid = params.arg ?? "";
      const offset = params.offset === undefined ? undefined : Number(params.offset);
      const length = params.length === undefined ? undefined : Number(params.length);
      const source = store.cat(cid, { offset, length })[Symbol.asyncIterator]();
      const first = await source.next(); // errors before the headers are sent
      res.writeHead(200, { "content-type": "text/plain", "x-stream-output": "1" });
      if (!first.done) res.write(first.value);
      for (let next = await source.next(); !next.done; next = await source.next()) {
        if (!res.write(next.value)) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
      return;
    }
    if (endpoint === "files/stat") {
      const cid = (params.arg ?? "").replace(/^\/ipfs\//, "");
      const size = await store.size(cid);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ Hash: cid, Size: size, CumulativeSize: size, Blocks: 0, Type: "file" }));
      return;
    }
    fail(res, 404, `404 page not found (stand-in implements add, cat and files/stat only, not ${endpoint})`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy(error as Error);
      if (error instanceof ContentNotFoundError)
        return fail(res, 500, `block was not found locally (offline): ${error.cid}`);
      fail(res, 500, (error as Error).message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    pinned,
    store,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ Message: message, Code: 0, Type: "error" }));
}

async function* counted(source: AsyncIterable<Uint8Array>, total: { size: number }): AsyncGenerator<Uint8Array> {
  for await (const piece of source) {
    total.size += piece.length;
    yield piece;
  }
}

/**
 * Streams the body of the first part of a multipart body, holding at most one read plus the delimiter's length.
 * Leaves the rest of the request unread.
 */
async function* filePart(body: AsyncIterator<Buffer>, boundary: string): AsyncGenerator<Uint8Array> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pending = Buffer.alloc(0);
  let inBody = false;
  for (let next = await body.next(); !next.done; next = await body.next()) {
    pending = Buffer.concat([pending, next.value]);
    if (!inBody) {
      const start = pending.indexOf(`--${boundary}\r\n`);
      const headersEnd = start < 0 ? -1 : pending.indexOf("\r\n\r\n", start);
      if (headersEnd < 0) continue;
      pending = pending.subarray(headersEnd + 4);
      inBody = true;
    }
    const end = pending.indexOf(delimiter);
    if (end >= 0) {
      if (end > 0) yield pending.subarray(0, end);
      return;
    }
    const keep = Math.min(pending.length, delimiter.length - 1);
    if (pending.length > keep) yield pending.subarray(0, pending.length - keep);
    pending = pending.subarray(pending.length - keep);
  }
  throw new Error("multipart body ended before its closing boundary");
}
