/**
 * Child processes for `npm run bench:gateway`: each server under test runs in a process of its own (so its memory
 * is measured alone), bound to 127.0.0.1, and is stopped by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { freePort } from "../../gateway/server/main.ts";

/** A running server: its process and base URL. */
export interface Running {
  process: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

const NGINX = "/usr/sbin/nginx";

/** Stops `child` by its own pid (SIGTERM) and resolves once it has exited. */
export function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
}

/** Starts a child and resolves when a line of its stdout matches `ready` (rejects if it exits first). */
export function startChild(
  command: string,
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout?.on("data", (piece: Buffer) => {
      out += piece.toString();
      const match = out.match(ready);
      if (match !== null) {
        child.stdout?.removeAllListeners("data");
        child.stdout?.resume(); // later output (request logs) is drained, not kept
        resolve({ child, match });
      }
    });
    child.stderr?.on("data", (piece: Buffer) => (err += piece.toString()));
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${err || out}`)));
  });
}

/**
 * Runs a child to its end, its output passed through to ours; rejects unless it exits 0. `onStart` gets its
 * process (so the caller can stop it by pid if the run is abandoned).
 */
export function runToExit(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onStart: (child: ChildProcess) => void = () => undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    onStart(child);
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code ?? signal}`)),
    );
  });
}

/** Node's own static path serving `file` at `<url>/file`. */
export async function startStaticNode(file: string): Promise<Running> {
  const script = fileURLToPath(new URL("./static-server.ts", import.meta.url));
  const { child, match } = await startChild(process.execPath, [script, file], /listening (\d+)/);
  return { process: child, url: `http://127.0.0.1:${match[1]}`, stop: stopper(child) };
}

/**
 * Debian's nginx serving `file` at `<url>/file` (one worker, no master, sendfile on), or null when nginx is not
 * installed (`apt-get install nginx-light`).
 */
export async function startNginx(file: string, workDir: string): Promise<Running | null> {
  if (!existsSync(NGINX)) return null;
  const port = await freePort();
  const dir = path.join(workDir, "nginx");
  mkdirSync(path.join(dir, "logs"), { recursive: true });
  const conf = path.join(dir, "nginx.conf");
  const temp = (name: string) => `${name} ${path.join(dir, name)};`;
  writeFileSync(
    conf,
    [
      "daemon off; master_process off; worker_processes 1;",
      `pid ${path.join(dir, "nginx.pid")}; error_log ${path.join(dir, "logs", "error.log")} error;`,
      "events { worker_connections 256; }",
      "http {",
      "  access_log off; sendfile on; tcp_nopush on; types { } default_type application/octet-stream;",
      `  ${temp("client_body_temp_path")} ${temp("proxy_temp_path")} ${temp("fastcgi_temp_path")}`,
      `  ${temp("uwsgi_temp_path")} ${temp("scgi_temp_path")}`,
      `  server { listen 127.0.0.1:${port}; location = /file { alias ${file}; } }`,
      "}",
    ].join("\n"),
  );
  const child = spawn(NGINX, ["-p", dir, "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}`);
    const ok = await fetch(`${url}/file`, { method: "HEAD" }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { process: child, url, stop: stopper(child) };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGTERM");
  throw new Error("nginx did not answer within 5 s");
}
