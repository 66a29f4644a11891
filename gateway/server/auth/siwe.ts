/**
 * Sign-In with Ethereum (EIP-4361) verification with the `siwe` package: the message must name this gateway's
 * chain and, as its domain and URI, either this gateway or one of the web origins it allows (CORS, exact matches
 * only: the page a wallet sees asking is then the one the message names, so the wallet has no phishing warning), carry a nonce this gateway issued (unused, unexpired: it is used up by the attempt), not be
 * issued in the future, and be within its notBefore / expirationTime; the signature must be the address's own
 * (EIP-191 for an externally owned account, or ERC-1271 `isValidSignature` on chain for a contract wallet such as a
 * Safe, which `siwe` calls through the provider).
 *
 * The key-release public key the token will carry: the one the message authorises in its resources
 * (`urn:weightshare:key-release:04…`, see gateway/encryption/release.ts; signed by the account, so it is how a
 * contract wallet, or a client holding an ephemeral key, receives keys), else for an EOA the key recovered from its
 * signature. A contract wallet that names none gets no key release.
 */
import { getAddress, hashMessage, SigningKey, verifyMessage } from "ethers";
import { SiweErrorType, SiweMessage, type SiweResponse, type VerifyOpts } from "siwe";

import { KeyReleaseError, releaseKeyFromResources } from "../../encryption/release.ts";
import { HttpProblem } from "../problem.ts";
import type { ChainProvider } from "../access.ts";
import type { NonceStore } from "./nonces.ts";

/** Longest SIWE message and signature text accepted. */
export const MAX_MESSAGE_LENGTH = 4096;
const MAX_SIGNATURE_LENGTH = 8192;
/** Clock skew tolerated for issuedAt in the future. */
const CLOCK_SKEW_MS = 60_000;

/** A verified sign-in. */
export interface SignIn {
  address: string;
  /** Key-release public key (0x04…): the one the message authorised, else an EOA's own; absent otherwise. */
  publicKey?: string;
  /** The message's expirationTime in ms since the epoch, if it has one. */
  expiresAt?: number;
}

/** What verification needs from the gateway. */
export interface SiweContext {
  domain: string;
  /** Web origins (`https://app.example.org`) whose pages may name themselves as the message's domain and URI. */
  appOrigins?: readonly string[];
  chainId: bigint;
  provider: ChainProvider;
  nonces: NonceStore;
  now?: () => number;
}

function refused(detail: string, kind = "sign-in-refused"): HttpProblem {
  return new HttpProblem({
    status: 401,
    title: "Sign-in refused",
    kind,
    detail,
    headers: { "WWW-Authenticate": 'Bearer error="invalid_request"' },
  });
}

function badRequest(detail: string): HttpProblem {
  return new HttpProblem({ status: 400, title: "Bad sign-in request", kind: "bad-sign-in", detail });
}

/** The origin of `value` if it is exactly one (scheme://host[:port]), else undefined. */
function exactOrigin(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.origin === value ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a message whose domain and URI name neither this gateway nor one allowed web origin: the gateway's domain
 * with a URI on it, or an allowed origin's exact host[:port] with a URI of that very origin (and scheme, if given).
 */
function checkAudience(parsed: SiweMessage, ctx: SiweContext): void {
  const domain = parsed.domain;
  let uri: URL | undefined;
  try {
    uri = new URL(parsed.uri);
  } catch {
    uri = undefined;
  }
  const shownUri = parsed.uri.slice(0, 100);
  if (domain === ctx.domain) {
    if (uri?.host !== ctx.domain) {
      throw refused(`the message's URI "${shownUri}" is not on this gateway ("${ctx.domain}")`);
    }
    return;
  }
  const app = (ctx.appOrigins ?? []).map(exactOrigin).find((origin) => origin?.host === domain);
  if (app === undefined) {
    throw refused(
      `the message is for domain "${domain.slice(0, 100)}"; this gateway is "${ctx.domain}" and signs in no web ` +
        `page of that domain (its allowed origins are matched exactly)`,
    );
  }
  if (parsed.scheme !== undefined && `${parsed.scheme}:` !== app.protocol) {
    throw refused(`the message's scheme "${parsed.scheme.slice(0, 20)}" is not that of ${app.origin}`);
  }
  if (uri === undefined || uri.origin !== app.origin || uri.username !== "" || uri.password !== "") {
    throw refused(`the message's URI "${shownUri}" is not on ${app.origin}, the web origin its domain names`);
  }
}

/** Verifies a `{ message, signature }` body; throws a 400 or 401 `HttpProblem` saying why it is refused. */
export async function verifySignIn(body: unknown, ctx: SiweContext): Promise<SignIn> {
  const { message, signature } = (body ?? {}) as { message?: unknown; signature?: unknown };
  if (typeof message !== "string" || message.length === 0 || message.length > MAX_MESSAGE_LENGTH) {
    throw badRequest(`"message" must be an EIP-4361 message string of at most ${MAX_MESSAGE_LENGTH} characters`);
  }
  if (
    typeof signature !== "string" ||
    !/^0x([0-9a-fA-F]{2})+$/.test(signature) ||
    signature.length > MAX_SIGNATURE_LENGTH
  ) {
    throw badRequest(`"signature" must be 0x-prefixed hex bytes`);
  }
  let parsed: SiweMessage;
  try {
    parsed = new SiweMessage(message);
  } catch {
    throw badRequest(`"message" is not a valid EIP-4361 (Sign-In with Ethereum) message`);
  }
  let releaseKey: string | undefined;
  try {
    releaseKey = releaseKeyFromResources(parsed.resources);
  } catch (error) {
    if (error instanceof KeyReleaseError) throw badRequest(`"message" resources: ${error.message}`);
    throw error;
  }
  // The nonce is used up by this attempt whatever its outcome, so a captured message cannot be tried again.
  const nonceOk = ctx.nonces.consume(parsed.nonce);
  checkAudience(parsed, ctx);
  if (BigInt(parsed.chainId) !== ctx.chainId) {
    throw refused(`the message is for chain ${parsed.chainId}; this gateway serves chain ${ctx.chainId}`);
  }
  if (!nonceOk) {
    throw refused("the nonce is unknown, expired or already used: get a fresh one from GET /auth/nonce", "bad-nonce");
  }
  const now = (ctx.now ?? Date.now)();
  if (parsed.issuedAt !== undefined && Date.parse(parsed.issuedAt) > now + CLOCK_SKEW_MS) {
    throw refused(`the message's issuedAt (${parsed.issuedAt}) is in the future`);
  }
  // siwe first tries EIP-191 recovery and console.error()s the stack trace when the signature is not a 65-byte ECDSA
  // signature (a Safe with several owners signs with 65 bytes per owner) before it asks the wallet (ERC-1271).
  // That recovery runs synchronously inside verify(), so console.error is silenced for the synchronous call only.
  const log = console.error;
  let pending: Promise<SiweResponse>;
  console.error = () => undefined;
  try {
    pending = parsed.verify(
      { signature, domain: parsed.domain, nonce: parsed.nonce, time: new Date(now).toISOString() },
      {
        provider: ctx.provider,
        suppressExceptions: true,
      } as unknown as VerifyOpts,
    );
  } finally {
    console.error = log;
  }
  const result = await pending;
  if (!result.success) {
    const type = result.error?.type;
    if (type === SiweErrorType.EXPIRED_MESSAGE) throw refused("the message has expired (expirationTime passed)");
    if (type === SiweErrorType.NOT_YET_VALID_MESSAGE) throw refused("the message is not valid yet (notBefore)");
    throw refused(`the signature is not ${parsed.address}'s (EIP-191, or ERC-1271 for a contract wallet)`);
  }
  const address = getAddress(parsed.address);
  const prepared = parsed.prepareMessage();
  let publicKey = releaseKey;
  try {
    if (publicKey === undefined && verifyMessage(prepared, signature) === address) {
      publicKey = SigningKey.recoverPublicKey(hashMessage(prepared), signature);
    }
  } catch {
    publicKey = undefined; // a contract wallet's signature is not an ECDSA signature
  }
  const expiresAt = parsed.expirationTime === undefined ? undefined : Date.parse(parsed.expirationTime);
  return { address, publicKey, expiresAt };
}
