/**
 * Migrations are safe to run twice, on both stores: opening a migrated database again applies nothing,
 * keeps the data, and records each version once; instances starting together on PostgreSQL migrate once.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../server/store/index.js';
import { migrationSql, migrations } from '../../../server/store/migrations.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres, type TestDatabase } from '../../../harness/databases.js';
import { EXAMPLE_SOURCE } from '../../../harness/fixtures.js';
import { scratchDir } from '../../support/scratch.js';

const now = new Date('2026-01-28T00:00:00Z');

describe('migrations', () => {
  it('are one list, numbered 1, 2, 3, ..., each with SQL for both dialects', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) for (const dialect of ['sqlite', 'postgres'] as const) expect(migrationSql(m, dialect)).toMatch(/\S/);
  });

  describe('SQLite', () => {
    const dir = scratchDir('migrate');

    it('run twice: the second open applies nothing and keeps the data', async () => {
      const url = `sqlite:${join(dir, 'twice.sqlite')}`;
      const first = await openStore(url);
      await first.addSource(EXAMPLE_SOURCE, null, now);
      await first.enqueueCommand({ serverId: EXAMPLE_SOURCE, name: 'START' }, now);
      await first.close();
      const second = await openStore(url);
      expect((await second.listCommands(EXAMPLE_SOURCE)).map((c) => c.name)).toEqual(['START']);
      await second.close();
      const db = new Database(join(dir, 'twice.sqlite'), { readonly: true });
      const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      db.close();
      expect(applied).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
      for (const m of migrations) expect(m.name).toMatch(/\w{3}/); // each says what it does
    });
  });

  describe.skipIf(!TEST_DATABASE_URL)(`PostgreSQL${TEST_DATABASE_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => db?.drop());

    const appliedVersions = async (url: string): Promise<number[]> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      } finally {
        await client.end();
      }
    };

    it('run twice: the second open applies nothing and keeps the data', async () => {
      db = await freshPostgres();
      const first = await openStore(db.url);
      await first.addSource(EXAMPLE_SOURCE, null, now);
      await first.close();
      const second = await openStore(db.url);
      expect((await second.listSources({ now, limit: 10 })).map((s) => s.serverId)).toEqual([EXAMPLE_SOURCE]);
      await second.close();
      expect(await appliedVersions(db.url)).toEqual(migrations.map((m) => m.version));
    });

    it('three instances starting together migrate once (advisory lock)', async () => {
      db = await freshPostgres();
      const url = db.url;
      const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
      await Promise.all(stores.map((s) => s.close()));
      expect(await appliedVersions(url)).toEqual(migrations.map((m) => m.version));
    });
  });
});
