/**
 * The ledger in an embedded SQLite file (`node:sqlite`), for one gateway (or a few processes on one machine).
 *
 * WAL mode (readers never wait for the writer), `synchronous = NORMAL` (SQLite's advice for WAL: a power cut may
 * lose the last commits, which can only under-charge, never spend a credit twice: the chain and the licensee's
 * receipts bound what is settled), foreign keys on, and a busy timeout, so another process on the same file makes
 * this one wait rather than fail.
 *
 * Every write is one `BEGIN IMMEDIATE` transaction: it takes SQLite's single write lock first, so each spending
 * decision sees the latest committed state and no other connection, in this process or another, writes meanwhile.
 * `DatabaseSync` is synchronous, so a transaction that awaits (a commit's `sign`) must not leave its connection
 * open to other callers: each handle runs its transactions one after another, and waits for another handle's lock
 * by retrying `BEGIN IMMEDIATE` on a timer (SQLite's own busy wait would block the event loop, and with it a
 * second handle of this process that holds the lock and awaits).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";

import type { Ledger } from "./ledger.ts";
import { sqlLedger } from "./sql-ledger.ts";
import type { Database, Dialect, Row, Sql, SqlValue } from "./sql.ts";

/** How long a transaction waits for another connection's write lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 10_000;

/** SQLite's way of writing the ledger's schema and locks (see sql.ts for the credit encoding). */
export const SQLITE_DIALECT: Dialect = {
  kind: "sqlite",
  credit: (value) => value.toString().padStart(20, "0"),
  forUpdate: "",
  lock: () => undefined,
  creditColumn: (name) => `${name} TEXT NOT NULL CHECK (length(${name}) = 20 AND ${name} NOT GLOB '*[^0-9]*')`,
  int64: "INTEGER",
  serialKey: "INTEGER PRIMARY KEY AUTOINCREMENT",
};

/** Opens (creating it when missing) the ledger in the SQLite file `file`; the caller runs `migrate()`. */
export async function openSqliteLedger(file: string): Promise<Ledger> {
  return sqlLedger(openSqliteDatabase(file));
}

/** Opens the SQLite file `file` as a ledger `Database` (see the module comment). */
export function openSqliteDatabase(file: string): Database {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
  } catch (error) {
    throw new Error(`SQLite ledger at ${file}: ${(error as Error).message}`, { cause: error });
  }
  const statements = new Map<string, StatementSync>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function statement(text: string): StatementSync {
    let s = statements.get(text);
    if (s === undefined) {
      s = db.prepare(text);
      statements.set(text, s);
    }
    return s;
  }

  const sql: Sql = {
    async all(text: string, params: readonly SqlValue[] = []): Promise<Row[]> {
      return statement(text).all(...(params as SQLInputValue[])) as Row[];
    },
    async run(text: string, params: readonly SqlValue[] = []): Promise<number> {
      return Number(statement(text).run(...(params as SQLInputValue[])).changes);
    },
  };

  /** Runs `fn` after every earlier call on this handle has finished. */
  function serially<T>(fn: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error(`SQLite ledger at ${file} is closed`));
    const result = queue.then(fn);
    queue = result.catch(() => undefined);
    return result;
  }

  /** BEGIN IMMEDIATE, retried on a timer while another connection holds the write lock. */
  async function beginImmediate(): Promise<void> {
    const giveUpAt = Date.now() + BUSY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      db.exec("PRAGMA busy_timeout = 0");
      try {
        db.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (Date.now() >= giveUpAt) {
          throw new Error(`SQLite ledger at ${file}: still locked by another connection after ${BUSY_TIMEOUT_MS} ms`, {
            cause: error,
          });
        }
      } finally {
        db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      await sleep(Math.random() * Math.min(1 + attempt, 10));
    }
  }

  async function inTransaction<T>(begin: () => Promise<void>, fn: (sql: Sql) => Promise<T>): Promise<T> {
    await begin();
    try {
      const result = await fn(sql);
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }

  return {
    dialect: SQLITE_DIALECT,
    write: (fn) => serially(() => inTransaction(beginImmediate, fn)),
    read: (fn) => serially(() => inTransaction(async () => db.exec("BEGIN"), fn)),
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      db.close();
    },
  };
}

/** Whether `error` is SQLITE_BUSY (or one of its extended codes). */
function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number } | null)?.errcode;
  return typeof code === "number" && (code & 0xff) === 5;
}
