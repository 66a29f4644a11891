/**
 * `buildGateway(options)`: the gateway as a fastify instance, from injected dependencies (a provider, the protocol's
 * contracts or deployment, a content store, a catalogue, the KEK and token secret), so that tests run it in-process
 * against Hardhat's simulated chain and `main.ts` runs it against an RPC URL. It registers problem+json errors,
 * CORS for the configured web origins, hostile-path refusal, rate limiting, request metrics, sign-in, the Hugging
 * Face–compatible API, key release, raw IPFS content, publishing a version and the operating endpoints.
 * `closeGateway` shuts it down gracefully.
 */
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";

import { connectProtocol } from "../../client/contracts.ts";
import type { Deployment } from "../../client/deployment.ts";
import type { ContentStore } from "../storage/store.ts";
import type { Catalogue } from "../catalogue.ts";
import type { LicenseManager, ModelRegistry, ModelShares, UsageMeter } from "../../types/ethers-contracts/index.ts";
import { registerInference, type InferenceOptions, type InferenceService } from "../inference/register.ts";
import { AccessChecker, type ChainProvider } from "./access.ts";
import { bearerToken } from "./auth/bearer.ts";
import { NonceStore } from "./auth/nonces.ts";
import { authRoutes } from "./auth/routes.ts";
import { verifyToken } from "./auth/tokens.ts";
import type { CatalogueReader, GatewayContext } from "./context.ts";
import { installCors } from "./cors.ts";
import { createMetrics } from "./metrics.ts";
import { checkRequestPath } from "./paths.ts";
import { clientErrorProblem, HttpProblem, installProblems, sendProblem, toProblem } from "./problem.ts";
import { hfInfoRoutes } from "./routes/hf-info.ts";
import { hfResolveRoutes } from "./routes/hf-resolve.ts";
import { ipfsRoutes } from "./routes/ipfs.ts";
import { keyRoutes } from "./routes/keys.ts";
import { opsRoutes } from "./routes/ops.ts";
import { DEFAULT_MAX_PUBLISH_BYTES, publishRoutes } from "./routes/publish.ts";
import { StreamTracker } from "./stream.ts";
import { ManifestCache } from "./versions.ts";

/** What a gateway is built from. */
export interface GatewayOptions {
  /** The chain: any ethers provider (JsonRpcProvider, or BrowserProvider over Hardhat's simulated chain). */
  provider: ChainProvider;
  /** The protocol's addresses, or its contracts already connected to `provider`. */
  deployment?: Deployment;
  /** `registry` is needed to publish through the gateway (POST …/versions); without it that route answers 503. */
  contracts?: { shares: ModelShares; licenses: LicenseManager; meter?: UsageMeter; registry?: ModelRegistry };
  store: ContentStore;
  /** The catalogue; one that can also record versions (`openCatalogue`) lets accounts publish through the gateway. */
  catalogue: CatalogueReader | Catalogue;
  /** Most bytes of files one publication through the gateway may carry (default 64 MiB). */
  maxPublishBytes?: number;
  /** Key-encryption key of the content keys (32 bytes). */
  kek: Uint8Array;
  /** Secret that signs bearer tokens. */
  tokenSecret: Uint8Array;
  /** The gateway's public host[:port]: SIWE domain and token audience. */
  domain: string;
  /** Token lifetime in seconds (default 3600). */
  tokenTtl?: number;
  /** Requests per minute per signed-in account, or per IP without a valid token (default 600). */
  rateLimit?: number;
  /**
   * How long access checks reuse the chain's latest block, in ms (default 200; 0 = read it on every check). A lapsed
   * licence stops a download within one block, or within this time on chains with faster blocks.
   */
  blockPollMs?: number;
  /** Sign-in requests (nonces and sign-ins each) per minute per client address (default 60). */
  signInRateLimit?: number;
  /**
   * Whether to believe `X-Forwarded-For` from a reverse proxy (fastify's `trustProxy`: true, a hop count, or the
   * proxies' addresses); without it, every client behind a proxy shares the proxy's address and its rate limit.
   */
  trustProxy?: boolean | number | string;
  /** Downloads in flight per account (per address on /ipfs), default 16. */
  maxDownloadsPerClient?: number;
  /** A connection that moves no byte for this long is closed (ms, default 60,000): stalled downloads end. */
  idleTimeoutMs?: number;
  /** Nonce lifetime in ms (default 5 minutes). */
  nonceTtlMs?: number;
  /** fastify's logger option (default: off); main.ts passes pino settings. */
  logger?: FastifyServerOptions["logger"];
  /** Collect prom-client's process metrics too (default true). */
  defaultMetrics?: boolean;
  /** Metered inference (OpenAI-compatible proxy, Open Inference Protocol, usage routes); off when absent. */
  inference?: InferenceOptions;
  /**
   * Web origins whose pages may call the gateway with a bearer token (CORS, exact matches) and name themselves as a
   * sign-in message's domain and URI; default none.
   */
  corsOrigins?: readonly string[];
}

const contexts = new WeakMap<FastifyInstance, GatewayContext>();
const closing = new WeakSet<FastifyInstance>();
const inferenceServices = new WeakMap<FastifyInstance, InferenceService>();

/** The metered-inference service of a gateway built with `inference` options, else undefined. */
export function gatewayInference(app: FastifyInstance): InferenceService | undefined {
  return inferenceServices.get(app);
}

/** The shared state of a gateway built by `buildGateway`. */
export function gatewayContext(app: FastifyInstance): GatewayContext {
  const ctx = contexts.get(app);
  if (ctx === undefined) throw new Error("not a gateway built by buildGateway");
  return ctx;
}

/** Builds (does not start) a gateway; see the module comment. */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const { provider } = options;
  const chainId = (await provider.getNetwork()).chainId;
  const contracts =
    options.contracts ?? (options.deployment ? connectProtocol(options.deployment, provider) : undefined);
  if (contracts === undefined) throw new Error("buildGateway needs a deployment or the contracts");
  const metrics = createMetrics(options.defaultMetrics ?? true);
  const tokenScope = { secret: options.tokenSecret, domain: options.domain, chainId };
  const ctx: GatewayContext = {
    domain: options.domain,
    appOrigins: options.corsOrigins ?? [],
    chainId,
    provider,
    shares: contracts.shares,
    licenses: contracts.licenses,
    store: options.store,
    catalogue: options.catalogue,
    kek: options.kek,
    tokenScope,
    tokenTtl: options.tokenTtl ?? 3600,
    nonces: new NonceStore(options.nonceTtlMs),
    access: new AccessChecker(provider, contracts.licenses, metrics, options.blockPollMs),
    metrics,
    manifests: new ManifestCache(options.store),
    streams: new StreamTracker(metrics, options.maxDownloadsPerClient),
  };

  const app = Fastify({
    logger: options.logger ?? false,
    exposeHeadRoutes: false,
    bodyLimit: 64 * 1024,
    // While closing, requests on open keep-alive connections get our own 503 problem (hook below).
    return503OnClosing: false,
    forceCloseConnections: "idle",
    connectionTimeout: options.idleTimeoutMs ?? 60_000,
    // A hop count is valid at run time (proxy-addr); fastify's typings omit numbers.
    trustProxy: (options.trustProxy ?? false) as boolean | string,
    routerOptions: { maxParamLength: 2048 },
    clientErrorHandler: clientErrorProblem,
    frameworkErrors: (error, _request, reply) => {
      sendProblem(reply, toProblem(error));
    },
  });
  contexts.set(app, ctx);
  installProblems(app);
  // First, so that preflights are answered before anything else and every answer (errors too) carries the headers.
  installCors(app, options.corsOrigins ?? []);

  // Python's huggingface_hub posts paths-info as a form; JSON clients post JSON.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    const form = new URLSearchParams(body as string);
    done(null, { paths: form.getAll("paths"), expand: form.get("expand") ?? undefined });
  });

  app.addHook("onRequest", async (request, reply) => {
    if (closing.has(app)) {
      reply.header("Connection", "close");
      throw new HttpProblem({
        status: 503,
        title: "Shutting down",
        kind: "shutting-down",
        detail: "the gateway is shutting down; retry shortly (another replica may answer)",
        headers: { "Retry-After": "1" },
      });
    }
    checkRequestPath(request.raw.url ?? "/");
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "(unmatched)";
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
  });

  await app.register(rateLimit, {
    max: options.rateLimit ?? 600,
    timeWindow: 60_000,
    // Per signed-in account when a valid token is sent, else per client address: garbage tokens cannot open
    // fresh buckets, and signing in again does not reset an account's count.
    keyGenerator: async (request) => {
      const token = bearerToken(request);
      if (token !== undefined && token.length <= 4096) {
        try {
          return `account:${(await verifyToken(tokenScope, token)).address}`;
        } catch {
          // an invalid token counts against the address it came from
        }
      }
      return `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new HttpProblem({
        status: 429,
        title: "Too many requests",
        kind: "rate-limited",
        detail: `more than ${context.max} requests in ${context.after}; retry after ${Math.ceil(context.ttl / 1000)} s`,
        headers: { "Retry-After": String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }),
  });

  authRoutes(app, ctx, options.signInRateLimit);
  hfInfoRoutes(app, ctx);
  hfResolveRoutes(app, ctx);
  keyRoutes(app, ctx);
  ipfsRoutes(app, ctx);
  opsRoutes(app, ctx);
  publishRoutes(app, ctx, {
    registry: contracts.registry,
    catalogue: writable(options.catalogue),
    maxBytes: options.maxPublishBytes ?? DEFAULT_MAX_PUBLISH_BYTES,
  });
  if (options.inference !== undefined) {
    const meter = contracts.meter;
    if (meter === undefined)
      throw new Error("metered inference needs the UsageMeter (a deployment, or contracts.meter)");
    inferenceServices.set(app, await registerInference(app, ctx, meter, options.inference));
  }
  return app;
}

/** `catalogue` when it can record versions, else undefined. */
function writable(catalogue: CatalogueReader | Catalogue): Catalogue | undefined {
  const c = catalogue as Partial<Catalogue>;
  return typeof c.record === "function" && typeof c.latest === "function" ? (catalogue as Catalogue) : undefined;
}

/**
 * Graceful shutdown: stop accepting connections, let bodies in flight finish for up to `graceMs`, then cut the rest
 * (their connections close; clients see a truncated response, never a corrupt one), and wait for fastify to close.
 * Returns how many streams were cut.
 */
export async function closeGateway(app: FastifyInstance, graceMs = 10_000): Promise<number> {
  const ctx = gatewayContext(app);
  closing.add(app);
  const closed = app.close();
  // A keep-alive connection whose response ends during the grace period would otherwise hold the server open until
  // its keep-alive timeout: close connections as soon as they are idle.
  const idle = setInterval(() => app.server.closeIdleConnections(), 50);
  let cut = 0;
  try {
    if (!(await ctx.streams.drained(graceMs))) {
      cut = ctx.streams.cutAll("shutdown");
      app.server.closeAllConnections();
    }
    await closed;
  } finally {
    clearInterval(idle);
  }
  return cut;
}
