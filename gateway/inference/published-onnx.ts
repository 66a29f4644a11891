/**
 * The ONNX runner's model source in a real gateway: the ONNX file of the version the DAO adopted on chain (`main`),
 * read from the gateway's own IPFS store and decrypted with the version's content key, checked against the manifest's
 * SHA-256. So a consortium serves inference from the gateway alone, from the very bytes it published.
 */
import { createHash } from "node:crypto";

import { decryptFile } from "../encryption/chunks.ts";
import { servedVersion, type ServedVersion } from "../metering/served.ts";
import type { ManifestFile } from "../publish/manifest.ts";
import type { GatewayContext } from "../server/context.ts";
import { HttpProblem } from "../server/problem.ts";
import { spanReader } from "../server/stream.ts";
import { contentKey } from "../server/versions.ts";
import type { OnnxModelSource } from "./onnx/runner.ts";

/** Largest ONNX file the gateway loads into its own runtime (1 GiB); larger models belong on an inference server. */
export const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

/**
 * The source: undefined for a model with no published version or whose served version is not an ONNX one; else its
 * version label `v<N>`, its name (the model id), and the file's plaintext on demand (decrypted only when the runner
 * loads that version, not each time it asks which version is served).
 */
export function publishedOnnxSource(ctx: GatewayContext): OnnxModelSource {
  return async (modelId) => {
    let served;
    try {
      served = await servedVersion(ctx, modelId);
    } catch (error) {
      if (error instanceof HttpProblem && error.status === 404) return undefined;
      throw error;
    }
    const { version, manifest, terms } = served;
    if (terms.runtime !== "onnx" || terms.file === undefined) return undefined;
    const file = manifest.files.find((f) => f.path === terms.file);
    if (file === undefined) return undefined;
    if (file.size > MAX_ONNX_BYTES)
      throw new Error(`${file.path} is ${file.size} bytes, above the built-in runner's ${MAX_ONNX_BYTES}`);
    return { version: `v${version.version}`, name: modelId.toString(), bytes: () => decrypted(ctx, served, file) };
  };
}

/** The plaintext of `file` of the served version, checked against its manifest entry. */
async function decrypted(
  ctx: GatewayContext,
  { version, manifest }: ServedVersion,
  file: ManifestFile,
): Promise<Uint8Array> {
  const bytes = Buffer.allocUnsafe(file.size);
  const header = { fileId: Buffer.from(file.fileId, "hex"), size: file.size, chunkSize: manifest.chunkSize };
  const reader = spanReader(ctx.store, file, manifest.chunkSize, 0, Math.max(0, file.size - 1));
  let offset = 0;
  try {
    for await (const piece of decryptFile(contentKey(ctx, version), header, reader.read)) {
      bytes.set(piece, offset);
      offset += piece.length;
    }
  } finally {
    await reader.close();
  }
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (offset !== file.size || digest !== file.sha256)
    throw new Error(`${file.path} of model #${manifest.modelId} v${version.version} does not match its manifest`);
  return bytes;
}
