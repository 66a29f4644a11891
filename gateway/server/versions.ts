/**
 * From a Hugging Face repo id and revision to a published version: the repo `weightshare/<modelId>`; the revision
 * `main` (or `HEAD`) = the version whose metadata URI is the model's on-chain `uri(modelId)` now, a version's 40-hex
 * `commit`, or `v<N>`. Manifests are read from the store once per CID (they are immutable) and checked against the
 * version's commit; content keys are unwrapped under the KEK only when a response needs them.
 */
import { unwrapKey, keyContext } from "../encryption/keys.ts";
import type { PublishedVersion } from "../catalogue.ts";
import { commitOf, contentHashOf, parseManifest, type Manifest } from "../publish/manifest.ts";
import type { ContentStore } from "../storage/store.ts";
import type { GatewayContext } from "./context.ts";
import { HttpProblem } from "./problem.ts";

/** The organisation part of every repo id the gateway serves. */
export const REPO_ORG = "weightshare";

/** The model id of repo `org/name`, or a 404 RepoNotFound problem. */
export function parseRepo(org: string, name: string): bigint {
  if (org !== REPO_ORG || !/^(0|[1-9]\d{0,76})$/.test(name)) {
    throw new HttpProblem({
      status: 404,
      title: "Repository not found",
      kind: "repo-not-found",
      detail: `no repository "${org.slice(0, 64)}/${name.slice(0, 64)}": repositories are ${REPO_ORG}/<model id>`,
      headers: { "X-Error-Code": "RepoNotFound" },
    });
  }
  return BigInt(name);
}

function revisionNotFound(detail: string): HttpProblem {
  return new HttpProblem({
    status: 404,
    title: "Revision not found",
    kind: "revision-not-found",
    detail,
    headers: { "X-Error-Code": "RevisionNotFound" },
  });
}

/** Every published version of `modelId` (ascending), or a 404 RepoNotFound problem when it has none here. */
export async function publishedVersions(ctx: GatewayContext, modelId: bigint): Promise<PublishedVersion[]> {
  const versions = await ctx.catalogue.versions(ctx.chainId, modelId);
  if (versions.length === 0) {
    throw new HttpProblem({
      status: 404,
      title: "Repository not found",
      kind: "repo-not-found",
      detail: `model #${modelId} has no version published through this gateway (ws publish --model-id ${modelId})`,
      headers: { "X-Error-Code": "RepoNotFound" },
    });
  }
  return versions;
}

/** The published version `revision` names among `versions` of `modelId` (see the module comment), or a 404. */
export async function resolveRevision(
  ctx: GatewayContext,
  modelId: bigint,
  versions: PublishedVersion[],
  revision: string,
): Promise<PublishedVersion> {
  if (revision === "main" || revision === "HEAD") {
    const uri = await ctx.access.atHead(`uri:${modelId}`, (block) => ctx.shares.uri(modelId, { blockTag: block }));
    const found = await ctx.catalogue.byMetadataURI(ctx.chainId, modelId, uri);
    if (found === undefined) {
      const latest = versions[versions.length - 1];
      throw revisionNotFound(
        `no published version of model #${modelId} is on chain yet (its URI is "${uri.slice(0, 120)}"): the DAO ` +
          `adopts one with update-metadata (ws publish --propose); until then ask for a version, e.g. ` +
          `revision v${latest.version} or ${latest.commit}`,
      );
    }
    return found;
  }
  if (/^[0-9a-f]{40}$/.test(revision)) {
    const found = await ctx.catalogue.byCommit(ctx.chainId, modelId, revision);
    if (found !== undefined) return found;
  } else if (/^v[1-9]\d{0,8}$/.test(revision)) {
    const found = await ctx.catalogue.version(ctx.chainId, modelId, Number(revision.slice(1)));
    if (found !== undefined) return found;
  }
  throw revisionNotFound(
    `model #${modelId} has no revision "${revision.slice(0, 80)}": use main (the version on chain), ` +
      `v1..v${versions[versions.length - 1].version}, or a version's 40-hex commit`,
  );
}

/** Manifests by CID, read and validated once. */
export class ManifestCache {
  private readonly cache = new Map<string, Promise<Manifest>>();
  private readonly store: ContentStore;

  /** @param store where manifests live. */
  constructor(store: ContentStore) {
    this.store = store;
  }

  /** The manifest of `version`, checked to be the one its commit names. */
  get(version: PublishedVersion): Promise<Manifest> {
    let manifest = this.cache.get(version.manifestCid);
    if (manifest === undefined) {
      manifest = this.load(version);
      this.cache.set(version.manifestCid, manifest);
      manifest.catch(() => this.cache.delete(version.manifestCid));
    }
    return manifest;
  }

  private async load(version: PublishedVersion): Promise<Manifest> {
    const parts: Uint8Array[] = [];
    try {
      for await (const part of this.store.cat(version.manifestCid)) parts.push(part);
    } catch {
      throw storageUnavailable();
    }
    const bytes = Buffer.concat(parts);
    if (commitOf(bytes) !== version.commit || contentHashOf(bytes) !== version.contentHash) {
      throw new Error(`manifest ${version.manifestCid} does not match the catalogue's commit and content hash`);
    }
    const manifest = parseManifest(bytes);
    const { chainId, modelId } = version;
    if (manifest.chainId !== chainId || manifest.modelId !== modelId || manifest.version !== version.version) {
      throw new Error(`manifest ${version.manifestCid} belongs to another model or version than its catalogue entry`);
    }
    return manifest;
  }
}

/** The 502 for content the store cannot deliver. */
export function storageUnavailable(): HttpProblem {
  return new HttpProblem({
    status: 502,
    title: "Storage unavailable",
    kind: "storage-unavailable",
    detail: "the gateway cannot read this content from its IPFS store right now; retry shortly",
    headers: { "Retry-After": "5" },
  });
}

/** The content key of `version`, unwrapped under the gateway's KEK. */
export function contentKey(ctx: GatewayContext, version: PublishedVersion): Buffer {
  return unwrapKey(
    ctx.kek,
    version.wrappedKey,
    keyContext(BigInt(version.chainId), BigInt(version.modelId), version.version),
  );
}
