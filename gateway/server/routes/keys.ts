/**
 * Key release: `POST /api/models/:org/:name/key` {revision, publicKey?} returns the version's content key sealed with
 * ECIES (eciesjs: secp256k1 ECDH, HKDF-SHA256, AES-256-GCM; gateway/encryption/release.ts) plus the manifest CID and
 * content hash, for a licensee who fetches ciphertext from IPFS and decrypts it locally (`ws fetch-model`). Access is
 * checked on chain exactly as for downloads.
 *
 * Which key it is sealed to: only the key-release key the bearer token carries, fixed at sign-in — the key the SIWE
 * message authorised in its resources (`urn:weightshare:key-release:04…`), else an EOA's own key recovered from its
 * signature. Never a key named only in this request: the key is then one the account itself signed for (directly, or
 * through ERC-1271 for a contract wallet such as a Safe, which has no key of its own), so a stolen bearer token alone
 * cannot release the content key to the thief. A `publicKey` in the body is a check: if it differs, the request is
 * refused rather than silently sealed to another key.
 */
import type { FastifyInstance } from "fastify";

import {
  KEY_RELEASE_CIPHER,
  KEY_RELEASE_URN,
  KeyReleaseError,
  normalizeReleasePublicKey,
  sealReleasedKey,
} from "../../encryption/release.ts";
import type { GatewayContext } from "../context.ts";
import { HttpProblem } from "../problem.ts";
import { contentKey } from "../versions.ts";
import { openRepo } from "./repo.ts";

function badKey(detail: string): HttpProblem {
  return new HttpProblem({ status: 400, title: "Bad key-release request", kind: "bad-key-release", detail });
}

/** Registers the key-release route. */
export function keyRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.post<{ Params: { org: string; name: string } }>(
    "/api/models/:org/:name/key",
    { bodyLimit: 16 * 1024 },
    async (request, reply) => {
      const body = (request.body ?? {}) as { revision?: unknown; publicKey?: unknown };
      const revision = body.revision ?? "main";
      if (typeof revision !== "string" || revision.length > 100) {
        throw badKey('"revision" must be a string: main, v<N> or a version\'s 40-hex commit');
      }
      let requested: string | undefined;
      if (body.publicKey !== undefined) {
        try {
          requested = normalizeReleasePublicKey(String(body.publicKey));
        } catch (error) {
          if (error instanceof KeyReleaseError) throw badKey(`"publicKey": ${error.message}`);
          throw error;
        }
      }
      const repo = await openRepo(ctx, request, request.params.org, request.params.name, revision);
      const recipient = repo.subject.publicKey;
      if (recipient === undefined) {
        throw badKey(
          `${repo.subject.address} signed in without a key-release key (a contract wallet has none of its own): ` +
            `sign in again with the SIWE resource ${KEY_RELEASE_URN}<your secp256k1 public key, 04…>`,
        );
      }
      if (requested !== undefined && requested.toLowerCase() !== recipient.toLowerCase()) {
        throw badKey(
          `"publicKey" is not the key-release key of this sign-in; keys are released only to the key the account ` +
            `signed for (its SIWE resource, or an EOA's own key): sign in again naming this key`,
        );
      }
      const sealed = sealReleasedKey(recipient, contentKey(ctx, repo.version));
      request.log.info(
        { modelId: repo.modelId.toString(), version: repo.version.version, account: repo.subject.address },
        "content key released",
      );
      reply.header("Cache-Control", "no-store");
      return {
        repo: `weightshare/${repo.modelId}`,
        revision: repo.version.commit,
        version: repo.version.version,
        manifestCid: repo.version.manifestCid,
        contentHash: repo.version.contentHash,
        metadataURI: repo.version.metadataURI,
        recipient: normalizeReleasePublicKey(recipient),
        scheme: KEY_RELEASE_CIPHER,
        encryptedKey: sealed,
      };
    },
  );
}
