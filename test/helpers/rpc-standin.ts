/**
 * A loopback JSON-RPC endpoint answering from an in-process EIP-1193 provider (Hardhat's simulated chain): a
 * stand-in for a node's RPC, so that gateway processes started by a test (`--rpc-url`) reach the test's chain. Single
 * and batched requests; an error keeps the provider's code, message and revert data, so ethers in the gateway decodes
 * reverts as it would from a node. Listens on 127.0.0.1 only; `close()` stops it. Importing this file starts nothing.
 */
import { createServer, type Server } from "node:http";

import type { Eip1193Provider } from "ethers";

/** A running stand-in. */
export interface RpcStandIn {
  /** http://127.0.0.1:<port> */
  url: string;
  server: Server;
  /** JSON-RPC calls answered so far, by method. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

interface RpcCall {
  id: number | string | null;
  method: string;
  params?: unknown[];
}

/** Starts a stand-in over `eip1193`; see the module comment. */
export async function rpcStandIn(eip1193: Eip1193Provider): Promise<RpcStandIn> {
  const calls = new Map<string, number>();
  const answer = async (call: RpcCall) => {
    calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
    try {
      return {
        jsonrpc: "2.0",
        id: call.id,
        result: await eip1193.request({ method: call.method, params: call.params }),
      };
    } catch (error) {
      const { code, data, message } = error as { code?: unknown; data?: unknown; message?: string };
      return {
        jsonrpc: "2.0",
        id: call.id,
        error: {
          code: typeof code === "number" ? code : -32000,
          message: message ?? String(error),
          ...(data !== undefined ? { data } : {}),
        },
      };
    }
  };
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (d: Buffer) => parts.push(d));
    request.on("end", async () => {
      let body: unknown;
      try {
        const call = JSON.parse(Buffer.concat(parts).toString()) as RpcCall | RpcCall[];
        body = Array.isArray(call) ? await Promise.all(call.map(answer)) : await answer(call);
      } catch {
        body = { jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error: expected JSON-RPC" } };
      }
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    server,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
