/**
 * `npm run node [-- --port N]`: `hardhat node` on 127.0.0.1 (port 8545 unless `--port N`; other arguments pass
 * through). A busy port is one line naming a free one instead of Hardhat's stack trace. The node's URL and pid are
 * recorded in cache/localhost.json while it runs, so `--network localhost` reaches it on whatever port it uses
 * (hardhat.config.ts; WEIGHTSHARE_LOCALHOST_URL still wins). Ctrl-C or SIGTERM stops the node and removes the record.
 * Run with plain `node` (Node 22 strips the types).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

import { localNodeRecord, removeLocalNode, writeLocalNode } from "../tasks/lib/localhost.ts";

const HOST = "127.0.0.1";
const DEFAULT_PORT = 8545;
const cli = fileURLToPath(new URL("../node_modules/hardhat/dist/src/cli.js", import.meta.url));

function fail(line: string): never {
  console.error(`error: ${line}`);
  process.exit(1);
}

/** `--port N` / `--port=N` (default 8545); everything else goes to `hardhat node` unchanged. */
function parse(argv: string[]): { port: number; rest: string[] } {
  let port = DEFAULT_PORT;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--port" || arg.startsWith("--port=")) {
      const value = arg === "--port" ? argv[++i] : arg.slice("--port=".length);
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65_535) {
        fail(
          `--port: expected a port number 1..65535 (e.g. --port 8546), got ${value === undefined ? "none" : `"${value}"`}`,
        );
      }
      port = Number(value);
    } else if (arg === "--hostname" || arg.startsWith("--hostname=")) {
      fail(`--hostname: npm run node listens on ${HOST} only; run npx hardhat node --hostname … to listen elsewhere`);
    } else {
      rest.push(arg);
    }
  }
  return { port, rest };
}

/** null if `port` is free on 127.0.0.1, else why not (EADDRINUSE, EACCES...). */
function tryPort(port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, HOST, () => server.close(() => resolve(null)));
  });
}

/** A free port after `port`, to suggest (the next one if none of the next 20 is free). */
async function nextFree(port: number): Promise<number> {
  for (let p = port + 1; p <= Math.min(port + 20, 65_535); p++) if ((await tryPort(p)) === null) return p;
  return port + 1;
}

const { port, rest } = parse(process.argv.slice(2));
const busy = await tryPort(port);
if (busy !== null) {
  const other = await nextFree(port);
  if (busy.code === "EADDRINUSE") {
    fail(`port ${port} on ${HOST} is in use (another node?); start on another with npm run node -- --port ${other}`);
  }
  fail(`port ${port} on ${HOST}: ${busy.code ?? busy.message}; start on another with npm run node -- --port ${other}`);
}

const record = localNodeRecord();
const node = spawn(process.execPath, [cli, "node", "--hostname", HOST, "--port", String(port), ...rest], {
  stdio: "inherit",
});
node.once("error", (error) => fail(`could not start hardhat node: ${error.message}`));
const pid = node.pid;
if (pid !== undefined) writeLocalNode({ url: `http://${HOST}:${port}`, pid }, record);

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (node.exitCode === null && node.signalCode === null) node.kill(signal);
  });
}
node.once("exit", (code, signal) => {
  if (pid !== undefined) removeLocalNode(pid, record);
  process.exit(code ?? (signal === null ? 1 : 128 + constants.signals[signal]));
});
