/**
 * Sign-In with Ethereum (EIP-4361) to a Weightshare gateway from any ethers Signer (a Wallet, a browser wallet,
 * a Hardhat signer, a Safe's owner through its own adapter): a nonce from `GET /auth/nonce`, a message built with
 * the `siwe` package for the gateway URL's host and the signer's chain, signed, exchanged at `POST /auth/siwe` for
 * a bearer token (also usable as `HF_TOKEN`).
 *
 * Key release: pass `releasePublicKey` (e.g. from `generateReleaseKeyPair()`) to authorise the gateway to release
 * content keys to that key; it goes in the message's `resources` as `urn:weightshare:key-release:<key>`, so the
 * account's own signature says which key may receive them.
 */
import type { Signer } from "ethers";
import { SiweMessage } from "siwe";

import { keyReleaseResource, normalizeReleasePublicKey } from "../encryption/release.ts";
import { type Fetch, GatewayError, gatewayBase, gatewayPath, requestJson, urlText } from "./http.ts";

/** Default statement of the message. */
export const SIGN_IN_STATEMENT = "Sign in to the Weightshare gateway";

/** What `signIn` takes besides the gateway and the signer. */
export interface SignInOptions {
  /** Public key (uncompressed secp256k1) the gateway may release content keys to; see the module comment. */
  releasePublicKey?: string;
  /** Chain id to sign for (default: the signer's provider's). */
  chainId?: bigint | number;
  /** The message's statement (default `SIGN_IN_STATEMENT`). */
  statement?: string;
  /** When the message stops being valid (the token never outlives it). */
  expirationTime?: Date;
  /** Extra SIWE resources (URIs). */
  resources?: string[];
  /** A fetch implementation (default: the global one). */
  fetch?: Fetch;
}

/** A signed-in session. */
export interface Session {
  /** Bearer token: `Authorization: Bearer <token>`, `HF_TOKEN`, an OpenAI `apiKey`. */
  token: string;
  /** When the token expires. */
  expiresAt: Date;
  /** The checksummed address signed in. */
  address: string;
  /** The key-release public key the message authorised, when any. */
  releasePublicKey?: string;
}

interface NonceAnswer {
  nonce?: unknown;
  domain?: unknown;
  chainId?: unknown;
}

/**
 * Signs in to the gateway at `gatewayUrl` as `signer`. Refuses (before signing anything) a gateway that expects
 * sign-ins for another domain than its URL's host, or that serves another chain than the signer's: signing a
 * message for another domain is what SIWE exists to prevent.
 */
export async function signIn(gatewayUrl: string | URL, signer: Signer, options: SignInOptions = {}): Promise<Session> {
  const fetchImpl = options.fetch ?? fetch;
  const base = gatewayBase(gatewayUrl);
  const chainId = await signerChainId(signer, options.chainId);
  const address = await signer.getAddress();
  const nonceUrl = gatewayPath(base, "auth/nonce");
  const answer = await requestJson<NonceAnswer>(fetchImpl, nonceUrl);
  if (typeof answer.nonce !== "string" || !/^[A-Za-z0-9]{8,}$/.test(answer.nonce)) {
    throw new GatewayError(200, "Bad answer", "GET /auth/nonce returned no usable nonce", urlText(nonceUrl));
  }
  if (typeof answer.domain === "string" && answer.domain !== base.host) {
    throw new GatewayError(
      200,
      "Domain mismatch",
      `the gateway signs in users of "${answer.domain}", but it was reached at "${base.host}": use its public URL`,
      urlText(nonceUrl),
    );
  }
  const announced = answer.chainId;
  if (announced !== undefined && !(/^\d{1,78}$/.test(String(announced)) && BigInt(String(announced)) === chainId)) {
    throw new GatewayError(
      200,
      "Chain mismatch",
      `the gateway serves chain ${String(announced).slice(0, 80)}, but the signer is on chain ${chainId}`,
      urlText(nonceUrl),
    );
  }
  const resources = [...(options.resources ?? [])];
  if (options.releasePublicKey !== undefined) resources.push(keyReleaseResource(options.releasePublicKey));
  const message = new SiweMessage({
    domain: base.host,
    address,
    statement: options.statement ?? SIGN_IN_STATEMENT,
    uri: base.href,
    version: "1",
    chainId: Number(chainId),
    nonce: answer.nonce,
    issuedAt: new Date().toISOString(),
    ...(options.expirationTime ? { expirationTime: options.expirationTime.toISOString() } : {}),
    ...(resources.length > 0 ? { resources } : {}),
  }).prepareMessage();
  const signature = await signer.signMessage(message);
  const session = await requestJson<{ token?: unknown; expiresAt?: unknown; address?: unknown }>(
    fetchImpl,
    gatewayPath(base, "auth/siwe"),
    { method: "POST", body: { message, signature } },
  );
  if (typeof session.token !== "string" || typeof session.address !== "string") {
    throw new GatewayError(200, "Bad answer", "POST /auth/siwe returned no token", urlText(base));
  }
  return {
    token: session.token,
    expiresAt: new Date(typeof session.expiresAt === "string" ? session.expiresAt : 0),
    address: session.address,
    ...(options.releasePublicKey !== undefined
      ? { releasePublicKey: normalizeReleasePublicKey(options.releasePublicKey) }
      : {}),
  };
}

async function signerChainId(signer: Signer, chainId: bigint | number | undefined): Promise<bigint> {
  if (chainId !== undefined) return BigInt(chainId);
  if (signer.provider === null) {
    throw new TypeError("signIn: the signer has no provider to read its chain id from; pass options.chainId");
  }
  return (await signer.provider.getNetwork()).chainId;
}
