/**
 * Errors on the OpenAI routes in both shapes at once: the gateway's RFC 9457 problem+json body (as every other
 * route), plus the `error: {message, type, code, param}` member OpenAI clients read, so that the `openai` npm client
 * (and Python's) raise `APIError` with our status and our message. Inside a stream, where the status line is gone,
 * the same member travels as an SSE `error` event.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { HttpProblem, sendProblem, toProblem } from "../../server/problem.ts";

/** The client went away before its answer; the upstream request was aborted for that reason. */
export class ClientGoneError extends Error {
  constructor() {
    super("the client closed the connection");
    this.name = "ClientGoneError";
  }
}

/** The error member OpenAI clients read. */
export interface OpenAIErrorMember {
  message: string;
  type: string;
  code: string;
  param: string | null;
}

/** OpenAI's `error.type` for a status (the values OpenAI's own API answers with). */
function openaiType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 402) return "insufficient_quota";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** The OpenAI error member for a problem: its detail as the message, its kind (snake_case) as the code. */
export function openaiErrorMember(problem: HttpProblem): OpenAIErrorMember {
  const param = problem.extensions.param;
  return {
    message: problem.detail,
    type: openaiType(problem.status),
    code: problem.kind.replace(/-/g, "_"),
    param: typeof param === "string" ? param : null,
  };
}

/** The same problem with the OpenAI `error` member added to its body. */
export function withOpenAIError(problem: HttpProblem): HttpProblem {
  if (problem.extensions.error !== undefined) return problem;
  return new HttpProblem({
    status: problem.status,
    title: problem.title,
    detail: problem.detail,
    kind: problem.kind,
    headers: problem.headers,
    extensions: { ...problem.extensions, error: openaiErrorMember(problem) },
  });
}

/** An SSE event carrying `problem` as OpenAI streams carry errors (the `openai` client throws `APIError` on it). */
export function sseErrorEvent(problem: HttpProblem): string {
  return `event: error\ndata: ${JSON.stringify({ error: openaiErrorMember(problem) })}\n\n`;
}

/**
 * Makes every error of `scope` (an encapsulated plugin holding the /v1 routes) answer problem+json with the OpenAI
 * member: route errors, fastify's body errors (bad JSON, too large, media type) and unknown /v1 paths.
 */
export function installOpenAIProblems(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ClientGoneError) {
      // Nobody reads this answer; it is sent for the access log and metrics only.
      request.log.info("client closed the connection before its answer; upstream request aborted");
      return sendProblem(reply, new HttpProblem({ status: 499, title: "Client closed request", detail: "gone" }));
    }
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, "request failed");
    return sendProblem(reply, withOpenAIError(problem));
  });
  scope.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      withOpenAIError(
        new HttpProblem({
          status: 404,
          title: "Not found",
          detail:
            `no such endpoint: ${request.method} ${request.url.split("?")[0].slice(0, 200)}; the gateway serves ` +
            "GET /v1/models, POST /v1/chat/completions, /v1/completions and /v1/embeddings",
        }),
      ),
    ),
  );
}

/** A 400 for a bad request body, naming the offending member. */
export function badRequest(param: string | null, detail: string): HttpProblem {
  return new HttpProblem({
    status: 400,
    title: "Bad request",
    kind: "invalid-request",
    detail,
    extensions: param === null ? {} : { param },
  });
}

/** The 404 for a model the gateway does not serve. */
export function modelNotFound(model: string, known: readonly string[]): HttpProblem {
  const shown = model.length > 100 ? `${model.slice(0, 100)}…` : model;
  const list = known.length === 0 ? "none" : known.slice(0, 10).join(", ") + (known.length > 10 ? ", …" : "");
  return new HttpProblem({
    status: 404,
    title: "Model not found",
    kind: "model-not-found",
    detail: `the gateway serves no model named ${JSON.stringify(shown)}; models served: ${list} (GET /v1/models)`,
    extensions: { param: "model" },
  });
}
