/**
 * The gateway's Prometheus metrics (prom-client), in a registry of its own per gateway instance so that several
 * gateways in one process (tests) do not share counters.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";

/** Every metric the gateway updates. */
export interface GatewayMetrics {
  registry: Registry;
  /** Requests answered, by route pattern, method and status. */
  requests: Counter<"route" | "method" | "status">;
  /** Bytes of response bodies streamed: decrypted model files ("plaintext") or raw IPFS content ("ciphertext"). */
  bytesServed: Counter<"kind">;
  /** On-chain access checks, by result: granted, denied or error (chain unreachable). */
  accessChecks: Counter<"result">;
  /** Access cache lookups: hit (same block) or miss (asked the chain). */
  accessCache: Counter<"result">;
  /** Downloads being streamed right now. */
  activeStreams: Gauge;
  /** Streams cut because access was lost mid-download. */
  streamsCut: Counter<"reason">;
  /** Metered inference calls by route and outcome: served, failed (charged nothing), or the refusal's status. */
  inferenceCalls: Counter<"route" | "outcome">;
  /** Credits charged for inference, by route. */
  creditsCharged: Counter<"route">;
}

/** Creates the metrics in a fresh registry; `defaults` adds prom-client's process metrics (memory, CPU, GC). */
export function createMetrics(defaults = true): GatewayMetrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: "weightshare_gateway_" });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: "weightshare_gateway_requests_total",
      help: "HTTP requests answered, by route, method and status",
      labelNames: ["route", "method", "status"],
      registers,
    }),
    bytesServed: new Counter({
      name: "weightshare_gateway_bytes_served_total",
      help: "Response body bytes streamed: plaintext (decrypted model files) or ciphertext (raw IPFS content)",
      labelNames: ["kind"],
      registers,
    }),
    accessChecks: new Counter({
      name: "weightshare_gateway_access_checks_total",
      help: "On-chain hasAccess checks, by result (granted, denied, error)",
      labelNames: ["result"],
      registers,
    }),
    accessCache: new Counter({
      name: "weightshare_gateway_access_cache_total",
      help: "Access cache lookups (hit: same block; miss: asked the chain)",
      labelNames: ["result"],
      registers,
    }),
    activeStreams: new Gauge({
      name: "weightshare_gateway_active_streams",
      help: "Downloads being streamed",
      registers,
    }),
    streamsCut: new Counter({
      name: "weightshare_gateway_streams_cut_total",
      help: "Streams cut before their end, by reason (access-lost, shutdown, storage)",
      labelNames: ["reason"],
      registers,
    }),
    inferenceCalls: new Counter({
      name: "weightshare_gateway_inference_calls_total",
      help: "Metered inference calls, by route and outcome (served, failed: charged nothing, or the refusal's status)",
      labelNames: ["route", "outcome"],
      registers,
    }),
    creditsCharged: new Counter({
      name: "weightshare_gateway_credits_charged_total",
      help: "Credits charged for inference, by route",
      labelNames: ["route"],
      registers,
    }),
  };
}
