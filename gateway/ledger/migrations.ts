/**
 * The ledger's schema, as an ordered list of versioned migrations, and `migrate`, which applies those a database
 * has not applied yet. Applied versions are rows of `schema_migrations` (version, description, applied_at in Unix
 * ms). Each migration's statements are written once for both backends, with the dialect's column types (sql.ts);
 * a migration is never edited once released: a change of schema is a new migration at the end of the list.
 *
 * Replicas may start together and race to migrate: the whole run is one transaction, under PostgreSQL's
 * `pg_advisory_xact_lock` (the loser waits, then finds everything applied) or SQLite's BEGIN IMMEDIATE (one writer
 * at a time). DDL is transactional in both, so a failed migration leaves nothing half applied.
 */
import type { Database, Dialect } from "./sql.ts";

/** One schema change. */
export interface Migration {
  /** 1, 2, 3, ... in order, never reused. */
  version: number;
  description: string;
  /** The statements, in order, written with `dialect`'s column types. */
  up(dialect: Dialect): string[];
}

/** Advisory lock key (PostgreSQL) held while migrating; any constant no other code of the database uses. */
export const MIGRATION_LOCK = 7_157_001;

/** The ledger's migrations, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "licences, receipts, calls, settlement batches, settler lease",
    up: (d) => [
      `CREATE TABLE licences (
        licence_id TEXT PRIMARY KEY,
        model_id TEXT NOT NULL,
        holder TEXT NOT NULL,
        metered INTEGER NOT NULL CHECK (metered IN (0, 1)),
        ${d.creditColumn("cap")},
        cap_deadline ${d.int64} NOT NULL,
        ${d.creditColumn("served")},
        ${d.creditColumn("reserved")},
        ${d.creditColumn("settled")},
        ${d.creditColumn("chain_credits")},
        ${d.creditColumn("chain_settled")},
        chain_block ${d.int64} NOT NULL,
        unsettled_since ${d.int64}
      )`,
      // Licences with usage to settle, oldest first (createBatch, stats).
      `CREATE INDEX licences_unsettled ON licences (unsettled_since, licence_id) WHERE served > settled`,
      `CREATE TABLE receipts (
        licence_id TEXT NOT NULL REFERENCES licences (licence_id),
        ${d.creditColumn("cap")},
        model_id TEXT NOT NULL,
        signer TEXT NOT NULL,
        deadline ${d.int64} NOT NULL,
        signature TEXT NOT NULL,
        accepted_at ${d.int64} NOT NULL,
        PRIMARY KEY (licence_id, cap)
      )`,
      `CREATE TABLE calls (
        call_id TEXT PRIMARY KEY,
        licence_id TEXT NOT NULL REFERENCES licences (licence_id),
        account TEXT NOT NULL,
        route TEXT NOT NULL,
        model TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('reserved', 'served', 'failed')),
        ${d.creditColumn("reserved_cost")},
        ${d.creditColumn("cost")},
        ${d.creditColumn("total")},
        prompt_tokens ${d.int64},
        completion_tokens ${d.int64},
        started_at ${d.int64} NOT NULL,
        finished_at ${d.int64},
        gateway_signature TEXT
      )`,
      `CREATE INDEX calls_served_by_account ON calls (account, finished_at) WHERE status = 'served'`,
      `CREATE INDEX calls_served_by_licence ON calls (licence_id, total) WHERE status = 'served'`,
      `CREATE TABLE batches (
        id ${d.serialKey},
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'confirmed', 'failed')),
        tx_hash TEXT,
        confirmed_block ${d.int64},
        attempts INTEGER NOT NULL,
        last_error TEXT,
        created_at ${d.int64} NOT NULL,
        updated_at ${d.int64} NOT NULL
      )`,
      `CREATE INDEX batches_open ON batches (id) WHERE status IN ('pending', 'sent')`,
      `CREATE TABLE batch_items (
        batch_id ${d.int64} NOT NULL REFERENCES batches (id),
        item_index INTEGER NOT NULL,
        licence_id TEXT NOT NULL REFERENCES licences (licence_id),
        model_id TEXT NOT NULL,
        ${d.creditColumn("total")},
        signer TEXT NOT NULL,
        ${d.creditColumn("cap")},
        deadline ${d.int64} NOT NULL,
        signature TEXT NOT NULL,
        PRIMARY KEY (batch_id, item_index)
      )`,
      `CREATE INDEX batch_items_by_licence ON batch_items (licence_id)`,
      // One row, always there: replicas compete to update it, never to insert it.
      `CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, held_until ${d.int64} NOT NULL)`,
      `INSERT INTO leases (name, holder, held_until) VALUES ('settler', '', 0)`,
    ],
  },
];

/**
 * Applies the migrations in `migrations` that `db` has not applied, in order, in one transaction; returns the
 * schema version reached. Throws when the database has a version this code does not know (a newer gateway migrated
 * it): running older code on a newer schema is refused rather than guessed.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1}: expected version ${i + 1}, got ${m.version}`);
  });
  const latest = migrations.length;
  return db.write(async (sql) => {
    const lock = db.dialect.lock(MIGRATION_LOCK);
    if (lock !== undefined) await sql.all(lock);
    await sql.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at ${db.dialect.int64} NOT NULL)`,
    );
    const rows = await sql.all("SELECT version FROM schema_migrations ORDER BY version");
    const applied = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    if (newest > latest) {
      throw new Error(
        `ledger schema is at version ${newest}, newer than this gateway knows (${latest}): run a newer gateway`,
      );
    }
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      for (const statement of m.up(db.dialect)) await sql.run(statement);
      await sql.run("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)", [
        m.version,
        m.description,
        Date.now(),
      ]);
    }
    return latest;
  });
}
