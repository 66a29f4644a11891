/**
 * Which version of a model the gateway serves for inference, and on what terms: the version the DAO adopted on chain
 * (`main`), if its manifest carries inference terms. A model with no such version is not served (404).
 */
import type { PublishedVersion } from "../catalogue.ts";
import type { Manifest } from "../publish/manifest.ts";
import type { InferenceTerms } from "../publish/inference-terms.ts";
import type { GatewayContext } from "../server/context.ts";
import { HttpProblem } from "../server/problem.ts";
import { publishedVersions, resolveRevision } from "../server/versions.ts";

/** The served version of a model. */
export interface ServedVersion {
  version: PublishedVersion;
  manifest: Manifest;
  terms: InferenceTerms;
}

/** The 404 for a model this gateway does not serve for inference. */
export function notServed(model: string, detail: string): HttpProblem {
  return new HttpProblem({
    status: 404,
    title: "Model not served",
    kind: "model-not-found",
    detail: `model "${model.slice(0, 80)}" is not served for inference here: ${detail}`,
  });
}

/** The version of `modelId` on chain now and its inference terms, or a 404 problem. */
export async function servedVersion(ctx: GatewayContext, modelId: bigint): Promise<ServedVersion> {
  const versions = await publishedVersions(ctx, modelId);
  const version = await resolveRevision(ctx, modelId, versions, "main");
  const manifest = await ctx.manifests.get(version);
  if (manifest.inference === undefined) {
    throw notServed(
      modelId.toString(),
      `version v${version.version} (on chain) publishes no inference terms (weightshare.inference in its model card)`,
    );
  }
  return { version, manifest, terms: manifest.inference };
}
