/**
 * Errors of the Open Inference Protocol routes. The protocol's error body is `{ "error": string }`; the gateway's
 * are RFC 9457 problems. An OIP problem is both: a problem+json body with an `error` member holding the detail, so
 * OIP clients (which read `error`) and problem-aware clients read the same answer. Request validation failures also
 * name the offending field (`field`, e.g. "inputs[0].shape").
 */
import type { FastifyReply, FastifyRequest } from "fastify";

import { HttpProblem, sendProblem, toProblem, type ProblemInit } from "../../server/problem.ts";

/** The `kind` of a request that does not fit the model (400). */
export const INVALID_INFERENCE_REQUEST = "invalid-inference-request";

/** A problem with the protocol's `error` member set to its detail. */
export function oipProblem(init: ProblemInit): HttpProblem {
  return new HttpProblem({ ...init, extensions: { ...init.extensions, error: init.detail } });
}

/** A 400 problem about one field of the request, named in `field` and in the detail (`inputs[1].datatype: ...`). */
export function invalidField(field: string, detail: string): HttpProblem {
  return oipProblem({
    status: 400,
    title: "Invalid inference request",
    kind: INVALID_INFERENCE_REQUEST,
    detail: `${field}: ${detail}`,
    extensions: { field },
  });
}

/** `problem` with the protocol's `error` member added (a copy; a problem that has one is returned as it is). */
export function withErrorMember(problem: HttpProblem): HttpProblem {
  if (typeof problem.extensions.error === "string") return problem;
  return oipProblem({
    status: problem.status,
    title: problem.title,
    detail: problem.detail,
    kind: problem.kind,
    headers: problem.headers,
    extensions: problem.extensions,
  });
}

/**
 * Route-level fastify error handler of the OIP routes: any error (ours, metering's 401/402/403, fastify's bad JSON,
 * body too large, unsupported media type) becomes a problem with the `error` member; 5xx errors are logged.
 */
export function oipErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = withErrorMember(toProblem(error));
  if (problem.status >= 500) request.log.error({ err: error }, "inference request failed");
  return sendProblem(reply, problem);
}
