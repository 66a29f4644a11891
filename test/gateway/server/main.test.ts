/**
 * The gateway as a process (gateway/server/main.ts, run by plain Node 22, no TypeScript loader, as an operator runs it):
 * it reads flags and environment, reaches the chain at --rpc-url (here a loopback JSON-RPC stand-in forwarding to
 * Hardhat's simulated chain, since no node process runs in tests), logs JSON lines without tokens or keys, serves
 * a licensee, and on SIGTERM shuts down and exits 0. A bad setting is one line and exit code 1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { deploymentOf } from "../../helpers/fixtures.js";
import { gatewayWorld, type GatewayWorld } from "./fixture.js";
import { signIn as clientSignIn } from "../../../gateway/client/sign-in.js";

const connection = await hre.network.create();
const NODE = process.execPath;

/** A loopback JSON-RPC endpoint answering from the in-process simulated chain (stand-in for a node's RPC). */
async function rpcStandIn(world: GatewayWorld): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (d) => parts.push(d));
    request.on("end", async () => {
      const call = JSON.parse(Buffer.concat(parts).toString()) as { id: number; method: string; params?: unknown[] };
      const answer = async (c: typeof call) => {
        try {
          return {
            jsonrpc: "2.0",
            id: c.id,
            result: await world.eip1193.request({ method: c.method, params: c.params }),
          };
        } catch (error) {
          return { jsonrpc: "2.0", id: c.id, error: { code: -32000, message: (error as Error).message } };
        }
      };
      const body = Array.isArray(call) ? await Promise.all(call.map(answer)) : await answer(call);
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** Starts main.ts; resolves with the process and its log lines once it logs "gateway listening". */
function startProcess(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(NODE, ["gateway/server/main.ts", ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: "info", NODE_OPTIONS: "" }, // no loader inherited from the runner
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const listening = new Promise<{ url: string }>((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (d) => {
      buffered += d;
      const complete = buffered.split("\n");
      buffered = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "gateway listening") resolve({ url: entry.url! });
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  listening.catch(() => undefined); // a test that expects the process to fail does not wait for it
  return { child, lines, listening, stderr: () => stderr };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("gateway/server/main: the process", function () {
  this.timeout(180_000);
  let world: GatewayWorld;
  let rpc: { server: Server; url: string };
  let deploymentFile: string;

  before(async function () {
    world = await gatewayWorld(connection);
    rpc = await rpcStandIn(world);
    deploymentFile = path.join(world.dataDir, "deployment.json");
    await writeFile(deploymentFile, JSON.stringify(await deploymentOf(world.protocol)));
  });
  after(async function () {
    rpc?.server.close();
    await world?.close();
  });

  it("serves a licensee, logs JSON without tokens, and exits 0 on SIGTERM", async function () {
    const { child, lines, listening } = startProcess(
      ["--rpc-url", rpc.url, "--port", "0", "--data-dir", world.dataDir, "--deployment", deploymentFile],
      { WEIGHTSHARE_GATEWAY_KEK: world.kek.toString("hex") },
    );
    const exit = exited(child);
    try {
      const { url } = await listening;
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The gateway's own client signs in for the URL's host, which is the default SIWE domain.
      const session = await clientSignIn(url, world.licensee);
      const response = await fetch(`${url}/weightshare/${world.modelId}/resolve/main/config.json`, {
        headers: { Authorization: `Bearer ${session.token}` },
      });
      expect(response.status).to.equal(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(world.files.get("config.json")!)).to.equal(true);
      expect((await fetch(`${url}/healthz`)).status).to.equal(200);
      child.kill("SIGTERM");
      expect(await exit).to.equal(0);
      const log = lines.join("\n");
      expect(log).to.not.contain(session.token.slice(3, 40));
      expect(log).to.not.contain(world.kek.toString("hex"));
      const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(messages).to.include.members(["gateway listening", "signed in", "download", "gateway stopped"]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a bad setting in one line with exit code 1", async function () {
    const { child, stderr } = startProcess(["--port", "99999"], {});
    const code = await exited(child);
    expect(code).to.equal(1);
    expect(stderr().trim()).to.equal('error: --port: expected 0..65535 (0 = any free port), got "99999"');
  });
});
