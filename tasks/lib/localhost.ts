/**
 * Which node `--network localhost` reaches. `npm run node` (scripts/node.ts) records the URL and pid of the node it
 * starts in cache/localhost.json and removes the record when the node exits; hardhat.config.ts reads it here.
 * Only node: modules: scripts/node.ts imports this file under plain `node` (Node 22 strips the types).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_LOCALHOST_URL = "http://127.0.0.1:8545";

/** A node started by `npm run node`. */
export interface LocalNode {
  url: string;
  pid: number;
}

/** cache/localhost.json (cache/ is git-ignored), or WEIGHTSHARE_LOCALHOST_RECORD (tests use their own file). */
export function localNodeRecord(env: NodeJS.ProcessEnv = process.env): string {
  return env.WEIGHTSHARE_LOCALHOST_RECORD ?? fileURLToPath(new URL("../../cache/localhost.json", import.meta.url));
}

export function writeLocalNode(node: LocalNode, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(node)}\n`);
}

/** The recorded node, or null if there is no record or it is not one. */
export function readLocalNode(file: string): LocalNode | null {
  try {
    const node = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalNode>;
    const ok = typeof node.url === "string" && Number.isSafeInteger(node.pid) && node.pid! > 0;
    return ok ? (node as LocalNode) : null;
  } catch {
    return null;
  }
}

/** Removes the record if it is still `pid`'s (a node started later may have replaced it). */
export function removeLocalNode(pid: number, file: string): void {
  if (readLocalNode(file)?.pid === pid) rmSync(file, { force: true });
}

/** Whether process `pid` exists (signal 0 only checks; EPERM means it exists but is not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The `localhost` network's URL: WEIGHTSHARE_LOCALHOST_URL if set, else the node `npm run node` recorded if its
 * process is alive, else http://127.0.0.1:8545.
 */
export function localhostUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WEIGHTSHARE_LOCALHOST_URL !== undefined && env.WEIGHTSHARE_LOCALHOST_URL !== "") {
    return env.WEIGHTSHARE_LOCALHOST_URL;
  }
  const node = readLocalNode(localNodeRecord(env));
  return node !== null && isAlive(node.pid) ? node.url : DEFAULT_LOCALHOST_URL;
}
