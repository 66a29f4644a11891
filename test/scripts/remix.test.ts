/**
 * `npm run remix` shares contracts/ with Remix IDE through remixd's server: started here exactly as the README says
 * (with the npm registry unreachable, as offline), it listens on 127.0.0.1 only, answers Remix's plugin protocol over its websocket (handshake, then `get` of a shared
 * file), refuses writes (read-only), and is stopped by its own pid (process group) at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";

import { expect } from "chai";
import WebSocket from "ws";

const PORT = 65_520;
const ORIGIN = "https://remix.ethereum.org";

function portAnswers(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: PORT });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPort(child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`remixd exited (${child.exitCode}):\n${output()}`);
    if (await portAnswers("127.0.0.1")) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`remixd did not listen on 127.0.0.1:${PORT} within 60 s:\n${output()}`);
}

/** Remix's plugin protocol over the websocket: handshake, then one request; resolves to the response message. */
async function remixRequest(key: string, payload: unknown[]): Promise<{ payload?: unknown; error?: string }> {
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}`, { origin: ORIGIN });
  try {
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const responses = new Map<number, { payload?: unknown; error?: string }>();
    ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as { action: string; id: number; payload?: unknown; error?: string };
      if (m.action === "response") responses.set(m.id, m);
    });
    const ask = async (id: number, k: string, p: unknown[]) => {
      ws.send(JSON.stringify({ action: "request", key: k, name: "remixd", id, payload: p }));
      for (let i = 0; i < 80 && !responses.has(id); i++) await new Promise((r) => setTimeout(r, 50));
      const r = responses.get(id);
      if (r === undefined) throw new Error(`no response to ${k}`);
      return r;
    };
    await ask(1, "handshake", []);
    return await ask(2, key, payload);
  } finally {
    ws.close();
  }
}

describe("npm run remix (remixd, read-only, loopback)", function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let output = "";

  before(async function () {
    if (await portAnswers("127.0.0.1")) throw new Error(`port ${PORT} is already in use: stop the other remixd first`);
    // The npm registry made unreachable: remixd's own command would crash on its version check; ours must not.
    child = spawn("npm", ["run", "remix"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, npm_config_registry: "http://127.0.0.1:9/" },
    });
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await waitForPort(child, () => output);
  });

  after(async function () {
    if (child?.pid !== undefined && child.exitCode === null) {
      process.kill(-child.pid, "SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    // npm exits first; remixd, in the same process group, closes its sockets as it exits.
    let open = true;
    for (let i = 0; i < 40 && open; i++) {
      open = await portAnswers("127.0.0.1");
      if (open) await new Promise((r) => setTimeout(r, 250));
    }
    expect(open, "remixd still listening after SIGTERM to its process group").to.equal(false);
  });

  it("shares contracts/, read-only, with remix.ethereum.org, through remixd's server", function () {
    expect(output).to.include(`/contracts with ${ORIGIN}, read-only, on 127.0.0.1:${PORT}`);
    expect(output).to.include(`remixd is listening on 127.0.0.1:${PORT}`);
  });

  it("is bound to 127.0.0.1 only", async function () {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === "IPv4" && !i.internal);
    if (external === undefined) this.skip();
    expect(await portAnswers(external!.address)).to.equal(false);
  });

  it("serves shared files to Remix and refuses to write them", async function () {
    const got = await remixRequest("get", [{ path: "token/ModelVotes.sol" }]);
    expect((got.payload as { content: string }).content).to.equal(
      readFileSync("contracts/token/ModelVotes.sol", "utf8"),
    );
    const set = await remixRequest("set", [{ path: "token/ModelVotes.sol", content: "// overwritten" }]);
    expect(set.error).to.match(/read-only/);
    expect(readFileSync("contracts/token/ModelVotes.sol", "utf8")).to.not.equal("// overwritten");
  });

  it("refuses websocket clients from other origins", async function () {
    const ws = new WebSocket(`ws://127.0.0.1:${PORT}`, { origin: "https://evil.example" });
    const outcome = await new Promise<string>((resolve) => {
      ws.once("open", () => resolve("open"));
      ws.once("error", () => resolve("refused"));
      ws.once("unexpected-response", () => resolve("refused"));
    });
    ws.terminate();
    expect(outcome).to.equal("refused");
  });
});
