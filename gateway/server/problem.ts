/**
 * RFC 9457 problem details for every error the gateway answers with: `application/problem+json` bodies
 * {type, title, status, detail, instance}, plus the headers a client acts on (Hugging Face's `X-Error-Code`,
 * `Retry-After`, `Content-Range`, `WWW-Authenticate`). Fastify's own errors (bad JSON, body too large, bad URL) and
 * connection-level errors (oversized headers: 431) go through here too, so nothing answers with a stack trace, a
 * file path or key material: a detail is written by the gateway for the client, never copied from an exception.
 */
import type { Socket } from "node:net";

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Media type of every error body. */
export const PROBLEM_TYPE = "application/problem+json";
/**
 * Base of the `type` URIs: a stable name per kind of problem. A tag URI (RFC 4151), as RFC 9457 suggests for types
 * that are identifiers rather than documentation pages: it names no web site the project does not control.
 */
export const PROBLEM_BASE = "tag:weightshare.org,2026:problem/";

/** What a refusal tells the client. */
export interface ProblemInit {
  /** HTTP status. */
  status: number;
  /** Short, stable title of the kind of problem ("Licence required"). */
  title: string;
  /** What happened to this request and what to do about it. */
  detail: string;
  /** The last part of the `type` URI ("licence-required"); default from the status. */
  kind?: string;
  /** Headers to send with it (`X-Error-Code`, `Retry-After`...). */
  headers?: Record<string, string>;
  /** Extra members of the body (RFC 9457 extensions), e.g. `{ modelId }`. */
  extensions?: Record<string, unknown>;
}

/** An error the gateway answers as problem+json. Throw it from a handler. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly kind: string;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  /** @param init status, title, detail and headers of the answer. */
  constructor(init: ProblemInit) {
    super(`${init.status} ${init.title}: ${init.detail}`);
    this.name = "HttpProblem";
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.kind = init.kind ?? kindFor(init.status);
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }
}

const TITLES: Record<number, [kind: string, title: string]> = {
  400: ["bad-request", "Bad request"],
  401: ["unauthorized", "Sign-in required"],
  403: ["forbidden", "Forbidden"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  406: ["not-acceptable", "Not acceptable"],
  408: ["request-timeout", "Request timeout"],
  413: ["payload-too-large", "Request body too large"],
  415: ["unsupported-media-type", "Unsupported media type"],
  416: ["range-not-satisfiable", "Range not satisfiable"],
  429: ["rate-limited", "Too many requests"],
  431: ["header-too-large", "Request header fields too large"],
  500: ["internal", "Internal error"],
  502: ["bad-gateway", "Storage unavailable"],
  503: ["unavailable", "Service unavailable"],
};

function kindFor(status: number): string {
  return TITLES[status]?.[0] ?? `http-${status}`;
}

/** The JSON body of a problem, for `request.url` as its instance. */
export function problemBody(problem: HttpProblem, instance: string): Record<string, unknown> {
  return {
    type: PROBLEM_BASE + problem.kind,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
    ...problem.extensions,
  };
}

/** Sends `problem` as the reply, replacing any body a handler may have started. */
export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  // Headers a handler set for a body it will not send go (a 416 must not keep the file's ETag or length).
  for (const name of [
    "content-length",
    "content-range",
    "content-disposition",
    "etag",
    "x-linked-etag",
    "x-linked-size",
  ]) {
    reply.removeHeader(name);
  }
  reply.code(problem.status).headers(problem.headers).header("content-type", PROBLEM_TYPE);
  // The instance is the request path without its query (a query may carry anything the client typed).
  const instance = reply.request.url.split("?")[0];
  // A Buffer, so that fastify sends the media type as set (no charset parameter: JSON is UTF-8 by definition).
  return reply.send(Buffer.from(JSON.stringify(problemBody(problem, safeInstance(instance)))));
}

/** The request path as an instance URI: percent-encoded printable ASCII only, at most 512 characters. */
function safeInstance(path: string): string {
  const clean = path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)).slice(0, 512);
  return clean.startsWith("/") ? clean : "/";
}

/**
 * Maps any error to a problem: an `HttpProblem` as it is; a fastify error with a 4xx status to a problem with a
 * detail of our own for the common ones (bad JSON, body too large, bad URL, unsupported media type); anything else to
 * a 500 without details (it is logged by the caller).
 */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const e = error as Partial<FastifyError> & { statusCode?: number };
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  const code = typeof e.code === "string" ? e.code : "";
  const known: Record<string, string> = {
    FST_ERR_CTP_INVALID_JSON_BODY: "the request body is not valid JSON",
    FST_ERR_CTP_EMPTY_JSON_BODY: "the request body is empty; expected a JSON object",
    FST_ERR_CTP_BODY_TOO_LARGE: "the request body is larger than the gateway accepts",
    FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported Content-Type; send application/json",
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: "Content-Length does not match the body",
    FST_ERR_BAD_URL: "the URL is not valid (malformed percent-encoding)",
    FST_ERR_VALIDATION: "the request does not match what this endpoint expects",
    FST_ERR_CTP_INVALID_TYPE: "the Content-Type header is not valid",
    FST_ERR_ASYNC_CONSTRAINT: "the request could not be routed",
  };
  if (status >= 400 && status < 500) {
    const title = TITLES[status]?.[1] ?? "Bad request";
    return new HttpProblem({ status, title, detail: known[code] ?? `${title.toLowerCase()}` });
  }
  return new HttpProblem({ status: 500, title: "Internal error", detail: "the gateway failed; see its logs" });
}

/** Installs problem+json for route errors, unknown routes and fastify's framework errors. */
export function installProblems(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, "request failed");
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new HttpProblem({
        status: 404,
        title: "Not found",
        detail: `no such endpoint: ${request.method} ${request.url.split("?")[0].slice(0, 200)}`,
      }),
    ),
  );
}

/**
 * For fastify's `clientErrorHandler`: answers a connection-level parse error (oversized headers -> 431, anything
 * else -> 400) with a problem+json body on the raw socket, then closes it.
 */
export function clientErrorProblem(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const oversized = error.code === "HPE_HEADER_OVERFLOW";
  const status = oversized ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const problem = new HttpProblem({
    status,
    title: TITLES[status][1],
    detail: oversized
      ? "the request's headers are larger than the gateway accepts"
      : "the request could not be parsed as HTTP/1.1",
  });
  const body = JSON.stringify(problemBody(problem, "/"));
  socket.end(
    `HTTP/1.1 ${status} ${TITLES[status][1]}\r\nContent-Type: ${PROBLEM_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
