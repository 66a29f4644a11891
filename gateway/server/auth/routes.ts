/**
 * Sign-in endpoints: `GET /auth/nonce` hands out a single-use nonce (and the domain and chain id a message must
 * name); `POST /auth/siwe` {message, signature} exchanges a verified EIP-4361 message for a bearer token
 * `{ token, expiresAt, address }`, valid until the gateway's token lifetime or the message's expirationTime,
 * whichever comes first.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";

import type { GatewayContext } from "../context.ts";
import { issueToken } from "./tokens.ts";
import { verifySignIn } from "./siwe.ts";

/** Default sign-in requests (nonces and sign-ins each) per minute per client address. */
export const SIGN_INS_PER_MINUTE = 60;

function byAddress(request: FastifyRequest): string {
  return `sign-in:${request.ip}`;
}

/** Registers the sign-in routes. */
export function authRoutes(app: FastifyInstance, ctx: GatewayContext, signInsPerMinute = SIGN_INS_PER_MINUTE): void {
  // Sign-in is limited per address, whatever token is sent: otherwise fresh accounts would each open a fresh
  // request budget, and a flood of nonces would push honest users' nonces out.
  const config = { rateLimit: { max: signInsPerMinute, timeWindow: 60_000, keyGenerator: byAddress } };
  app.get("/auth/nonce", { config }, async (_request, reply) => {
    const { nonce, expiresAt } = ctx.nonces.issue();
    reply.header("Cache-Control", "no-store");
    return {
      nonce,
      expiresAt: new Date(expiresAt).toISOString(),
      domain: ctx.domain,
      chainId: Number(ctx.chainId),
      statement: "Sign in to the Weightshare gateway",
    };
  });

  app.post("/auth/siwe", { bodyLimit: 16 * 1024, config }, async (request, reply) => {
    const signIn = await verifySignIn(request.body, {
      domain: ctx.domain,
      appOrigins: ctx.appOrigins,
      chainId: ctx.chainId,
      provider: ctx.provider,
      nonces: ctx.nonces,
    });
    const nowSeconds = Math.floor(Date.now() / 1000);
    let expiresAt = nowSeconds + ctx.tokenTtl;
    if (signIn.expiresAt !== undefined) expiresAt = Math.min(expiresAt, Math.floor(signIn.expiresAt / 1000));
    const token = await issueToken(ctx.tokenScope, {
      address: signIn.address,
      chainId: ctx.chainId,
      publicKey: signIn.publicKey,
      expiresAt,
    });
    request.log.info({ address: signIn.address, contractWallet: signIn.publicKey === undefined }, "signed in");
    reply.header("Cache-Control", "no-store");
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString(), address: signIn.address };
  });
}
