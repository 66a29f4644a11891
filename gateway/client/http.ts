/**
 * How the gateway client talks HTTP: the gateway's base URL, JSON requests, and RFC 9457 problem+json answers
 * turned into a `GatewayError` that keeps the status, title and detail the gateway wrote for the user.
 */

/** A `fetch` implementation (the global one by default; tests and browsers may pass their own). */
export type Fetch = typeof fetch;

/** The gateway answered with an error (or not at all). */
export class GatewayError extends Error {
  /** HTTP status, 0 when the gateway could not be reached. */
  readonly status: number;
  /** The problem's title ("Licence required"). */
  readonly title: string;
  /** What happened and what to do, as the gateway wrote it. */
  readonly detail: string;
  /** The request URL (without query). */
  readonly url: string;
  /** The problem's `type` URI, when the answer was problem+json. */
  readonly type?: string;

  /** @param status @param title @param detail @param url @param type see the fields. */
  constructor(status: number, title: string, detail: string, url: string, type?: string) {
    super(status === 0 ? detail : `${status} ${title}: ${detail}`);
    this.name = "GatewayError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.url = url;
    if (type !== undefined) this.type = type;
  }
}

/**
 * A gateway URL as a base for relative paths: http(s) only, no query or fragment, ending in `/` (a gateway may
 * live under a path prefix). Throws naming the bad URL.
 */
export function gatewayBase(gatewayUrl: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(gatewayUrl));
  } catch {
    throw new TypeError(`gateway URL "${String(gatewayUrl)}" is not a URL (expected e.g. http://127.0.0.1:8484)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`gateway URL "${url.href}" must be http:// or https://`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new TypeError(`gateway URL "${url.href}" must not carry a query, fragment or credentials`);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** `path` (relative, e.g. "auth/nonce") under the gateway's base URL. */
export function gatewayPath(base: URL, path: string): URL {
  return new URL(path.replace(/^\/+/, ""), base);
}

/** Sends a request; a network failure becomes a `GatewayError` with status 0 naming the URL. */
export async function send(fetchImpl: Fetch, url: URL, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetchImpl(url, { redirect: "error", ...init });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new GatewayError(0, "Unreachable", `cannot reach ${url.origin} (${reason})`, urlText(url));
  }
}

/** Throws a `GatewayError` for a non-2xx response, using its problem+json body when it has one. */
export async function checkResponse(response: Response, url: URL): Promise<Response> {
  if (response.ok) return response;
  let title = response.statusText || `HTTP ${response.status}`;
  let detail = `the gateway answered HTTP ${response.status}`;
  let type: string | undefined;
  const text = await response.text().catch(() => "");
  if (/json/i.test(response.headers.get("content-type") ?? "")) {
    try {
      const problem = JSON.parse(text) as { title?: unknown; detail?: unknown; type?: unknown };
      if (typeof problem.title === "string") title = problem.title;
      if (typeof problem.detail === "string") detail = problem.detail;
      if (typeof problem.type === "string") type = problem.type;
    } catch {
      // not JSON after all: keep the status line
    }
  }
  throw new GatewayError(response.status, title, detail, urlText(url), type);
}

/** GETs or POSTs JSON and returns the parsed answer; errors as `GatewayError`. */
export async function requestJson<T>(
  fetchImpl: Fetch,
  url: URL,
  options: { method?: "GET" | "POST"; token?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await send(fetchImpl, url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  await checkResponse(response, url);
  try {
    return (await response.json()) as T;
  } catch {
    throw new GatewayError(response.status, "Bad answer", "the gateway's answer is not JSON", urlText(url));
  }
}

/** A URL without its query, for messages. */
export function urlText(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
