/**
 * Which OpenAI-compatible inference server answers for which model. The consortium already runs one (vLLM,
 * llama.cpp's server, Ollama, TGI: all speak the OpenAI API); the gateway fronts it under the model's public name
 * `weightshare/<modelId>`, the same name Hugging Face clients download it by.
 */

/** One model served by an upstream OpenAI-compatible server. */
export interface Upstream {
  /** The model's on-chain id: what the licence is checked and metered against. */
  modelId: bigint;
  /** What clients pass as `model`: `weightshare/<modelId>` (see `upstreamName`). */
  name: string;
  /** Base URL of the OpenAI-compatible server, e.g. `http://127.0.0.1:8000/v1` (its paths are appended). */
  url: string;
  /** Sent upstream as `Authorization: Bearer <apiKey>`; the client's own token never leaves the gateway. */
  apiKey?: string;
  /** Model name to send upstream (vLLM's served model name...); default: the name the client used. */
  upstreamModel?: string;
  /** Unix seconds shown as `created` by `GET /v1/models` (default 0: unknown). */
  created?: number;
}

/** Finds the upstream serving `model` (the name a client sent), or undefined for a model the gateway does not serve. */
export type UpstreamResolver = (model: string) => Upstream | undefined;

/** The upstreams the OpenAI routes serve: resolve one by name, list them all for `GET /v1/models`. */
export interface UpstreamDirectory {
  resolve: UpstreamResolver;
  list(): Upstream[];
}

/** The public model name of a model id: `weightshare/<modelId>`. */
export function upstreamName(modelId: bigint): string {
  return `weightshare/${modelId}`;
}

/**
 * A fixed directory of upstreams (from the gateway's configuration). Throws when two share a name or a URL is not
 * absolute http(s), naming the offending entry.
 */
export function staticUpstreams(upstreams: readonly Upstream[]): UpstreamDirectory {
  const byName = new Map<string, Upstream>();
  for (const upstream of upstreams) {
    if (byName.has(upstream.name)) throw new Error(`two upstreams are named "${upstream.name}"; names must be unique`);
    let url: URL;
    try {
      url = new URL(upstream.url);
    } catch {
      throw new Error(`upstream "${upstream.name}": url "${upstream.url}" is not an absolute URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`upstream "${upstream.name}": url "${upstream.url}" must be http(s)`);
    }
    byName.set(upstream.name, { ...upstream });
  }
  const list = [...byName.values()];
  return { resolve: (model) => byName.get(model), list: () => [...list] };
}

/** The URL of `endpoint` ("chat/completions", "embeddings"...) on `upstream`'s base URL. */
export function upstreamEndpoint(upstream: Upstream, endpoint: string): string {
  return `${upstream.url.replace(/\/+$/, "")}/${endpoint}`;
}
