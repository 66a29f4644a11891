/**
 * A gateway replica as a real process: `gateway/server/main.ts` run by plain Node 22 (no TypeScript loader, as an
 * operator runs it) with metered inference on (the operator key in its environment), a PostgreSQL ledger shared with
 * the other replicas (`--database-url`), its own `--replica-id`, and a fast settler (`--settle-every`,
 * `--settle-lease`). The helper waits for its "gateway listening" line, keeps what its settler logged and the last
 * lines of everything else, and stops it by its pid: `kill()` (SIGKILL, a crash) or `stop()` (SIGTERM, then SIGKILL
 * after a bounded wait). A test process that dies first takes its replicas down with it. Importing starts nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** What a replica is started with. */
export interface ReplicaOptions {
  /** `--replica-id`: the settler lease holder's name. */
  id: string;
  rpcUrl: string;
  dataDir: string;
  /** The deployment record file. */
  deployment: string;
  databaseUrl: string;
  /** The SIWE domain every replica shares (so a token from one works on all). */
  domain: string;
  /** WEIGHTSHARE_GATEWAY_KEK, WEIGHTSHARE_GATEWAY_TOKEN_SECRET, WEIGHTSHARE_OPERATOR_KEY. */
  env: Record<string, string>;
  /** `--settle-every` (default 1s) and `--settle-lease` (default 3s). */
  settleEvery?: string;
  settleLease?: string;
}

/** A running replica. */
export interface ReplicaProcess {
  id: string;
  pid: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every line the settler logged, in order. */
  settlerLog: string[];
  /** The last lines of its output (stdout and stderr), for failure messages. */
  tail(): string;
  /** Resolves when the process has exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether it still runs. */
  running(): boolean;
  /** SIGKILL by pid (a crash: nothing is flushed or released); resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM by pid, then SIGKILL if it has not exited within `graceMs`; resolves with its exit. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const TAIL_LINES = 200;
const started = new Set<ChildProcess>();
let exitGuard = false;

/** Kills every replica still running when the test process exits (a crashed or interrupted run). */
function guardExit(): void {
  if (exitGuard) return;
  exitGuard = true;
  process.once("exit", () => {
    for (const child of started) if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 9);
  });
}

/** Starts a replica; resolves once it listens (rejects with its output if it exits first). */
export async function startReplica(options: ReplicaOptions): Promise<ReplicaProcess> {
  guardExit();
  const args = [
    "gateway/server/main.ts",
    ...["--rpc-url", options.rpcUrl, "--port", "0", "--data-dir", options.dataDir],
    ...["--deployment", options.deployment, "--domain", options.domain, "--database-url", options.databaseUrl],
    ...["--replica-id", options.id, "--settle-every", options.settleEvery ?? "1s"],
    ...["--settle-lease", options.settleLease ?? "3s"],
  ];
  const child = spawn(process.execPath, args, {
    // No loader inherited from the test runner: plain Node type stripping, as in production.
    env: { ...process.env, ...options.env, LOG_LEVEL: "info", NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`replica ${options.id}: could not start ${process.execPath}`);
  started.add(child);
  const pid = child.pid;
  const lines: string[] = [];
  const settlerLog: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      started.delete(child);
      resolve({ code, signal });
    }),
  );
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d;
    const complete = stderr.split("\n");
    stderr = complete.pop()!;
    complete.forEach(keep);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffered += d;
      const complete = buffered.split("\n");
      buffered = complete.pop()!;
      for (const line of complete) {
        keep(line);
        let entry: { msg?: string; url?: string; settler?: boolean };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (entry.settler === true && entry.msg !== undefined) settlerLog.push(entry.msg);
        if (entry.msg === "gateway listening") resolve(entry.url!);
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`replica ${options.id} exited (${code ?? signal}) before listening:\n${lines.join("\n")}`)),
    );
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    id: options.id,
    pid,
    url,
    settlerLog,
    tail: () => lines.join("\n"),
    exited,
    running,
    async kill() {
      if (running()) process.kill(pid, "SIGKILL");
      await exited;
    },
    async stop(graceMs = 15_000) {
      if (!running()) return exited;
      process.kill(pid, "SIGTERM");
      const timer = setTimeout(() => running() && process.kill(pid, "SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
