/**
 * CORS for the web app: pages from the configured origins (`WEIGHTSHARE_GATEWAY_CORS_ORIGINS`, exact matches only)
 * may sign in and download with `Authorization: Bearer`. A preflight from such an origin is answered 204 before
 * routing; every response to it (errors included, so a page can read the problem+json detail) carries
 * `Access-Control-Allow-Origin: <that origin>` and the headers a download needs exposed. Other origins get no CORS
 * header at all, and credentials (cookies) are never allowed: the bearer token is the only credential.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Methods a browser page may use. */
export const CORS_METHODS = "GET, HEAD, POST";
/** Request headers a browser page may send. */
export const CORS_ALLOW_HEADERS = "authorization, content-type, range";
/** Response headers a browser page may read. */
export const CORS_EXPOSE_HEADERS = "content-length, content-range, etag, x-repo-commit";
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = "600";

function allowedOrigin(request: FastifyRequest, origins: ReadonlySet<string>): string | undefined {
  const origin = request.headers.origin;
  return typeof origin === "string" && origins.has(origin) ? origin : undefined;
}

/** Adds `Origin` to the reply's `Vary` header, keeping what a route set. */
function varyOnOrigin(reply: FastifyReply): void {
  const current = reply.getHeader("vary");
  const names = (typeof current === "string" ? current.split(",") : []).map((v) => v.trim()).filter(Boolean);
  if (!names.some((n) => n.toLowerCase() === "origin" || n === "*")) names.push("Origin");
  reply.header("Vary", names.join(", "));
}

/** Installs the preflight answer and the response headers; does nothing when `origins` is empty. */
export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.addHook("onRequest", async (request, reply) => {
    const origin = allowedOrigin(request, allowed);
    if (origin === undefined || request.method !== "OPTIONS") return;
    if (request.headers["access-control-request-method"] === undefined) return;
    reply
      .code(204)
      .header("Access-Control-Allow-Methods", CORS_METHODS)
      .header("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS)
      .header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE)
      .header("Cache-Control", "no-store");
    return reply.send();
  });
  app.addHook("onSend", async (request, reply, payload) => {
    varyOnOrigin(reply);
    const origin = allowedOrigin(request, allowed);
    if (origin !== undefined) {
      reply.header("Access-Control-Allow-Origin", origin);
      reply.header("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
    }
    return payload;
  });
}
