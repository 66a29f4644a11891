/**
 * Content keys wrapped under the gateway's KEK: round trip, refusal under a wrong context, KEK or altered text,
 * and one-line configuration errors naming WEIGHTSHARE_GATEWAY_KEK (issue #12, gateway/encryption/keys.ts).
 */
import { randomBytes } from "node:crypto";

import { expect } from "chai";

import {
  generateContentKey,
  KEK_VARIABLE,
  keyContext,
  KeyUnwrapError,
  kekFromConfig,
  unwrapKey,
  WRAPPED_KEY_PREFIX,
  wrapKey,
} from "../../../gateway/encryption/keys.js";

describe("gateway/encryption/keys: wrapping", function () {
  const kek = randomBytes(32);
  const context = keyContext(31337, 1n, 2);

  it("round-trips a content key and never shows it in the wrapped string", function () {
    const contentKey = generateContentKey();
    expect(contentKey.length).to.equal(32);
    const wrapped = wrapKey(kek, contentKey, context);
    expect(wrapped.startsWith(WRAPPED_KEY_PREFIX)).to.equal(true);
    expect(wrapped).to.not.contain(contentKey.toString("hex"));
    expect(wrapped).to.not.contain(contentKey.toString("base64url"));
    expect(unwrapKey(kek, wrapped, context).equals(contentKey)).to.equal(true);
  });

  it("uses a fresh nonce for every wrap", function () {
    const contentKey = generateContentKey();
    expect(wrapKey(kek, contentKey, context)).to.not.equal(wrapKey(kek, contentKey, context));
    expect(generateContentKey().equals(generateContentKey())).to.equal(false);
  });

  it("names the context as chainId/modelId/version", function () {
    expect(context).to.equal("31337/1/2");
  });

  it("refuses another model's or version's context", function () {
    const wrapped = wrapKey(kek, generateContentKey(), context);
    for (const other of [keyContext(31337, 1, 3), keyContext(31337, 2, 2), keyContext(1, 1, 2)]) {
      expect(() => unwrapKey(kek, wrapped, other)).to.throw(KeyUnwrapError, /authentication failed/);
    }
  });

  it("refuses a wrong KEK, naming the variable", function () {
    const wrapped = wrapKey(kek, generateContentKey(), context);
    expect(() => unwrapKey(randomBytes(32), wrapped, context)).to.throw(KeyUnwrapError, new RegExp(KEK_VARIABLE));
  });

  it("refuses an altered, truncated or unknown-format wrapped key", function () {
    const wrapped = wrapKey(kek, generateContentKey(), context);
    const last = wrapped.length - 2;
    const altered = wrapped.slice(0, last) + (wrapped[last] === "A" ? "B" : "A") + wrapped.slice(last + 1);
    expect(() => unwrapKey(kek, altered, context)).to.throw(KeyUnwrapError);
    expect(() => unwrapKey(kek, wrapped.slice(0, -4), context)).to.throw(KeyUnwrapError, /malformed/);
    expect(() => unwrapKey(kek, "wsk2." + wrapped.slice(5), context)).to.throw(KeyUnwrapError, /unknown format/);
  });

  it("refuses keys of the wrong length", function () {
    expect(() => wrapKey(randomBytes(16), generateContentKey(), context)).to.throw(/KEK must be 32 bytes/);
    expect(() => wrapKey(kek, randomBytes(31), context)).to.throw(/content key must be 32 bytes/);
  });
});

describe("gateway/encryption/keys: KEK configuration", function () {
  const bytes = randomBytes(32);

  it("accepts 64 hex characters, with or without 0x, and base64 or base64url", function () {
    for (const value of [
      bytes.toString("hex"),
      "0x" + bytes.toString("hex").toUpperCase(),
      bytes.toString("base64"),
      bytes.toString("base64url"),
      `  ${bytes.toString("hex")}\n`,
    ]) {
      expect(kekFromConfig(value).equals(bytes), value).to.equal(true);
    }
  });

  it("explains on one line what is wrong, naming the variable and never echoing the value", function () {
    const cases: [string | undefined, RegExp][] = [
      [undefined, /^WEIGHTSHARE_GATEWAY_KEK is not set: expected 32 bytes as 64 hex characters or base64/],
      ["", /^WEIGHTSHARE_GATEWAY_KEK is not set/],
      [
        "0x" + bytes.subarray(0, 16).toString("hex"),
        /^WEIGHTSHARE_GATEWAY_KEK has 32 hex characters: expected 32 bytes/,
      ],
      [bytes.toString("hex") + "a", /^WEIGHTSHARE_GATEWAY_KEK has 65 hex characters/],
      [randomBytes(33).toString("base64"), /^WEIGHTSHARE_GATEWAY_KEK decodes to 33 bytes/],
      ["not a key!", /^WEIGHTSHARE_GATEWAY_KEK is neither hex nor base64 \(10 characters\)/],
    ];
    for (const [value, message] of cases) {
      let error: Error | undefined;
      try {
        kekFromConfig(value);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message, String(value)).to.match(message);
      expect(error!.message).to.not.contain("\n");
      if (value) expect(error!.message).to.not.contain(value);
    }
  });

  it("names another variable when asked", function () {
    expect(() => kekFromConfig("xyz!", "MY_KEK")).to.throw(/^MY_KEK is neither hex nor base64/);
  });
});
