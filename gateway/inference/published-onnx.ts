/**
 * The ONNX runner's model source in a real gateway: the ONNX file of the version the DAO adopted on chain (`main`),
 * read from the gateway's own IPFS store and decrypted with the version's content key, checked against the manifest's
 * SHA-256. So a consortium serves inference from the gateway alone, from the very bytes it published.
 */
import { createHash } from "node:crypto";

import { decryptFile } from "../encryption/chunks.ts";
import { servedVersion } from "../metering/served.ts";
import type { GatewayContext } from "../server/context.ts";
import { HttpProblem } from "../server/problem.ts";
import { spanReader } from "../server/stream.ts";
import { contentKey } from "../server/versions.ts";
import type { OnnxModelSource } from "./onnx/runner.ts";

/** Largest ONNX file the gateway loads into its own runtime (1 GiB); larger models belong on an inference server. */
export const MAX_ONNX_BYTES = 1024 * 1024 * 1024;

/**
 * The source: undefined for a model with no published version or whose served version is not an ONNX one; the
 * file's plaintext otherwise (version label `v<N>`, name: the model id).
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
      throw new Error(`${file.path} of model #${modelId} v${version.version} does not match its manifest`);
    return { bytes, version: `v${version.version}`, name: modelId.toString() };
  };
}
