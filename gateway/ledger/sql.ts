/**
 * What the ledger's logic (spending.ts, settlement.ts) needs of a database, so that one implementation of every
 * rule serves both backends: a `Database` runs a function inside a transaction and hands it a `Sql` that runs
 * statements, and its `Dialect` says how the few things that differ are written. Statements use `?` placeholders
 * (the PostgreSQL backend numbers them).
 *
 * Credits are uint64 on chain, and a licensee may sign the largest cap there is, so every credit column holds the
 * full range 0 .. 2^64-1: `NUMERIC(20,0)` in PostgreSQL, and in SQLite (whose INTEGER is int64) a 20-digit
 * zero-padded decimal TEXT, which SQLite compares and orders exactly as the numbers (`served > settled`,
 * `cap >= ?`, `ORDER BY cap` stay in SQL). Arithmetic on credits is done in code, with bigint, in both backends.
 */

/** A statement parameter. Credits are passed through `Dialect.credit`. */
export type SqlValue = string | number | null;
/** A result row: column name (lowercase) to value. */
export type Row = Record<string, unknown>;

/** Runs statements inside the transaction a `Database` opened. */
export interface Sql {
  /** The rows the statement returns. */
  all(text: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs the statement; returns how many rows it changed. */
  run(text: string, params?: readonly SqlValue[]): Promise<number>;
}

/** How one backend writes what differs between SQLite and PostgreSQL. */
export interface Dialect {
  readonly kind: "sqlite" | "postgres";
  /** A credit amount as a parameter. */
  credit(value: bigint): string;
  /** Appended to a SELECT of a row the transaction will change: " FOR UPDATE", or "" where the transaction already
   * excludes every other writer (SQLite's BEGIN IMMEDIATE). */
  readonly forUpdate: string;
  /** A statement taking the transaction-scoped lock `key`, or undefined where transactions already exclude each
   * other. */
  lock(key: number): string | undefined;
  /** Column definition of a credit column named `name` (type, NOT NULL and range check). */
  creditColumn(name: string): string;
  /** Column type of a 64-bit integer (Unix times, blocks). */
  readonly int64: string;
  /** Column definition of an auto-numbered integer primary key. */
  readonly serialKey: string;
}

/** A database the ledger runs on. */
export interface Database {
  readonly dialect: Dialect;
  /** Runs `fn` in a transaction that may write, and commits; rolls back and rethrows when `fn` throws. */
  write<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs `fn` on one consistent snapshot, read-only. */
  read<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The largest credit amount (uint64). */
export const MAX_CREDIT = 2n ** 64n - 1n;

/** Throws a RangeError naming `what` unless `value` is a uint64 credit amount. */
export function checkCredit(what: string, value: bigint): void {
  if (typeof value !== "bigint" || value < 0n || value > MAX_CREDIT) {
    throw new RangeError(`${what}: expected credits between 0 and 2^64-1, got ${String(value)}`);
  }
}

/** A credit column's value as a bigint (PostgreSQL gives NUMERIC as a string, SQLite the padded TEXT). */
export function creditOf(value: unknown): bigint {
  return BigInt(String(value));
}

/** An integer column's value as a number (PostgreSQL gives BIGINT and COUNT as strings). */
export function intOf(value: unknown): number {
  return Number(value);
}

/** An optional integer column's value, undefined for NULL. */
export function optionalIntOf(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/** An optional text column's value, undefined for NULL. */
export function optionalTextOf(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** The smaller of two bigints. */
export function minCredit(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The larger of two bigints. */
export function maxCredit(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
