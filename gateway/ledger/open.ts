/**
 * Chooses the ledger: PostgreSQL when a database URL is given (replicas share it), else the SQLite file
 * `<dataDir>/ledger.sqlite`; then brings its schema up to date. Each backend is loaded only when chosen (`node:sqlite`
 * warns once that it is experimental; `pg` is not needed by a single gateway).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Ledger } from "./ledger.ts";

/** The SQLite ledger's file name inside the data directory. */
export const SQLITE_LEDGER_FILE = "ledger.sqlite";

/** Where the ledger lives. */
export interface LedgerOptions {
  /** The gateway's data directory (the SQLite ledger is `<dataDir>/ledger.sqlite`). */
  dataDir: string;
  /** A PostgreSQL URL (`postgres://user:password@host:port/db`); "" or unset: SQLite. */
  databaseUrl?: string;
  /** PostgreSQL only: connections per replica (default 10). */
  poolSize?: number;
}

/** Opens the ledger `options` describe and migrates it; see the module comment. */
export async function openLedger(options: LedgerOptions): Promise<Ledger> {
  const url = options.databaseUrl?.trim() ?? "";
  let ledger: Ledger;
  if (url !== "") {
    ledger = await (await import("./postgres.ts")).openPostgresLedger(url, { poolSize: options.poolSize });
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    ledger = await (await import("./sqlite.ts")).openSqliteLedger(path.join(options.dataDir, SQLITE_LEDGER_FILE));
  }
  try {
    await ledger.migrate();
  } catch (error) {
    await ledger.close();
    throw error;
  }
  return ledger;
}
