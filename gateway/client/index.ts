/**
 * The gateway client (issue #12): sign in with Ethereum, get a model version's content key released to a key the
 * account authorised, and fetch, decrypt and verify the model's files locally. Hardhat-free: works with any ethers
 * Signer, from tasks, tests, the demo or a web app's bundler (the file writing needs Node).
 */
export * from "./http.ts";
export * from "./sign-in.ts";
export * from "./release.ts";
export * from "./sources.ts";
export * from "./download.ts";
export * from "./fetch-model.ts";
export {
  generateReleaseKeyPair,
  keyReleaseResource,
  KEY_RELEASE_CIPHER,
  KEY_RELEASE_URN,
  KeyReleaseError,
  releasePublicKeyOf,
  type ReleaseKeyPair,
} from "../encryption/release.ts";
export * from "./infer.ts";
