/**
 * The HTTP client of the upstream hop: plain `node:http` / `node:https` requests on keep-alive agents, one per
 * upstream origin, each holding at most `MAX_UPSTREAM_SOCKETS` connections (further calls wait for a free one, within
 * the call's deadline). fetch's WHATWG streams cost more CPU per call than the rest of a proxied call; the raw
 * response is a Node stream, read with backpressure by forward.ts and relay.ts.
 *
 * Idle pooled connections are closed after `IDLE_SOCKET_MS`, or a second before the upstream's own `Keep-Alive:
 * timeout=` says it would close them, so a call seldom lands on a connection the upstream is closing.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type AgentOptions,
  type ClientRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

import { upstreamEndpoint, type Upstream } from "./upstreams.ts";

/** Connections the gateway keeps open at most to one upstream origin. */
export const MAX_UPSTREAM_SOCKETS = 256;
/** How long a pooled connection to an upstream may stay idle before the gateway closes it (ms). */
export const IDLE_SOCKET_MS = 4_000;

/** Where one endpoint of an upstream is, resolved once. */
interface Target {
  https: boolean;
  hostname: string;
  port: string;
  path: string;
  agent: HttpAgent;
}

/** The keep-alive agents of one set of routes, and the endpoints they serve (resolved once per URL). */
export class UpstreamAgents {
  private readonly agents = new Map<string, HttpAgent>();
  private readonly targets = new Map<string, Target>();

  /**
   * Starts a POST of `body` to `endpoint` ("chat/completions"...) on `upstream`, and hands the request to `onRequest`
   * (so that it can be destroyed: a deadline, the client leaving). Resolves with the response once its headers
   * arrived (body unread); rejects when the request fails or is destroyed first.
   */
  post(
    upstream: Upstream,
    endpoint: string,
    headers: Record<string, string>,
    body: string,
    onRequest: (request: ClientRequest) => void,
  ): Promise<IncomingMessage> {
    const target = this.target(upstream, endpoint);
    const send = target.https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send({
        method: "POST",
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        agent: target.agent,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      });
      request.on("response", resolve);
      // Kept for the request's whole life: an error after the response (its body cut) must not go unhandled.
      request.on("error", reject);
      onRequest(request);
      request.end(body);
    });
  }

  /** Closes every connection (the routes' server is closing). */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.targets.clear();
  }

  private target(upstream: Upstream, endpoint: string): Target {
    const href = upstreamEndpoint(upstream, endpoint);
    let target = this.targets.get(href);
    if (target === undefined) {
      const url = new URL(href);
      const https = url.protocol === "https:";
      target = {
        https,
        // An IPv6 literal is bracketed in a URL, not in a host name.
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port,
        path: `${url.pathname}${url.search}`,
        agent: this.agent(url.origin, https),
      };
      if (this.targets.size >= 1_000) this.targets.clear();
      this.targets.set(href, target);
    }
    return target;
  }

  private agent(origin: string, https: boolean): HttpAgent {
    let agent = this.agents.get(origin);
    if (agent === undefined) {
      const options: AgentOptions = {
        keepAlive: true,
        maxSockets: MAX_UPSTREAM_SOCKETS,
        timeout: IDLE_SOCKET_MS,
        scheduling: "lifo",
      };
      agent = https ? new HttpsAgent(options) : new HttpAgent(options);
      this.agents.set(origin, agent);
    }
    return agent;
  }
}

/** Reads the whole of `response`, at most `limit` bytes, each chunk within `idleMs` of the previous one. */
export function readWhole(
  response: IncomingMessage,
  limit: number,
  idleMs: number,
  onIdle: () => void,
): Promise<{ body: Buffer } | { tooLarge: true }> {
  return new Promise((resolve, reject) => {
    if (response.destroyed) return reject(new Error("the upstream's answer was cut"));
    const parts: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(onIdle, idleMs);
    const finish = (error: Error | undefined, result?: { body: Buffer } | { tooLarge: true }) => {
      clearTimeout(timer);
      response.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (error !== undefined) reject(error);
      else resolve(result!);
    };
    const onData = (chunk: Buffer) => {
      timer.refresh();
      size += chunk.length;
      if (size > limit) {
        response.destroy();
        return finish(undefined, { tooLarge: true });
      }
      parts.push(chunk);
    };
    const onEnd = () => finish(undefined, { body: Buffer.concat(parts, size) });
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(new Error("the upstream's answer was cut"));
    response.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}
