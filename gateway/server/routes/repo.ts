/**
 * The common first steps of every model-repo request: who is signed in, which model (published here, else 404
 * RepoNotFound), whether the chain says the account may use it (403 GatedRepo otherwise), which published version
 * the revision names, and its manifest.
 */
import type { FastifyRequest } from "fastify";

import type { PublishedVersion } from "../../catalogue.ts";
import type { Manifest, ManifestFile } from "../../publish/manifest.ts";
import { authenticate } from "../auth/bearer.ts";
import type { TokenSubject } from "../auth/tokens.ts";
import type { GatewayContext } from "../context.ts";
import { HttpProblem } from "../problem.ts";
import { parseRepo, publishedVersions, resolveRevision } from "../versions.ts";

/** A signed-in, licensed request for one version of one model. */
export interface RepoRequest {
  subject: TokenSubject;
  modelId: bigint;
  version: PublishedVersion;
  manifest: Manifest;
}

/** Authenticates, checks access on chain and resolves `revision` for `org/name`. */
export async function openRepo(
  ctx: GatewayContext,
  request: FastifyRequest,
  org: string,
  name: string,
  revision: string,
): Promise<RepoRequest> {
  const subject = await authenticate(request, ctx.tokenScope);
  const modelId = parseRepo(org, name);
  // A model this gateway never published is a 404 for everyone (what it published is public on chain anyway);
  // then the licence, then the revision.
  const versions = await publishedVersions(ctx, modelId);
  await ctx.access.require(modelId, subject.address);
  const version = await resolveRevision(ctx, modelId, versions, revision);
  const manifest = await ctx.manifests.get(version);
  return { subject, modelId, version, manifest };
}

/** The manifest entry of `path`, or a 404 EntryNotFound problem (with the revision's commit, as the Hub sends). */
export function findFile(repo: RepoRequest, path: string): ManifestFile {
  const file = repo.manifest.files.find((f) => f.path === path);
  if (file === undefined) {
    throw new HttpProblem({
      status: 404,
      title: "Entry not found",
      kind: "entry-not-found",
      detail: `revision ${repo.version.commit} (v${repo.version.version}) of weightshare/${repo.modelId} has no file "${path.slice(0, 200)}"`,
      headers: { "X-Error-Code": "EntryNotFound", "X-Repo-Commit": repo.version.commit },
    });
  }
  return file;
}
