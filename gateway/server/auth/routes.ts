/**
 * Sign-in endpoints: `GET /auth/nonce` hands out a single-use nonce (and the domain and chain id a message must
 * name); `POST /auth/siwe` {message, signature} exchanges a verified EIP-4361 message for a bearer token
 * `{ token, expiresAt, address }`, valid until the gateway's token lifetime or the message's expirationTime,
 * whichever comes first.
 */
import type { FastifyInstance } from "fastify";

import type { GatewayContext } from "../context.ts";
import { issueToken } from "./tokens.ts";
import { verifySignIn } from "./siwe.ts";

/** Registers the sign-in routes. */
export function authRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get("/auth/nonce", async (_request, reply) => {
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

  app.post("/auth/siwe", { bodyLimit: 16 * 1024 }, async (request, reply) => {
    const signIn = await verifySignIn(request.body, {
      domain: ctx.domain,
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
