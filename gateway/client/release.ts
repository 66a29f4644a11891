/**
 * Key release from the client's side: `POST /api/models/<org>/<name>/key` {revision, publicKey} with the bearer
 * token; the gateway checks the licence on chain and answers with the version it resolved (manifest CID, commit,
 * content hash) and the content key sealed (ECIES) to the key-release public key the token carries. The key is
 * opened here with the matching private key; it never crosses the wire in clear.
 */
import { openReleasedKey, releasePublicKeyOf } from "../encryption/release.ts";
import { type Fetch, GatewayError, gatewayBase, gatewayPath, requestJson, urlText } from "./http.ts";

/** What the key-release route answers (JSON). */
export interface KeyReleaseAnswer {
  /** "weightshare/<modelId>". */
  repo: string;
  /** Decimal strings. */
  chainId: string;
  modelId: string;
  /** Published version number and its Hugging Face revision (40-hex commit). */
  version: number;
  commit: string;
  /** CID of the version's manifest, and keccak256 of its bytes (the on-chain content hash of the version). */
  manifestCid: string;
  contentHash: string;
  /** `KEY_RELEASE_CIPHER`. */
  cipher: string;
  /** The public key the content key was sealed to (`0x04…`). */
  publicKey: string;
  /** The sealed content key, base64. */
  sealedKey: string;
}

/** A released key, opened. */
export interface ReleasedKey extends Omit<KeyReleaseAnswer, "sealedKey"> {
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
  if (a.publicKey.toLowerCase() !== publicKey) {
    throw new GatewayError(
      200,
      "Bad answer",
      `the gateway sealed the key to ${a.publicKey.slice(0, 12)}…, not to this key-release key`,
      urlText(url),
    );
  }
  const { sealedKey, ...rest } = a;
  return { ...rest, contentKey: openReleasedKey(options.releasePrivateKey, sealedKey) };
}

function badField(a: Partial<KeyReleaseAnswer>): string | undefined {
  const checks: Array<[keyof KeyReleaseAnswer, boolean]> = [
    ["modelId", typeof a.modelId === "string" && /^\d+$/.test(a.modelId)],
    ["chainId", typeof a.chainId === "string" && /^\d+$/.test(a.chainId)],
    ["version", Number.isSafeInteger(a.version) && (a.version as number) > 0],
    ["commit", typeof a.commit === "string" && /^[0-9a-f]{40}$/.test(a.commit)],
    ["manifestCid", typeof a.manifestCid === "string" && a.manifestCid.length > 0],
    ["contentHash", typeof a.contentHash === "string" && /^0x[0-9a-f]{64}$/.test(a.contentHash)],
    ["publicKey", typeof a.publicKey === "string"],
    ["sealedKey", typeof a.sealedKey === "string"],
  ];
  return checks.find(([, ok]) => !ok)?.[0];
}
