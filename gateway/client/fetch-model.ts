/**
 * `fetchModel`: a licensed model version, fetched as ciphertext by CID and decrypted locally. The gateway releases
 * the content key (sealed to the caller's key-release key) and names the version's manifest; the manifest is read
 * from the ciphertext source and checked against the content hash (keccak256) and commit (SHA-1) the gateway
 * answered with, and against the repo's model and version; then every file is decrypted and verified
 * (`downloadFiles`). The ciphertext may come from the gateway's `/ipfs/<cid>`, from any IPFS HTTP gateway, or from
 * a `ContentStore`: none of them is trusted.
 */
import { keccak256 } from "ethers";

import { commitOf, parseManifest, type Manifest } from "../publish/manifest.ts";
import type { ContentStore } from "../storage/store.ts";
import { downloadFiles, type FetchedFile } from "./download.ts";
import type { Fetch } from "./http.ts";
import { parseRepoId, releaseKey, type ReleasedKey } from "./release.ts";
import { type CiphertextSource, httpSource, storeSource } from "./sources.ts";

/** Largest manifest accepted (a model of 100,000 files stays well under it). */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** What `fetchModel` takes. */
export interface FetchModelOptions {
  gatewayUrl: string | URL;
  /** Bearer token from `signIn`. */
  token: string;
  /** "weightshare/<modelId>". */
  repo: string;
  /** "main" (default: the version on chain), "v<N>" or a 40-hex commit. */
  revision?: string;
  /** Where the files go (created when missing; existing files of the same paths are replaced). */
  outDir: string;
  /** The private key matching the key-release public key the token carries. */
  releasePrivateKey: Uint8Array | string;
  /** Read ciphertext from this store instead of the gateway. */
  store?: ContentStore;
  /** Read ciphertext from this IPFS HTTP gateway (`<url>/ipfs/<cid>`) instead of the gateway. */
  ipfsGatewayUrl?: string;
  /** Called once the key is released and the manifest verified, before any file is fetched. */
  onManifest?: (manifest: Manifest, release: Omit<ReleasedKey, "contentKey">) => void;
  /** Called after each file is verified and in place. */
  onFile?: (file: FetchedFile) => void;
  fetch?: Fetch;
}

/** What `fetchModel` fetched. */
export interface FetchModelResult extends Pick<
  ReleasedKey,
  "repo" | "modelId" | "version" | "commit" | "manifestCid" | "contentHash"
> {
  /** Where the ciphertext came from. */
  source: string;
  files: FetchedFile[];
}

/** The manifest did not verify. */
export class ManifestVerificationError extends Error {
  /** The manifest's CID. */
  readonly cid: string;

  /** @param cid the manifest's CID; @param problem what did not match. */
  constructor(cid: string, problem: string) {
    super(`manifest ${cid}: ${problem}`);
    this.name = "ManifestVerificationError";
    this.cid = cid;
  }
}

/** Fetches and decrypts `repo` at `revision` into `outDir`; see the module comment. */
export async function fetchModel(options: FetchModelOptions): Promise<FetchModelResult> {
  parseRepoId(options.repo);
  const source = chooseSource(options);
  const released = await releaseKey({
    gatewayUrl: options.gatewayUrl,
    token: options.token,
    repo: options.repo,
    revision: options.revision,
    releasePrivateKey: options.releasePrivateKey,
    fetch: options.fetch,
  });
  const { contentKey, ...release } = released;
  try {
    const manifest = await readManifest(source, release);
    options.onManifest?.(manifest, release);
    const files = await downloadFiles({ manifest, contentKey, source, outDir: options.outDir, onFile: options.onFile });
    return {
      repo: release.repo,
      modelId: release.modelId,
      version: release.version,
      commit: release.commit,
      manifestCid: release.manifestCid,
      contentHash: release.contentHash,
      source: source.description,
      files,
    };
  } finally {
    contentKey.fill(0);
  }
}

function chooseSource(options: FetchModelOptions): CiphertextSource {
  if (options.store !== undefined) return storeSource(options.store);
  if (options.ipfsGatewayUrl !== undefined) {
    return httpSource(options.ipfsGatewayUrl, { fetch: options.fetch });
  }
  return httpSource(options.gatewayUrl, {
    token: options.token,
    fetch: options.fetch,
    description: `the gateway at ${String(options.gatewayUrl)}`,
  });
}

/**
 * Reads the manifest `release.manifestCid` from `source` and checks it is the version the gateway released: its
 * keccak256 is `release.contentHash`, its SHA-1 `release.commit`, and it names the same model and version (and
 * chain, when `release.chainId` is given).
 */
export async function readManifest(
  source: CiphertextSource,
  release: Pick<ReleasedKey, "manifestCid" | "contentHash" | "commit" | "modelId" | "version"> & { chainId?: string },
): Promise<Manifest> {
  const cid = release.manifestCid;
  const { size, body } = await source.open(cid);
  if (size !== undefined && size > MAX_MANIFEST_BYTES) {
    throw new ManifestVerificationError(cid, `${size} bytes is larger than the ${MAX_MANIFEST_BYTES} accepted`);
  }
  const parts: Buffer[] = [];
  let length = 0;
  for await (const part of body as AsyncIterable<Uint8Array>) {
    length += part.length;
    if (length > MAX_MANIFEST_BYTES) {
      throw new ManifestVerificationError(cid, `larger than the ${MAX_MANIFEST_BYTES} bytes accepted`);
    }
    parts.push(Buffer.from(part));
  }
  const bytes = Buffer.concat(parts, length);
  if (keccak256(bytes) !== release.contentHash) {
    throw new ManifestVerificationError(cid, `its keccak256 is not the content hash ${release.contentHash}`);
  }
  if (commitOf(bytes) !== release.commit) {
    throw new ManifestVerificationError(cid, `its SHA-1 is not the commit ${release.commit}`);
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(bytes);
  } catch (error) {
    throw new ManifestVerificationError(cid, (error as Error).message);
  }
  const expected = `chain ${release.chainId ?? manifest.chainId}, model ${release.modelId}, version ${release.version}`;
  const found = `chain ${manifest.chainId}, model ${manifest.modelId}, version ${manifest.version}`;
  if (expected !== found) throw new ManifestVerificationError(cid, `it describes ${found}, expected ${expected}`);
  return manifest;
}
