/**
 * Key release from the client's side: `POST /api/models/<org>/<name>/key` {revision, publicKey} with the bearer
 * token; the gateway checks the licence on chain and answers with the version it resolved (manifest CID, commit,
 * content hash) and the content key sealed (ECIES) to the key-release public key the token carries (the key the
 * account's SIWE message authorised, else an EOA's own key); it refuses any other `publicKey`. The key is opened
 * here with the matching private key; it never crosses the wire in clear.
 */
import { openReleasedKey, releasePublicKeyOf } from "../encryption/release.ts";
import { type Fetch, GatewayError, gatewayBase, gatewayPath, requestJson, urlText } from "./http.ts";

/** What the key-release route answers (JSON). */
export interface KeyReleaseAnswer {
  /** "weightshare/<modelId>". */
  repo: string;
  /** The version's Hugging Face revision: its 40-hex commit (SHA-1 of the manifest bytes). */
  revision: string;
  /** Published version number. */
  version: number;
  /** CID of the version's manifest, and keccak256 of its bytes (the version's content hash). */
  manifestCid: string;
  contentHash: string;
  /** `ipfs://<metadata CID>`. */
  metadataURI?: string;
  /** The public key the content key was sealed to (`0x04…`). */
  recipient: string;
  /** The sealing scheme (ECIES on secp256k1, eciesjs). */
  scheme: string;
  /** The sealed content key, `0x` hex. */
  encryptedKey: string;
}

/** A released key, opened, with the version it belongs to. */
export interface ReleasedKey {
  repo: string;
  modelId: string;
  version: number;
  /** 40-hex commit of the version. */
  commit: string;
  manifestCid: string;
  contentHash: string;
  /** The key-release public key it was sealed to. */
  recipient: string;
  /** The version's 32-byte content key: keep it in memory only. */
  contentKey: Buffer;
}

/** What `releaseKey` takes. */
export interface ReleaseKeyOptions {
  gatewayUrl: string | URL;
  /** Bearer token from `signIn` (whose message authorised the key below, or an EOA's own key). */
  token: string;
  /** "weightshare/<modelId>". */
  repo: string;
  /** "main" (the version on chain, default), "v<N>" or a version's 40-hex commit. */
  revision?: string;
  /** The key-release private key (32 bytes or hex): the ephemeral one whose public key went into SIWE. */
  releasePrivateKey: Uint8Array | string;
  fetch?: Fetch;
}

/** Checks a repo id "org/name" and returns its two parts. */
export function parseRepoId(repo: string): { org: string; name: string } {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,95})\/([A-Za-z0-9][A-Za-z0-9._-]{0,95})$/.exec(repo);
  if (match === null) throw new TypeError(`repo "${repo.slice(0, 200)}" is not "org/name" (e.g. weightshare/1)`);
  return { org: match[1], name: match[2] };
}

/** Asks the gateway to release the content key of `repo` at `revision` and opens it; see the module comment. */
export async function releaseKey(options: ReleaseKeyOptions): Promise<ReleasedKey> {
  const { org, name } = parseRepoId(options.repo);
  const base = gatewayBase(options.gatewayUrl);
  const url = gatewayPath(base, `api/models/${org}/${name}/key`);
  const publicKey = releasePublicKeyOf(options.releasePrivateKey);
  const answer = await requestJson<Partial<KeyReleaseAnswer>>(options.fetch ?? fetch, url, {
    method: "POST",
    token: options.token,
    body: { revision: options.revision ?? "main", publicKey },
  });
  const bad = badField(answer);
  if (bad !== undefined) {
    throw new GatewayError(200, "Bad answer", `the key-release answer has no valid "${bad}"`, urlText(url));
  }
  const a = answer as KeyReleaseAnswer;
  if (a.repo !== options.repo) {
    throw new GatewayError(
      200,
      "Bad answer",
      `the gateway released a key of ${a.repo}, not ${options.repo}`,
      urlText(url),
    );
  }
  if (a.recipient.toLowerCase() !== publicKey) {
    throw new GatewayError(
      200,
      "Bad answer",
      `the gateway sealed the key to ${a.recipient.slice(0, 12)}…, not to this key-release key`,
      urlText(url),
    );
  }
  return {
    repo: a.repo,
    modelId: name,
    version: a.version,
    commit: a.revision,
    manifestCid: a.manifestCid,
    contentHash: a.contentHash,
    recipient: a.recipient,
    contentKey: openReleasedKey(options.releasePrivateKey, a.encryptedKey),
  };
}

function badField(a: Partial<KeyReleaseAnswer>): string | undefined {
  const checks: Array<[keyof KeyReleaseAnswer, boolean]> = [
    ["repo", typeof a.repo === "string"],
    ["revision", typeof a.revision === "string" && /^[0-9a-f]{40}$/.test(a.revision)],
    ["version", Number.isSafeInteger(a.version) && (a.version as number) > 0],
    ["manifestCid", typeof a.manifestCid === "string" && a.manifestCid.length > 0],
    ["contentHash", typeof a.contentHash === "string" && /^0x[0-9a-f]{64}$/.test(a.contentHash)],
    ["recipient", typeof a.recipient === "string"],
    ["encryptedKey", typeof a.encryptedKey === "string"],
  ];
  return checks.find(([, ok]) => !ok)?.[0];
}
