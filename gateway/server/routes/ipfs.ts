/**
 * `HEAD` / `GET /ipfs/:cid`: raw content from the gateway's store (ciphertext, manifests, metadata are public by
 * design: without a content key the model files are noise), with `Range`, so a licensee can fetch ciphertext and
 * decrypt it with a released key. No sign-in needed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CID } from "multiformats/cid";

import { ContentNotFoundError } from "../../storage/store.ts";
import type { GatewayContext } from "../context.ts";
import { HttpProblem } from "../problem.ts";
import { parseRange } from "../range.ts";
import { addressClient, ciphertextStream } from "../stream.ts";
import { storageUnavailable } from "../versions.ts";

/** Registers the /ipfs/:cid routes. */
export function ipfsRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const handle = async (request: FastifyRequest<{ Params: { cid: string } }>, reply: FastifyReply, body: boolean) => {
    const { cid } = request.params;
    try {
      if (cid.length > 200) throw new Error("too long");
      CID.parse(cid);
    } catch {
      throw new HttpProblem({
        status: 400,
        title: "Bad CID",
        kind: "bad-cid",
        detail: "the path does not hold a valid CID",
      });
    }
    if (body) ctx.streams.admit(addressClient(request.ip));
    let size: number;
    try {
      size = await ctx.store.size(cid);
    } catch (error) {
      if (error instanceof ContentNotFoundError) {
        throw new HttpProblem({
          status: 404,
          title: "Not found",
          kind: "content-not-found",
          detail: `no content ${cid} in this gateway's store`,
        });
      }
      throw storageUnavailable();
    }
    const range = parseRange(request.headers.range, size);
    const { start, end } = range ?? { start: 0, end: size - 1 };
    reply.headers({
      "Content-Type": "application/octet-stream",
      ETag: `"${cid}"`,
      "Accept-Ranges": "bytes",
      "Cache-Control": "public, max-age=31536000, immutable",
      "Content-Length": String(size === 0 ? 0 : end - start + 1),
    });
    if (range !== undefined) reply.code(206).header("Content-Range", `bytes ${start}-${end}/${size}`);
    if (!body) return reply.send();
    if (size === 0) return reply.send(Buffer.alloc(0));
    return reply.send(ciphertextStream(ctx, cid, start, end, addressClient(request.ip)));
  };
  app.head<{ Params: { cid: string } }>("/ipfs/:cid", (req, reply) => handle(req, reply, false));
  app.get<{ Params: { cid: string } }>("/ipfs/:cid", (req, reply) => handle(req, reply, true));
}
