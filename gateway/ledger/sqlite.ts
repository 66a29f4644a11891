/**
 * The ledger in an embedded SQLite file (`node:sqlite`), for one gateway (or a few processes on one machine).
 *
 * WAL mode (readers never wait for the writer), `synchronous = NORMAL` (SQLite's advice for WAL: a power cut may
 * lose the last commits, which can only under-charge, never spend a credit twice: the chain and the licensee's
 * receipts bound what is settled), foreign keys on. A file SQLite will not put in WAL mode is refused.
 *
 * Every write is one `BEGIN IMMEDIATE` transaction: it takes SQLite's single write lock first, so each spending
 * decision sees the latest committed state and no other connection, in this process or another, writes meanwhile.
 * `DatabaseSync` is synchronous, so a transaction that awaits must not leave its connection open to other callers:
 * each handle runs its transactions one after another.
 *
 * Waiting for another connection's lock: SQLite's own busy wait would block the event loop (and with it a second
 * handle of this process that holds the lock and awaits), so the connection's busy timeout is 0 once it is open, and
 * where SQLITE_BUSY can occur in WAL mode the gateway waits on a timer and tries again, for `BUSY_TIMEOUT_MS` at
 * most: at `BEGIN IMMEDIATE` (another writer), and in a read transaction (another connection recovering the WAL or
 * holding the file exclusively), which is read-only and so run again whole. Inside a write transaction, COMMIT
 * included, WAL mode never answers SQLITE_BUSY: the write lock is held, and the checkpoint after a commit is passive
 * (were it to, the transaction would roll back and fail, never wait with the event loop blocked).
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
    // SQLite's own busy wait only while opening: switching to WAL needs a moment of exclusive access.
    db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
    const { journal_mode: mode } = db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode: string };
    if (mode !== "wal" && mode !== "memory") {
      db.close();
      throw new Error(`expected WAL journal mode, got "${mode}" (WAL needs a local file system)`);
    }
    db.exec(`PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 0`);
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

  /** Runs `attempt` again, on a timer, while it fails with SQLITE_BUSY (see the module comment). */
  async function whileBusy<T>(attempt: () => Promise<T>): Promise<T> {
    const giveUpAt = Date.now() + BUSY_TIMEOUT_MS;
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (Date.now() >= giveUpAt) {
          throw new Error(`SQLite ledger at ${file}: still locked by another connection after ${BUSY_TIMEOUT_MS} ms`, {
            cause: error,
          });
        }
      }
      await sleep(Math.random() * Math.min(1 + tries, 10));
    }
  }

  async function inTransaction<T>(begin: () => Promise<void>, fn: (sql: Sql) => Promise<T>): Promise<T> {
    await begin();
    try {
      const result = await fn(sql);
      statement("COMMIT").run();
      return result;
    } catch (error) {
      if (db.isTransaction) statement("ROLLBACK").run();
      throw error;
    }
  }

  const beginImmediate = () => whileBusy(async () => void statement("BEGIN IMMEDIATE").run());
  const beginRead = async () => void statement("BEGIN").run();

  return {
    dialect: SQLITE_DIALECT,
    write: (fn) => serially(() => inTransaction(beginImmediate, fn)),
    read: (fn) => serially(() => whileBusy(() => inTransaction(beginRead, fn))),
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
