/**
 * Child processes of the `npm run app` stack: each started with its own output kept (the last lines, for error
 * messages), waited for by polling what it serves (never by the clock), and stopped by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/** A running child: its pid, its recent output, and how to stop it. */
export interface Child {
  name: string;
  pid: number;
  /** The last lines it printed. */
  output(): string;
  /** The exit code or signal once it has exited, else undefined. */
  exited(): number | string | undefined;
  /** Resolves when it has exited (successfully or not). */
  exit: Promise<void>;
  /** SIGTERM to its own pid; SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
const directories = new Set<string>();
let exitHookInstalled = false;

/**
 * Kills what is still running and removes the temporary directories when this process exits without stopping its
 * stack (each child by its own pid).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  });
}

/** Removes `dir` when this process exits, unless `forget` is called first (once the stack removed it itself). */
export function removeOnExit(dir: string): { forget(): void } {
  installExitHook();
  directories.add(dir);
  return { forget: () => void directories.delete(dir) };
}

/** Starts `node <args>` (this Node) in `cwd` with `env`, keeping its last 200 lines of output. */
export function startNode(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Child {
  installExitHook();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let status: number | string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once("error", (error) => {
      status ??= error.message;
      running.delete(child);
      resolve();
    });
    child.once("exit", (code, signal) => {
      status = code ?? signal ?? -1;
      running.delete(child);
      resolve();
    });
  });
  return {
    name,
    pid: child.pid ?? -1,
    output: () => lines.slice(-60).join("\n"),
    exited: () => status,
    exit,
    async stop(graceMs = 10_000) {
      if (status !== undefined || child.pid === undefined) return;
      process.kill(child.pid, "SIGTERM"); // its own pid
      const kill = setTimeout(() => {
        if (status === undefined) process.kill(child.pid!, "SIGKILL");
      }, graceMs);
      await exit;
      clearTimeout(kill);
    },
  };
}

/** Runs `node <args>` to its end; rejects with its output unless it exits 0. */
export async function runNode(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const child = startNode(name, args, cwd, env);
  await child.exit;
  if (child.exited() !== 0) throw new Error(`${name} failed (exit ${child.exited()}):\n${child.output()}`);
}

/**
 * Polls `probe` every 200 ms until it returns true; rejects if `child` exits first or `ms` pass (a bound on a
 * hung start, not a wait: readiness is what the probe sees).
 */
export async function waitUntil(child: Child, what: string, probe: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exited() !== undefined) {
      throw new Error(`${child.name} exited (${child.exited()}) before ${what}:\n${child.output()}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`${child.name}: not ${what} within ${ms / 1000} s:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The result of one JSON-RPC call to `url`. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** The environment a child gets: ours without what `hardhat test` sets for itself (HARDHAT_*, HH_TEST, NODE_ENV). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("HARDHAT_") && key !== "HH_TEST" && key !== "NODE_ENV",
    ),
  );
  return { ...env, FORCE_COLOR: "0", ...extra };
}
