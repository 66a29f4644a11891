/**
 * Key release (issue #12, gateway/encryption/release.ts): content keys sealed with ECIES to an authorised secp256k1
 * key open only with its private key; the SIWE resource naming that key parses strictly.
 */
import { randomBytes } from "node:crypto";

import { expect } from "chai";
import { SigningKey, Wallet } from "ethers";

import {
  generateReleaseKeyPair,
  KEY_RELEASE_URN,
  KeyReleaseError,
  keyReleaseResource,
  normalizeReleasePublicKey,
  openReleasedKey,
  releaseKeyFromResources,
  releasePublicKeyOf,
  sealReleasedKey,
} from "../../../gateway/encryption/release.js";

describe("gateway/encryption/release: key release", function () {
  it("seals a content key to a public key that only its private key opens", function () {
    const pair = generateReleaseKeyPair();
    const key = randomBytes(32);
    const sealed = sealReleasedKey(pair.publicKey, key);
    expect(sealed)
      .to.match(/^0x[0-9a-f]+$/)
      .and.not.include(key.toString("hex"));
    expect(openReleasedKey(pair.privateKey, sealed)).to.deep.equal(key);
    expect(sealReleasedKey(pair.publicKey, key), "fresh ephemeral key each time").to.not.equal(sealed);
    const other = generateReleaseKeyPair();
    expect(() => openReleasedKey(other.privateKey, sealed)).to.throw(KeyReleaseError, /released to another key/);
    const altered = Buffer.from(sealed.slice(2), "hex");
    altered[altered.length - 1] ^= 1;
    expect(() => openReleasedKey(pair.privateKey, `0x${altered.toString("hex")}`)).to.throw(/or altered/);
  });

  it("uses an Ethereum account's own key pair (an EOA without an ephemeral key)", function () {
    const wallet = Wallet.createRandom();
    const publicKey = releasePublicKeyOf(wallet.privateKey);
    expect(publicKey).to.equal(SigningKey.computePublicKey(wallet.privateKey, false));
    const key = randomBytes(32);
    expect(openReleasedKey(wallet.privateKey, sealReleasedKey(wallet.signingKey.publicKey, key))).to.deep.equal(key);
  });

  it("names the key in a SIWE resource and reads it back, normalised", function () {
    const pair = generateReleaseKeyPair();
    const resource = keyReleaseResource(pair.publicKey);
    expect(resource).to.equal(KEY_RELEASE_URN + pair.publicKey.slice(2));
    expect(
      releaseKeyFromResources([
        "https://example.org/terms",
        resource.toUpperCase().replace("URN:WEIGHTSHARE:KEY-RELEASE:", KEY_RELEASE_URN),
      ]),
    ).to.equal(pair.publicKey);
    expect(releaseKeyFromResources(undefined)).to.equal(undefined);
    expect(releaseKeyFromResources(["https://example.org"])).to.equal(undefined);
    const compressed = SigningKey.computePublicKey(Buffer.from(pair.privateKey), true);
    expect(normalizeReleasePublicKey(compressed)).to.equal(pair.publicKey);
  });

  it("refuses two key-release resources, a malformed key and a point off the curve", function () {
    const [a, b] = [generateReleaseKeyPair(), generateReleaseKeyPair()];
    expect(() => releaseKeyFromResources([keyReleaseResource(a.publicKey), keyReleaseResource(b.publicKey)])).to.throw(
      KeyReleaseError,
      /names 2 key-release resources; expected at most one/,
    );
    expect(() => releaseKeyFromResources([`${KEY_RELEASE_URN}04abcd`])).to.throw(/is not a secp256k1 public key/);
    const offCurve = "04" + "11".repeat(64);
    expect(() => releaseKeyFromResources([KEY_RELEASE_URN + offCurve])).to.throw(/is not a point on secp256k1/);
    expect(() => releasePublicKeyOf("0x" + "00".repeat(32))).to.throw(/not a valid secp256k1 private key/);
  });
});
