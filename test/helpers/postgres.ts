/**
 * A throwaway PostgreSQL cluster for tests: Debian's `postgresql` binaries (/usr/lib/postgresql/<version>/bin, 15
 * preferred), a fresh data directory in a temporary directory, listening on a free loopback port only (and a Unix
 * socket inside that directory), fsync off. `initdb` refuses to run as root, so as root every command runs as the
 * `postgres` user (`runuser`). `stop()` stops the server of that data directory (`pg_ctl -m immediate`, which
 * signals the postmaster by the pid it recorded) and removes the directory; a process that exits without calling it
 * still stops its cluster.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import pg from "pg";

// `.ts`, so plain-Node scripts (scripts/bench-indexer.ts) can import this module too.
import { freePort } from "../../gateway/server/main.ts";

const run = promisify(execFile);
const ROOT = "/usr/lib/postgresql";

/** A running cluster. */
export interface RunningPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, loopback only). */
  url: string;
  /** A new empty database on the cluster; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (immediate mode) and removes its directory. */
  stop(): Promise<void>;
}

/** The directory of PostgreSQL's server binaries (version 15 if installed, else the newest), or undefined. */
export function postgresBinaries(): string | undefined {
  if (!existsSync(ROOT)) return undefined;
  const versions = readdirSync(ROOT)
    .filter((v) => existsSync(path.join(ROOT, v, "bin", "initdb")) && existsSync(path.join(ROOT, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  const chosen = versions.includes("15") ? "15" : versions[0];
  return chosen === undefined ? undefined : path.join(ROOT, chosen, "bin");
}

/** Why no cluster can be started here (say it when skipping), or undefined when one can. */
export function postgresMissing(): string | undefined {
  if (postgresBinaries() !== undefined) return undefined;
  return `PostgreSQL server binaries not found under ${ROOT} (install Debian's postgresql package)`;
}

/** Starts a cluster (see the module comment); throws when `postgresMissing()` says why it cannot. */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinaries();
  if (bin === undefined) throw new Error(postgresMissing());
  const asRoot = process.getuid?.() === 0;
  const as = (command: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, command), ...args])
      : run(path.join(bin, command), args);
  const dir = await mkdtemp(path.join(tmpdir(), "ws-pg-"));
  const data = path.join(dir, "data");
  if (asRoot) {
    const { uid, gid } = postgresUser();
    await chown(dir, uid, gid);
  }
  const stopArgs = ["-D", data, "-m", "immediate", "-w", "stop"];
  const stopOnExit = () => {
    const [command, args] = asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(bin, "pg_ctl"), ...stopArgs]]
      : [path.join(bin, "pg_ctl"), stopArgs];
    spawnSync(command as string, args as string[], { stdio: "ignore" });
    spawnSync("rm", ["-rf", dir], { stdio: "ignore" });
  };
  try {
    await as("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
      try {
        await as("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", options, "start"]);
        break;
      } catch (error) {
        if (attempt === 3) throw error; // the port may have been taken between freePort and start
      }
    }
    process.once("exit", stopOnExit);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name}: expected [a-z_][a-z0-9_]*`);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        process.removeListener("exit", stopOnExit);
        await as("pg_ctl", stopArgs);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopOnExit();
    throw error;
  }
}

/** The `postgres` user's uid and gid. */
function postgresUser(): { uid: number; gid: number } {
  const r = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) throw new Error("no postgres user: initdb cannot run as root without it");
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}
