/**
 * Running the project's command line as a user does, from tests: the Hardhat CLI and scripts as child processes
 * with a user's environment, free loopback ports, and waiting for a node's JSON-RPC.
 */
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
export const cli = path.join(root, "node_modules", "hardhat", "dist", "src", "cli.js");

export function cleanEnv(): NodeJS.ProcessEnv {
  // What `hardhat test` sets for itself (HARDHAT_*, HH_TEST, NODE_ENV) is not what a user's shell has.
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("HARDHAT_") && key !== "HH_TEST" && key !== "NODE_ENV",
    ),
  );
}

/** `node <args>` from the project root, as a user's shell runs it (no colours, no stdin). */
export function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...cleanEnv(), FORCE_COLOR: "0", ...env },
    encoding: "utf8",
    input: "",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`);
  return ((await res.json()) as { result: unknown }).result;
}

export async function waitForRpc(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await rpc(url, "eth_chainId");
      return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`hardhat node did not answer on ${url} within ${ms} ms`);
}
