/**
 * Bearer tokens: HS256 JWTs (jose) bound to the signed-in address (`sub`), the chain (`chain`), the gateway's domain
 * (`aud`, and `iss`) and an expiry (`exp`). It also carries the key-release public key (`pk`) fixed at sign-in: the
 * one the SIWE message authorised, else an EOA signer's own key recovered from its signature.
 * A token signed with another secret, for another domain or chain, expired or malformed is refused.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import { getAddress, isAddress } from "ethers";

/**
 * Prefix of every token: `@huggingface/hub` refuses an access token that does not start with "hf_". The rest is the
 * JWT; verification accepts the bare JWT too (for OpenAI clients and scripts that strip it).
 */
export const TOKEN_PREFIX = "hf_";

/** Issuer claim of every gateway token. */
export const TOKEN_ISSUER = "weightshare-gateway";

/** Who a valid token speaks for. */
export interface TokenSubject {
  /** Checksummed address that signed in. */
  address: string;
  /** Chain id the sign-in was for. */
  chainId: bigint;
  /** Key-release public key, uncompressed secp256k1 (0x04…, 65 bytes); absent when there is none. */
  publicKey?: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

/** Where tokens are valid: the secret, the gateway's domain and chain. */
export interface TokenScope {
  secret: Uint8Array;
  domain: string;
  chainId: bigint;
}

/** Why a token was refused (message safe to show to the client; never includes the token). */
export class TokenError extends Error {
  /** @param message what was wrong with the token. */
  constructor(message: string) {
    super(message);
    this.name = "TokenError";
  }
}

/** Issues a token for `subject`, valid in `scope` until `subject.expiresAt`. */
export async function issueToken(scope: TokenScope, subject: TokenSubject): Promise<string> {
  const claims: Record<string, string> = { chain: subject.chainId.toString() };
  if (subject.publicKey !== undefined) claims.pk = subject.publicKey;
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(subject.address)
    .setAudience(scope.domain)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(subject.expiresAt)
    .sign(scope.secret);
  return TOKEN_PREFIX + jwt;
}

/** Tokens already verified, per scope, until they expire: every request would otherwise verify its HMAC twice. */
const verified = new WeakMap<TokenScope, Map<string, TokenSubject>>();
const MAX_VERIFIED = 10_000;

/**
 * Verifies `token` in `scope`; throws `TokenError` saying what is wrong. A token verified before is answered from
 * memory until its expiry (tokens are stateless: nothing could revoke it sooner anyway).
 */
export async function verifyToken(scope: TokenScope, token: string): Promise<TokenSubject> {
  let cache = verified.get(scope);
  if (cache === undefined) verified.set(scope, (cache = new Map()));
  const key = `${scope.domain}\n${token}`;
  const hit = cache.get(key);
  if (hit !== undefined && hit.expiresAt > Date.now() / 1000) return hit;
  const subject = await verifyTokenNow(scope, token);
  if (cache.size >= MAX_VERIFIED) cache.clear();
  cache.set(key, subject);
  return subject;
}

async function verifyTokenNow(scope: TokenScope, token: string): Promise<TokenSubject> {
  let payload;
  try {
    const jwt = token.startsWith(TOKEN_PREFIX) ? token.slice(TOKEN_PREFIX.length) : token;
    ({ payload } = await jwtVerify(jwt, scope.secret, {
      algorithms: ["HS256"],
      audience: scope.domain,
      issuer: TOKEN_ISSUER,
      requiredClaims: ["sub", "exp", "chain"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenError("the token has expired: sign in again");
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "aud") {
      throw new TokenError("the token was issued for another gateway");
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new TokenError("the token's signature does not verify (issued by another gateway or altered)");
    }
    throw new TokenError("the token is malformed or not a gateway token");
  }
  const { sub, chain, pk, exp } = payload as { sub?: unknown; chain?: unknown; pk?: unknown; exp?: number };
  if (typeof sub !== "string" || !isAddress(sub)) throw new TokenError("the token's subject is not an address");
  if (typeof chain !== "string" || !/^\d+$/.test(chain) || BigInt(chain) !== scope.chainId) {
    throw new TokenError(`the token was issued for another chain (this gateway serves chain ${scope.chainId})`);
  }
  if (pk !== undefined && (typeof pk !== "string" || !/^0x04[0-9a-fA-F]{128}$/.test(pk))) {
    throw new TokenError("the token's public key is malformed");
  }
  return {
    address: getAddress(sub),
    chainId: scope.chainId,
    publicKey: pk as string | undefined,
    expiresAt: exp ?? 0,
  };
}
