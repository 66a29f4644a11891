/**
 * The `Authorization: Bearer <token>` header of a request, verified: the signed-in account or a 401 problem+json
 * saying what to do (sign in at POST /auth/siwe). The same token works as `HF_TOKEN` and as an OpenAI `apiKey`.
 */
import type { FastifyRequest } from "fastify";

import { HttpProblem } from "../problem.ts";
import { TokenError, verifyToken, type TokenScope, type TokenSubject } from "./tokens.ts";

const MAX_TOKEN_LENGTH = 4096;

function unauthorized(detail: string, error: "invalid_request" | "invalid_token"): HttpProblem {
  return new HttpProblem({
    status: 401,
    title: "Sign-in required",
    kind: error === "invalid_request" ? "token-missing" : "token-invalid",
    detail,
    headers: { "WWW-Authenticate": `Bearer error="${error}"` },
  });
}

/** The bearer token of `request`, or undefined when there is none. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== "string") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The account `request` is signed in as; throws a 401 problem for a missing, malformed, expired or foreign token. */
export async function authenticate(request: FastifyRequest, scope: TokenScope): Promise<TokenSubject> {
  const token = bearerToken(request);
  if (token === undefined) {
    throw unauthorized(
      "no bearer token: sign in with Ethereum (GET /auth/nonce, then POST /auth/siwe) and send " +
        "Authorization: Bearer <token> (HF_TOKEN for Hugging Face clients)",
      "invalid_request",
    );
  }
  if (token.length > MAX_TOKEN_LENGTH) throw unauthorized("the bearer token is too long", "invalid_token");
  try {
    return await verifyToken(scope, token);
  } catch (error) {
    if (error instanceof TokenError)
      throw unauthorized(`${error.message}; sign in again at POST /auth/siwe`, "invalid_token");
    throw error;
  }
}
