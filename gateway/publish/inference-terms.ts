/**
 * How a published version is served for inference, and at what rate: the manifest's optional `inference` member.
 * It is part of the manifest, so its hash is the version's content hash and the DAO's update-metadata vote sets the
 * rate along with the files: the operator publishes it, the holders approve it, the gateway charges it.
 *
 * The publisher takes it from the model card's front matter:
 *
 * ```yaml
 * weightshare:
 *   inference:
 *     runtime: onnx            # the gateway runs `file` itself (Open Inference Protocol)
 *     file: model.onnx
 *     credits_per_call: 1
 * ```
 * or `runtime: openai` (an OpenAI-compatible server the operator runs; the gateway fronts it) with
 * `credits_per_call` or `credits_per_1k_tokens`.
 */
import { checkManifestPath, ManifestError } from "./manifest.ts";

/** A version's inference terms (credits as decimal strings: they are uint64 on chain). */
export interface InferenceTerms {
  /** "onnx": the gateway runs the version's ONNX file; "openai": it fronts the operator's OpenAI-compatible server. */
  runtime: "onnx" | "openai";
  /** The ONNX file (a manifest path), for runtime "onnx". */
  file?: string;
  /** Credits per call; exactly one of this and `creditsPer1kTokens`. */
  creditsPerCall?: string;
  /** Credits per 1,000 tokens (prompt and completion), rounded up per call; runtime "openai" only. */
  creditsPer1kTokens?: string;
}

const UINT64_MAX = 2n ** 64n - 1n;

/** Validates an `inference` member (already-parsed JSON); throws a `ManifestError` naming the field. */
export function parseInferenceTerms(value: unknown, field = "inference"): InferenceTerms {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ManifestError(field, "expected an object");
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).find(
    (key) => !["runtime", "file", "creditsPerCall", "creditsPer1kTokens"].includes(key),
  );
  if (extra !== undefined) throw new ManifestError(field, `unknown field "${extra}"`);
  if (v.runtime !== "onnx" && v.runtime !== "openai")
    throw new ManifestError(`${field}.runtime`, `expected "onnx" or "openai", got ${JSON.stringify(v.runtime)}`);
  const terms: InferenceTerms = { runtime: v.runtime };
  if (v.runtime === "onnx") {
    terms.file = checkManifestPath(v.file, `${field}.file`);
    if (!terms.file.endsWith(".onnx")) throw new ManifestError(`${field}.file`, `"${terms.file}" is not a .onnx file`);
  } else if (v.file !== undefined) {
    throw new ManifestError(`${field}.file`, 'only runtime "onnx" names a file');
  }
  if ((v.creditsPerCall === undefined) === (v.creditsPer1kTokens === undefined))
    throw new ManifestError(field, "expected exactly one of creditsPerCall and creditsPer1kTokens");
  if (v.creditsPerCall !== undefined) terms.creditsPerCall = credits(v.creditsPerCall, `${field}.creditsPerCall`);
  if (v.creditsPer1kTokens !== undefined) {
    if (v.runtime !== "openai")
      throw new ManifestError(`${field}.creditsPer1kTokens`, 'per-token rates need runtime "openai"');
    terms.creditsPer1kTokens = credits(v.creditsPer1kTokens, `${field}.creditsPer1kTokens`);
  }
  return terms;
}

/**
 * The inference terms in a model card's front matter (`weightshare.inference`, snake_case keys), or undefined when
 * it has none. Throws an `Error` naming the card field that is wrong.
 */
export function inferenceTermsFromCard(
  frontMatter: Record<string, unknown>,
  source = "README.md",
): InferenceTerms | undefined {
  const section = frontMatter.weightshare;
  if (section === undefined) return undefined;
  if (section === null || typeof section !== "object" || Array.isArray(section))
    throw new Error(`${source}: front matter "weightshare" must be a mapping`);
  const inference = (section as Record<string, unknown>).inference;
  if (inference === undefined) return undefined;
  if (inference === null || typeof inference !== "object" || Array.isArray(inference))
    throw new Error(`${source}: front matter "weightshare.inference" must be a mapping`);
  const i = inference as Record<string, unknown>;
  const known = ["runtime", "file", "credits_per_call", "credits_per_1k_tokens"];
  const extra = Object.keys(i).find((key) => !known.includes(key));
  if (extra !== undefined)
    throw new Error(`${source}: unknown field "weightshare.inference.${extra}" (expected ${known.join(", ")})`);
  const text = (x: unknown) => (typeof x === "number" || typeof x === "bigint" ? String(x) : x);
  try {
    return parseInferenceTerms(
      {
        runtime: i.runtime,
        file: i.file,
        creditsPerCall: text(i.credits_per_call),
        creditsPer1kTokens: text(i.credits_per_1k_tokens),
      },
      "weightshare.inference",
    );
  } catch (error) {
    if (error instanceof ManifestError)
      throw new Error(
        `${source}: ${error.message.replace(/^manifest /, "").replace(/creditsPer(Call|1kTokens)/, snake)}`,
      );
    throw error;
  }
}

function snake(name: string): string {
  return name === "creditsPerCall" ? "credits_per_call" : "credits_per_1k_tokens";
}

function credits(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^[1-9][0-9]{0,19}$/.test(value) || BigInt(value) > UINT64_MAX)
    throw new ManifestError(field, `expected a whole number of credits from 1 to 2^64-1, got ${JSON.stringify(value)}`);
  return value;
}
