/**
 * `HEAD` and `GET /:org/:name/resolve/:rev/*`: a model file, decrypted on the fly, with the headers Hugging Face
 * clients rely on (`X-Repo-Commit`, `ETag` = `"<sha256>"` and `X-Linked-Etag`, `X-Linked-Size`, the real
 * `Content-Length`, `Accept-Ranges: bytes`) and single `Range` requests (206 + `Content-Range`; 416 otherwise).
 * Only the chunks the range spans are read from the store, and access is re-checked before every chunk is sent.
 */
import path from "node:path";

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { GatewayContext } from "../context.ts";
import { checkFilePath } from "../paths.ts";
import { parseRange, type ByteRange } from "../range.ts";
import { accountClient, plaintextStream } from "../stream.ts";
import { contentKey } from "../versions.ts";
import { findFile, openRepo } from "./repo.ts";

interface ResolveParams {
  org: string;
  name: string;
  rev: string;
  "*": string;
}

/** `Content-Disposition` for `file`: its base name, percent-encoded (RFC 6266 / 8187). */
function disposition(file: string): string {
  const base = path.posix.basename(file);
  const ascii = base.replace(/[^A-Za-z0-9._-]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

/** Registers HEAD and GET on resolve URLs. */
export function hfResolveRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const handle = async (request: FastifyRequest<{ Params: ResolveParams }>, reply: FastifyReply, body: boolean) => {
    const p = request.params;
    const repo = await openRepo(ctx, request, p.org, p.name, p.rev);
    const file = findFile(repo, checkFilePath(p["*"]));
    if (body) ctx.streams.admit(accountClient(repo.subject.address));
    const etag = `"${file.sha256}"`;
    reply.headers({
      "X-Repo-Commit": repo.version.commit,
      ETag: etag,
      "X-Linked-Etag": etag,
      "X-Linked-Size": String(file.size),
      "Accept-Ranges": "bytes",
      "Content-Type": "application/octet-stream",
      "Content-Disposition": disposition(file.path),
      "Cache-Control": "private, max-age=0, must-revalidate",
      Vary: "Authorization, Range",
    });
    const ifRange = request.headers["if-range"];
    const rangeHeader = ifRange === undefined || ifRange === etag ? request.headers.range : undefined;
    if (file.size === 0) {
      // No byte range of an empty file is satisfiable, yet `@huggingface/hub` probes every file with
      // `Range: bytes=0-0` and reads the size from Content-Range: answer the whole (empty) file, with its size.
      if (rangeHeader !== undefined) reply.header("Content-Range", "bytes */0");
      return reply.header("Content-Length", "0").send(body ? Buffer.alloc(0) : undefined);
    }
    const range: ByteRange | undefined = parseRange(rangeHeader, file.size);
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    const length = end - start + 1;
    reply.header("Content-Length", String(length));
    if (range !== undefined) {
      reply.code(206).header("Content-Range", `bytes ${start}-${end}/${file.size}`);
    }
    if (!body) return reply.send();
    request.log.info(
      { modelId: repo.modelId.toString(), version: repo.version.version, file: file.path, start, end },
      "download",
    );
    const stream = plaintextStream(ctx, {
      modelId: repo.modelId,
      account: repo.subject.address,
      key: contentKey(ctx, repo.version),
      chunkSize: repo.manifest.chunkSize,
      file,
      start,
      end,
    });
    stream.once("error", (error) => request.log.warn({ reason: error.message }, "download cut"));
    return reply.send(stream);
  };
  app.head<{ Params: ResolveParams }>("/:org/:name/resolve/:rev/*", (req, reply) => handle(req, reply, false));
  app.get<{ Params: ResolveParams }>("/:org/:name/resolve/:rev/*", (req, reply) => handle(req, reply, true));
}
