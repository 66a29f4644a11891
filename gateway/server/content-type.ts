/**
 * Bodies the gateway accepts are JSON: an `onRequest` hook that refuses any other Content-Type with a 415 problem
 * before the body is read, saying what the route takes.
 */
import type { FastifyRequest } from "fastify";

import { HttpProblem, type ProblemInit } from "./problem.ts";

/**
 * A hook refusing non-JSON bodies; `takes` completes "send application/json …" (e.g. "(the OpenAI endpoints take
 * JSON)"), `problem` builds the refusal (a route family may add members to its problems).
 */
export function requireJson(
  takes: string,
  problem: (init: ProblemInit) => HttpProblem = (init) => new HttpProblem(init),
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type === "application/json") return;
    throw problem({
      status: 415,
      title: "Unsupported media type",
      kind: "unsupported-media-type",
      detail:
        `Content-Type ${type === "" ? "is missing" : JSON.stringify(type.slice(0, 100))}: send application/json ` +
        takes,
    });
  };
}
