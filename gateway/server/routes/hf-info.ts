/**
 * The Hugging Face Hub's repository metadata endpoints, as `huggingface_hub` and `@huggingface/hub` call them:
 * model info (`/api/models/:org/:name[/revision/:rev]`: id, sha, siblings...), the file tree
 * (`/api/models/:org/:name/tree/:rev[/path]`, recursive or not) and paths-info (POST, used by
 * `downloadFileToCacheDir`). Files are reported as LFS files: `lfs.oid` is the plaintext SHA-256 and `oid` the git
 * blob SHA-1 of the LFS pointer, exactly as the Hub reports large files.
 */
import { createHash } from "node:crypto";

import type { FastifyInstance } from "fastify";

import type { ManifestFile } from "../../publish/manifest.ts";
import type { GatewayContext } from "../context.ts";
import { checkFilePath } from "../paths.ts";
import { HttpProblem } from "../problem.ts";
import { REPO_ORG } from "../versions.ts";
import { openRepo, type RepoRequest } from "./repo.ts";

interface RepoParams {
  org: string;
  name: string;
  rev?: string;
  "*"?: string;
}

/** The git-lfs pointer text of a file and its git blob SHA-1 (the Hub's `oid` for an LFS file). */
function lfsPointer(file: ManifestFile): { oid: string; pointerSize: number } {
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${file.sha256}\nsize ${file.size}\n`;
  const oid = createHash("sha1")
    .update(`blob ${Buffer.byteLength(pointer)}\0${pointer}`)
    .digest("hex");
  return { oid, pointerSize: Buffer.byteLength(pointer) };
}

function fileEntry(file: ManifestFile, repo: RepoRequest, expand: boolean) {
  const { oid, pointerSize } = lfsPointer(file);
  return {
    type: "file" as const,
    oid,
    size: file.size,
    path: file.path,
    lfs: { oid: file.sha256, size: file.size, pointerSize },
    ...(expand
      ? {
          lastCommit: {
            id: repo.version.commit,
            title: `v${repo.version.version}`,
            date: repo.version.publishedAt,
          },
        }
      : {}),
  };
}

function directoryEntry(path: string) {
  return { type: "directory" as const, oid: createHash("sha1").update(`tree ${path}`).digest("hex"), size: 0, path };
}

function modelInfo(repo: RepoRequest) {
  const id = `${REPO_ORG}/${repo.modelId}`;
  const v = repo.version;
  return {
    _id: `${v.chainId}-${v.modelId}-${v.version}`,
    id,
    modelId: id,
    author: REPO_ORG,
    sha: v.commit,
    lastModified: v.publishedAt,
    createdAt: v.publishedAt,
    private: true,
    gated: "manual",
    disabled: false,
    downloads: 0,
    likes: 0,
    tags: ["weightshare"],
    siblings: repo.manifest.files.map((f) => ({ rfilename: f.path, size: f.size })),
    weightshare: {
      chainId: v.chainId,
      modelId: v.modelId,
      version: v.version,
      manifestCid: v.manifestCid,
      metadataURI: v.metadataURI,
      contentHash: v.contentHash,
    },
  };
}

/** The entries of the tree under `prefix` (recursive: every file below; else files and directories one level). */
export function treeEntries(repo: RepoRequest, prefix: string, recursive: boolean, expand: boolean) {
  const base = prefix === "" ? "" : `${prefix}/`;
  const files = repo.manifest.files.filter((f) => f.path.startsWith(base));
  if (prefix !== "" && files.length === 0) {
    throw new HttpProblem({
      status: 404,
      title: "Entry not found",
      kind: "entry-not-found",
      detail: `revision ${repo.version.commit} has no folder "${prefix.slice(0, 200)}"`,
      headers: { "X-Error-Code": "EntryNotFound", "X-Repo-Commit": repo.version.commit },
    });
  }
  if (recursive) {
    const dirs = new Set<string>();
    for (const f of files) {
      const parts = f.path.slice(base.length).split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(base + parts.slice(0, i).join("/"));
    }
    return [...[...dirs].sort().map(directoryEntry), ...files.map((f) => fileEntry(f, repo, expand))];
  }
  const entries: ReturnType<typeof fileEntry | typeof directoryEntry>[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const rest = f.path.slice(base.length);
    const slash = rest.indexOf("/");
    if (slash === -1) entries.push(fileEntry(f, repo, expand));
    else if (!seen.has(rest.slice(0, slash))) {
      seen.add(rest.slice(0, slash));
      entries.push(directoryEntry(base + rest.slice(0, slash)));
    }
  }
  return entries;
}

function flag(value: unknown): boolean {
  return value === true || value === "true" || value === "True" || value === "1";
}

/** Registers model info, tree and paths-info. */
export function hfInfoRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const info = async (p: RepoParams, request: Parameters<typeof openRepo>[1]) => {
    const repo = await openRepo(ctx, request, p.org, p.name, p.rev ?? "main");
    return modelInfo(repo);
  };
  app.get<{ Params: RepoParams }>("/api/models/:org/:name", (req) => info(req.params, req));
  app.get<{ Params: RepoParams }>("/api/models/:org/:name/revision/:rev", (req) => info(req.params, req));

  const tree = async (p: RepoParams, request: Parameters<typeof openRepo>[1], query: Record<string, unknown>) => {
    const repo = await openRepo(ctx, request, p.org, p.name, p.rev ?? "main");
    const prefix = p["*"] === undefined || p["*"] === "" ? "" : checkFilePath(p["*"].replace(/\/+$/, ""));
    return treeEntries(repo, prefix, flag(query.recursive), flag(query.expand));
  };
  app.get<{ Params: RepoParams; Querystring: Record<string, unknown> }>("/api/models/:org/:name/tree/:rev", (req) =>
    tree(req.params, req, req.query),
  );
  app.get<{ Params: RepoParams; Querystring: Record<string, unknown> }>("/api/models/:org/:name/tree/:rev/*", (req) =>
    tree(req.params, req, req.query),
  );

  app.post<{ Params: RepoParams }>(
    "/api/models/:org/:name/paths-info/:rev",
    { bodyLimit: 64 * 1024 },
    async (request) => {
      const repo = await openRepo(ctx, request, request.params.org, request.params.name, request.params.rev ?? "main");
      const body = (request.body ?? {}) as { paths?: unknown; expand?: unknown };
      const paths = typeof body.paths === "string" ? [body.paths] : body.paths;
      if (!Array.isArray(paths) || paths.length > 1000 || !paths.every((p) => typeof p === "string")) {
        throw new HttpProblem({ status: 400, title: "Bad request", detail: '"paths" must be a list of file paths' });
      }
      const expand = flag(body.expand);
      const entries: (ReturnType<typeof fileEntry> | ReturnType<typeof directoryEntry>)[] = [];
      for (const path of paths as string[]) {
        const file = repo.manifest.files.find((f) => f.path === path);
        if (file !== undefined) entries.push(fileEntry(file, repo, expand));
        else if (repo.manifest.files.some((f) => f.path.startsWith(`${path}/`))) entries.push(directoryEntry(path));
      }
      return entries;
    },
  );
}
