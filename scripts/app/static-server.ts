/**
 * The app's static server for `npm run app` and the browser tests: `app/dist` plus a generated `config.json`, on
 * 127.0.0.1 (node:http). GET and HEAD only; paths that could leave the directory (`..` or `.` segments in any
 * encoding, NUL, backslashes, bad percent-encoding) are refused with 400 before the disk is touched, and a missing
 * file is 404; both as RFC 9457 problem+json. Routes are hash routes (`#/models/1`), so no fallback to index.html.
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";

/** A listening static server. */
export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/** The content type a file's extension names (application/octet-stream when unknown). */
export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

function problem(res: ServerResponse, status: number, title: string, detail: string, instance: string): void {
  const body = JSON.stringify({ type: "about:blank", title, status, detail, instance });
  res.writeHead(status, {
    "Content-Type": "application/problem+json",
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
    ...(status === 405 ? { Allow: "GET, HEAD" } : {}),
  });
  res.end(body);
}

/**
 * The request path as segments under the root, or a reason it is refused. Checked on the raw path, before any URL
 * normalisation could resolve `..` away.
 */
export function safeSegments(rawUrl: string): { segments: string[] } | { refused: string } {
  const rawPath = rawUrl.split(/[?#]/, 1)[0];
  if (!rawPath.startsWith("/")) return { refused: "the path must start with /" };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { refused: "the path is not valid percent-encoding" };
  }
  if (decoded.includes("\0")) return { refused: "the path contains a NUL byte" };
  if (decoded.includes("\\")) return { refused: "the path contains a backslash" };
  const segments = decoded.split("/").slice(1);
  if (segments.some((s) => s === ".." || s === ".")) return { refused: "the path contains a . or .. segment" };
  if (segments.slice(0, -1).some((s) => s === "")) return { refused: "the path contains an empty segment" };
  return { segments: segments.filter((s) => s !== "") };
}

/** Serves `dir` (an absolute path) and `config` as /config.json on 127.0.0.1:`port` (0: any free port). */
export async function serveApp(options: { dir: string; config: unknown; port?: number }): Promise<StaticServer> {
  const root = await realpath(options.dir);
  const config = `${JSON.stringify(options.config, null, 2)}\n`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const instance = (req.url ?? "/").split(/[?#]/, 1)[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      return problem(res, 405, "Method Not Allowed", `${req.method} is not served; use GET or HEAD`, instance);
    }
    const checked = safeSegments(req.url ?? "/");
    if ("refused" in checked) return problem(res, 400, "Bad Request", checked.refused, instance);
    const relative = checked.segments.length === 0 ? "index.html" : checked.segments.join("/");
    if (relative === "config.json") {
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(config),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      return void res.end(req.method === "HEAD" ? undefined : config);
    }
    const file = path.resolve(root, relative);
    const notFound = () => problem(res, 404, "Not Found", `the app has no file /${relative}`, instance);
    if (!file.startsWith(root + path.sep)) return notFound();
    let real: string;
    try {
      real = await realpath(file);
      if (!real.startsWith(root + path.sep) || !(await stat(real)).isFile()) return notFound();
    } catch {
      return notFound();
    }
    const size = (await stat(real)).size;
    res.writeHead(200, {
      "Content-Type": contentType(real),
      "Content-Length": size,
      // Vite names what is under assets/ by content hash; everything else may change between builds.
      "Cache-Control": relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    if (req.method === "HEAD") return void res.end();
    createReadStream(real)
      .on("error", () => res.destroy())
      .pipe(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (res.headersSent) res.destroy();
      else problem(res, 500, "Internal Server Error", error.message, req.url ?? "/");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
