/**
 * Content keys and their wrapping under the gateway's key-encryption key (KEK), issue #12.
 *
 * Each model version has a random 32-byte content key (the input of the per-file HKDF in `chunks.ts`). The
 * gateway stores it only wrapped: AES-256-GCM under the KEK with a random 12-byte nonce and AAD = a context
 * string such as `chainId/modelId/version`, so a wrapped key cannot be replayed for another model or version.
 * Wrapped form: `wsk1.` + base64url(nonce || ciphertext || tag). Only `node:crypto` (OpenSSL) is used.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Name of the configuration variable holding the KEK. */
export const KEK_VARIABLE = "WEIGHTSHARE_GATEWAY_KEK";
/** Prefix of the current wrapped-key format. */
export const WRAPPED_KEY_PREFIX = "wsk1.";

const KEY_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

/** A wrapped key could not be opened: wrong KEK, wrong context, unknown format or altered text. */
export class KeyUnwrapError extends Error {
  /** @param reason what went wrong (never includes key material). */
  constructor(reason: string) {
    super(`cannot unwrap content key: ${reason}`);
    this.name = "KeyUnwrapError";
  }
}

/** A fresh random 32-byte content key for one model version. */
export function generateContentKey(): Buffer {
  return randomBytes(KEY_LENGTH);
}

/** The wrapping context of a model version: `chainId/modelId/version`. */
export function keyContext(chainId: bigint | number, modelId: bigint | number, version: bigint | number): string {
  return `${chainId}/${modelId}/${version}`;
}

/** Wraps `contentKey` under `kek` (AES-256-GCM, random nonce, AAD = `context`) into a versioned string. */
export function wrapKey(kek: Uint8Array, contentKey: Uint8Array, context: string): string {
  checkLength("KEK", kek);
  checkLength("content key", contentKey);
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv("aes-256-gcm", kek, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([nonce, cipher.update(contentKey), cipher.final(), cipher.getAuthTag()]);
  return WRAPPED_KEY_PREFIX + body.toString("base64url");
}

/** Opens a string from `wrapKey` with the same `kek` and `context`; throws `KeyUnwrapError` otherwise. */
export function unwrapKey(kek: Uint8Array, wrapped: string, context: string): Buffer {
  checkLength("KEK", kek);
  if (!wrapped.startsWith(WRAPPED_KEY_PREFIX)) {
    throw new KeyUnwrapError(`unknown format (expected a string starting with "${WRAPPED_KEY_PREFIX}")`);
  }
  const encoded = wrapped.slice(WRAPPED_KEY_PREFIX.length);
  const body = Buffer.from(encoded, "base64url");
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || body.length !== NONCE_LENGTH + KEY_LENGTH + TAG_LENGTH) {
    throw new KeyUnwrapError("malformed wrapped key");
  }
  const decipher = createDecipheriv("aes-256-gcm", kek, body.subarray(0, NONCE_LENGTH), {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(body.subarray(body.length - TAG_LENGTH));
  const key = decipher.update(body.subarray(NONCE_LENGTH, body.length - TAG_LENGTH));
  try {
    return Buffer.concat([key, decipher.final()]);
  } catch {
    throw new KeyUnwrapError(`authentication failed (wrong ${KEK_VARIABLE} or wrong context "${context}")`);
  }
}

/**
 * Parses the KEK from its configuration value: 32 bytes as 64 hex characters (optionally `0x`-prefixed) or as
 * base64 / base64url. Throws a one-line error naming `WEIGHTSHARE_GATEWAY_KEK` and what was expected; the value
 * itself is never echoed.
 */
export function kekFromConfig(value: string | undefined, variable: string = KEK_VARIABLE): Buffer {
  const expected = "32 bytes as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)";
  const text = value?.trim() ?? "";
  if (text === "") throw new Error(`${variable} is not set: expected ${expected}`);
  const hex = text.replace(/^0x/i, "");
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    if (hex.length === 2 * KEY_LENGTH) return Buffer.from(hex, "hex");
    if (hex !== text || hex.length % 4 !== 0) {
      throw new Error(`${variable} has ${hex.length} hex characters: expected ${expected}`);
    }
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64");
    if (bytes.length === KEY_LENGTH) return bytes;
    throw new Error(`${variable} decodes to ${bytes.length} bytes: expected ${expected}`);
  }
  throw new Error(`${variable} is neither hex nor base64 (${text.length} characters): expected ${expected}`);
}

function checkLength(what: string, key: Uint8Array): void {
  if (key.length !== KEY_LENGTH) throw new Error(`${what} must be ${KEY_LENGTH} bytes, got ${key.length}`);
}
