/**
 * The app's build for the stack: `vite build --config app/vite.config.ts` into app/dist, run when the build is missing
 * or older than what it is built from.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { childEnv, runNode } from "./processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const viteCli = path.join(root, "node_modules", "vite", "bin", "vite.js");
/** Where the built app is. */
export const appDist = path.join(root, "app", "dist");

/** The newest modification time (ms) of any file under `paths` (directories walked; dist and node_modules skipped). */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== "dist" && entry !== "node_modules") walk(path.join(p, entry));
    } else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of paths) walk(p);
  return newest;
}

/** Whether app/dist is missing or older than what the app is built from. */
export function appBuildStale(): boolean {
  const built = path.join(appDist, "index.html");
  if (!existsSync(built)) return true;
  const sources = ["app", "client", "governance", "indexer/proposal-state.ts", "package-lock.json"];
  return newestMtime(sources.map((p) => path.join(root, p))) > statSync(built).mtimeMs;
}

/** Builds the app into app/dist (`vite build --config app/vite.config.ts`). */
export async function buildApp(): Promise<void> {
  await runNode(
    "vite build",
    [viteCli, "build", "--config", "app/vite.config.ts", "--logLevel", "warn"],
    root,
    childEnv({}),
  );
}
