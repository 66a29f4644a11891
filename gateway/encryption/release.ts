/**
 * Key release (issue #12): a version's content key handed to a signed-in licensee, encrypted with ECIES (eciesjs,
 * secp256k1, HKDF-SHA256, AES-256-GCM) to a public key the account itself authorised, so only the holder of the
 * matching private key can open it, and a stolen bearer token alone releases nothing.
 *
 * Which key: the SIWE message the account signed may name one in its `resources`, as
 * `urn:weightshare:key-release:<uncompressed public key, 130 hex>` (what `ws fetch-model` does with an ephemeral key
 * pair, since Hardhat signers do not expose private keys; it is also how a contract wallet such as a Safe receives
 * keys). Without that resource, the key recovered from an EOA's SIWE signature is used. The gateway records the key
 * in the bearer token at sign-in and releases keys to that key only.
 */
import { decrypt, encrypt, PrivateKey, PublicKey } from "eciesjs";

/** URN prefix of the SIWE resource naming the key-release public key. */
export const KEY_RELEASE_URN = "urn:weightshare:key-release:";
/** Label of the released-key format, sent with every release. */
export const KEY_RELEASE_CIPHER = "ECIES-secp256k1-HKDF-SHA256-AES-256-GCM";

/** A key-release resource or public key that is not one. */
export class KeyReleaseError extends Error {
  /** @param message one line saying what was wrong (never includes key material beyond a public key). */
  constructor(message: string) {
    super(message);
    this.name = "KeyReleaseError";
  }
}

/** An ephemeral key pair for key release: the private key stays with the caller, the public key goes in SIWE. */
export interface ReleaseKeyPair {
  /** 32-byte secp256k1 private key. */
  privateKey: Uint8Array;
  /** Uncompressed public key, `0x04` + 128 lowercase hex characters. */
  publicKey: string;
}

/** A fresh random secp256k1 key pair for one sign-in. */
export function generateReleaseKeyPair(): ReleaseKeyPair {
  const key = new PrivateKey();
  return { privateKey: key.secret, publicKey: `0x${key.publicKey.toHex(false)}` };
}

/** The public key (`0x04…`, uncompressed) of a 32-byte secp256k1 private key (bytes or hex). */
export function releasePublicKeyOf(privateKey: Uint8Array | string): string {
  const secret = typeof privateKey === "string" ? hexBytes(privateKey, "private key") : privateKey;
  try {
    return `0x${new PrivateKey(secret).publicKey.toHex(false)}`;
  } catch {
    throw new KeyReleaseError("the key-release private key is not a valid secp256k1 private key (32 bytes)");
  }
}

/**
 * Checks that `value` is a secp256k1 public key on the curve (uncompressed `04…` or compressed `02…`/`03…`, with or
 * without `0x`) and returns it uncompressed as `0x04` + 128 lowercase hex characters.
 */
export function normalizeReleasePublicKey(value: string): string {
  const hex = value.trim().replace(/^0x/i, "");
  if (!/^(04[0-9a-fA-F]{128}|0[23][0-9a-fA-F]{64})$/.test(hex)) {
    throw new KeyReleaseError(
      `"${value.slice(0, 140)}" is not a secp256k1 public key (expected 04 + 128 hex characters, uncompressed)`,
    );
  }
  try {
    return `0x${PublicKey.fromHex(hex).toHex(false)}`;
  } catch {
    throw new KeyReleaseError(`"${value.slice(0, 140)}" is not a point on secp256k1`);
  }
}

/** The SIWE resource that authorises release to `publicKey`: `urn:weightshare:key-release:04…`. */
export function keyReleaseResource(publicKey: string): string {
  return KEY_RELEASE_URN + normalizeReleasePublicKey(publicKey).slice(2);
}

/**
 * The key-release public key a SIWE message's resources authorise (normalised `0x04…`), or undefined when none
 * names one. Refuses a malformed key and more than one key-release resource.
 */
export function releaseKeyFromResources(resources: readonly string[] | undefined): string | undefined {
  const named = (resources ?? []).filter((r) => r.toLowerCase().startsWith(KEY_RELEASE_URN));
  if (named.length === 0) return undefined;
  if (named.length > 1) {
    throw new KeyReleaseError(`the message names ${named.length} key-release resources; expected at most one`);
  }
  return normalizeReleasePublicKey(named[0].slice(KEY_RELEASE_URN.length));
}

/** Encrypts `contentKey` to `publicKey` (ECIES); returns `0x` hex. Each call uses a fresh ephemeral key. */
export function sealReleasedKey(publicKey: string, contentKey: Uint8Array): string {
  const normalized = normalizeReleasePublicKey(publicKey);
  return `0x${Buffer.from(encrypt(normalized.slice(2), contentKey)).toString("hex")}`;
}

/** Opens a key from `sealReleasedKey` (`0x` hex) with the matching private key; a wrong key or altered text is refused. */
export function openReleasedKey(privateKey: Uint8Array | string, sealed: string): Buffer {
  const secret = typeof privateKey === "string" ? hexBytes(privateKey, "private key") : privateKey;
  if (!/^0x([0-9a-fA-F]{2})+$/.test(sealed)) throw new KeyReleaseError("the released key is not 0x-prefixed hex");
  let key: Uint8Array;
  try {
    key = decrypt(secret, Buffer.from(sealed.slice(2), "hex"));
  } catch {
    throw new KeyReleaseError(
      "the released key does not open with this key-release private key (released to another key, or altered)",
    );
  }
  if (key.length !== 32) throw new KeyReleaseError(`the released key is ${key.length} bytes, expected 32`);
  return Buffer.from(key);
}

function hexBytes(value: string, what: string): Uint8Array {
  const hex = value.replace(/^0x/i, "");
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new KeyReleaseError(`the key-release ${what} is not hex`);
  return Buffer.from(hex, "hex");
}
