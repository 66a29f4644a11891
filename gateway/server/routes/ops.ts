/**
 * Operating endpoints: `GET /healthz` (the chain answers with a block number and the store answers a lookup: 200
 * JSON; otherwise 503 problem+json listing what failed) and `GET /metrics` (Prometheus text format).
 */
import type { FastifyInstance } from "fastify";

import type { GatewayContext } from "../context.ts";
import { HttpProblem } from "../problem.ts";

const PROBE_CID = "bafkqaaa"; // the empty identity CID: a lookup any store can answer without data

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Registers /healthz and /metrics. */
export function opsRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get("/healthz", { config: { rateLimit: false } }, async (_request, reply) => {
    const [chain, store] = await Promise.allSettled([
      within(3000, ctx.access.currentBlock()),
      within(3000, ctx.store.has(PROBE_CID)),
    ]);
    const checks = {
      chain: chain.status === "fulfilled" ? { ok: true, block: chain.value } : { ok: false },
      // The kind only: the description names a data directory or an IPFS node's URL, not for anonymous callers.
      store: {
        ok: store.status === "fulfilled",
        kind: ctx.store.description.startsWith("IPFS node") ? "ipfs-node" : "embedded",
      },
      activeStreams: ctx.streams.size,
    };
    reply.header("Cache-Control", "no-store");
    if (!checks.chain.ok || !checks.store.ok) {
      const failed = [!checks.chain.ok && "chain", !checks.store.ok && "store"].filter(Boolean).join(" and ");
      throw new HttpProblem({
        status: 503,
        title: "Unhealthy",
        kind: "unhealthy",
        detail: `the gateway cannot reach its ${failed}`,
        extensions: { checks },
      });
    }
    return { status: "ok", chainId: Number(ctx.chainId), domain: ctx.domain, checks };
  });

  app.get("/metrics", { config: { rateLimit: false } }, async (_request, reply) => {
    reply.header("Content-Type", ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
