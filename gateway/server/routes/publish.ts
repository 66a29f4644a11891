/**
 * Publishing through the gateway: `POST /api/models/:org/:name/versions` with a bearer token and the JSON body
 * `{ files: [{ path, base64 }] }` (gateway/server/upload.ts) publishes the files as the model's next version with
 * `publish()` (the code `ws publish` runs: encrypted under a fresh key wrapped with the KEK, stored, catalogued) and
 * answers 201 `{ version, metadataURI, contentHash, commit, manifestCid, files }`. Nobody can download it as
 * revision `main` until the DAO adopts it on chain (update-metadata with that URI and content hash).
 *
 * Who may publish, read from the chain before the body is read (so a stranger cannot make the gateway buffer it):
 * the model's creator (its registry record), or an account whose votes at the governor's previous timepoint reach
 * its proposal threshold and are not zero — the votes `propose` counts, so anyone allowed here can also file the
 * adoption. Anyone else gets a 403 saying what they hold and what is needed. Publications run one at a time.
 */
import { rm } from "node:fs/promises";

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { DuplicateVersionError, type Catalogue } from "../../catalogue.ts";
import { ManifestError } from "../../publish/manifest.ts";
import { publish } from "../../publish/publish.ts";
import { ModelDirError } from "../../publish/walk.ts";
// The factory's own file: plain Node cannot load the typechain index (its imports name .js files).
import { ModelGovernor__factory } from "../../../types/ethers-contracts/factories/contracts/governance/ModelGovernor__factory.ts";
import type { ModelRegistry } from "../../../types/ethers-contracts/index.ts";
import { authenticate } from "../auth/bearer.ts";
import type { GatewayContext } from "../context.ts";
import { HttpProblem, sendProblem, toProblem } from "../problem.ts";
import { parseUpload, uploadBodyLimit, uploadTooLarge, writeUpload } from "../upload.ts";
import { parseRepo } from "../versions.ts";

/** What publishing needs beyond the shared context. */
export interface PublishRouteOptions {
  /** The registry (creator, governor of each model); without it the route answers 503. */
  registry?: ModelRegistry;
  /** A catalogue that can record versions; without it the route answers 503. */
  catalogue?: Catalogue;
  /** Most decoded bytes of files per upload. */
  maxBytes: number;
}

/** Default of `maxBytes`: 64 MiB. */
export const DEFAULT_MAX_PUBLISH_BYTES = 64 * 1024 * 1024;

interface Params {
  org: string;
  name: string;
}

function forbidden(detail: string): HttpProblem {
  return new HttpProblem({ status: 403, title: "Not allowed to publish", kind: "publish-forbidden", detail });
}

/** Throws a 403 unless `account` is the model's creator or holds enough votes to propose (see the module comment). */
async function checkPublisher(registry: ModelRegistry, modelId: bigint, account: string): Promise<void> {
  let record: Awaited<ReturnType<ModelRegistry["model"]>>;
  try {
    record = await registry.model(modelId);
  } catch {
    throw new HttpProblem({
      status: 404,
      title: "Repository not found",
      kind: "repo-not-found",
      detail: `model #${modelId} is not registered on this chain`,
      headers: { "X-Error-Code": "RepoNotFound" },
    });
  }
  if (record.creator.toLowerCase() === account.toLowerCase()) return;
  const governor = ModelGovernor__factory.connect(record.governor, registry.runner);
  const [threshold, clock] = await Promise.all([governor.proposalThreshold(), governor.clock()]);
  const votes = clock > 0n ? await governor.getVotes(account, clock - 1n) : 0n;
  const needed = threshold > 0n ? threshold : 1n;
  if (votes < needed) {
    throw forbidden(
      `${account} is not the creator of model #${modelId} and has ${votes} votes; publishing a version needs ` +
        `${needed} (the model's proposal threshold, at least 1) held before the latest block, so that the ` +
        `publisher can propose adopting it. Holders can delegate their votes to you.`,
    );
  }
}

/** Registers `POST /api/models/:org/:name/versions`. */
export function publishRoutes(app: FastifyInstance, ctx: GatewayContext, options: PublishRouteOptions): void {
  const { registry, catalogue, maxBytes } = options;
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  const authorised = new WeakMap<FastifyRequest, { subject: { address: string }; modelId: bigint }>();
  const authorise = async (request: FastifyRequest<{ Params: Params }>) => {
    const subject = await authenticate(request, ctx.tokenScope);
    const modelId = parseRepo(request.params.org, request.params.name);
    if (registry === undefined || catalogue === undefined) {
      throw new HttpProblem({
        status: 503,
        title: "Publishing unavailable",
        kind: "publish-unavailable",
        detail: "this gateway was started without the registry or a writable catalogue: publish with ws publish",
      });
    }
    const length = Number(request.headers["content-length"] ?? 0);
    // Refused before reading: base64 of more than maxBytes cannot fit.
    if (length > uploadBodyLimit(maxBytes)) throw uploadTooLarge(maxBytes);
    await checkPublisher(registry, modelId, subject.address);
    const allowed = { subject, modelId };
    authorised.set(request, allowed);
    return allowed;
  };

  app.post<{ Params: Params }>(
    "/api/models/:org/:name/versions",
    {
      bodyLimit: uploadBodyLimit(maxBytes),
      // Sign-in, repository and permission are checked before the body is read.
      preParsing: async (request, _reply, payload) => {
        await authorise(request);
        return payload;
      },
      errorHandler: (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
        const code = (error as { code?: unknown }).code;
        const problem = code === "FST_ERR_CTP_BODY_TOO_LARGE" ? uploadTooLarge(maxBytes) : toProblem(error);
        if (problem.status >= 500) request.log.error({ err: error }, "publish failed");
        return sendProblem(reply, problem);
      },
    },
    async (request, reply) => {
      const { subject, modelId } = authorised.get(request) ?? (await authorise(request));
      const files = parseUpload(request.body, maxBytes);
      const result = await oneAtATime(async () => {
        const dir = await writeUpload(files);
        try {
          return await publish({
            dir,
            chainId: ctx.chainId,
            modelId,
            store: ctx.store,
            catalogue: catalogue!,
            kek: ctx.kek,
          });
        } catch (error) {
          if (error instanceof ModelDirError || error instanceof ManifestError || isModelCardError(error)) {
            throw new HttpProblem({
              status: 400,
              title: "Bad upload",
              kind: "bad-upload",
              detail: String((error as Error).message)
                .replaceAll(dir, "<upload>")
                .split("\n")[0],
            });
          }
          if (error instanceof DuplicateVersionError) {
            throw new HttpProblem({
              status: 409,
              title: "Version conflict",
              kind: "version-conflict",
              detail: `another publication of model #${modelId} recorded the same version first; upload again`,
            });
          }
          throw error;
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
      request.log.info(
        { modelId: modelId.toString(), version: result.version, account: subject.address, files: files.length },
        "version published",
      );
      reply.code(201).header("Cache-Control", "no-store");
      return {
        repo: `weightshare/${modelId}`,
        version: result.version,
        metadataURI: result.metadataURI,
        contentHash: result.contentHash,
        commit: result.commit,
        manifestCid: result.manifestCid,
        files: result.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
      };
    },
  );
}

/** A README.md model card that does not parse (model-card.ts and inference-terms.ts name the file first). */
function isModelCardError(error: unknown): boolean {
  return error instanceof Error && /^(README\.md|.*\/README\.md): /.test(error.message);
}
