/**
 * The databases store-level suites run on: SQLite always; PostgreSQL when TEST_DATABASE_URL is set, each
 * suite in a schema of its own that is dropped afterwards. Without it, PostgreSQL suites are skipped with
 * the reason in their name.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
export const PG_SKIP_REASON = 'TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test); PostgreSQL tests skipped';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL schema reachable through the returned URL (search_path set in the URL). */
export async function freshPostgres(base = TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!base) throw new Error(PG_SKIP_REASON);
  const schema = `sms_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** The kinds of database to run a store suite on, with how to make a fresh one. */
export const databaseKinds: Array<{ kind: 'sqlite' | 'postgres'; skip?: string; fresh(): Promise<TestDatabase> }> = [
  { kind: 'sqlite', fresh: async () => ({ url: 'sqlite::memory:', drop: async () => {} }) },
  { kind: 'postgres', ...(TEST_DATABASE_URL ? {} : { skip: PG_SKIP_REASON }), fresh: () => freshPostgres() },
];

/** A fresh database for `url`: a PostgreSQL URL gets a schema of its own (dropped by drop()); anything else is used as it is. */
export async function freshDatabase(url: string): Promise<TestDatabase> {
  return url.startsWith('postgres://') || url.startsWith('postgresql://') ? freshPostgres(url) : { url, drop: async () => {} };
}
