/**
 * server/store/postgres.ts beyond the shared suites (TEST_DATABASE_URL): a failed migration leaves nothing
 * behind, batches commit for every connection or not at all, a read-only database answers 503, the pool
 * survives its connections being killed (a database restart), and a closed store is closed.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../server/store/postgres.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres, type TestDatabase } from '../../../harness/databases.js';

const now = new Date('2026-01-28T00:00:00Z');

/** `url` with one more `-c name=value` in its connection options, or another URL parameter. */
function withSetting(url: string, name: string, value: string): string {
  const u = new URL(url);
  if (name === 'application_name') u.searchParams.set(name, value);
  else u.searchParams.set('options', `${u.searchParams.get('options') ?? ''} -c ${name}=${value}`.trim());
  return u.toString();
}

/** Runs one query on a connection of its own (not the store's pool). */
async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!TEST_DATABASE_URL)(`PostgreSQL store${TEST_DATABASE_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  let db: TestDatabase;
  afterEach(async () => db?.drop());

  it('does not open when a migration fails: the failure is told, and no version is recorded', async () => {
    db = await freshPostgres();
    await query(db.url, 'CREATE TABLE source_servers (x INTEGER)'); // migration 1 cannot create it
    await expect(openPostgresStore(db.url)).rejects.toThrow(/relation "source_servers" already exists/);
    expect(await query(db.url, 'SELECT version FROM schema_migrations')).toEqual([]);
  });

  it('does not open an unreachable database', async () => {
    await expect(openPostgresStore('postgres://postgres@127.0.0.1:1/none')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('maps a source server registered twice to the error table, and commits a batch for every connection or not at all', async () => {
    db = await freshPostgres();
    const store = await openPostgresStore(db.url);
    try {
      await store.addSource('s1', null, now);
      await expect(store.addSource('s1', null, now)).rejects.toMatchObject({ kind: 'sourceAlreadyRegistered' });
      await store.recordPolls([{ serverId: 's1', at: 1000 }]);
      expect(await query(db.url, 'SELECT server_id, last_poll_at FROM source_liveness')).toEqual([{ server_id: 's1', last_poll_at: '1000' }]);
      // 500 polls fill the first statement; the unknown source server fails the second: none is kept
      await query(db.url, "INSERT INTO source_servers (server_id, created_at) SELECT 'p' || g, 0 FROM generate_series(1, 499) g");
      const polls = [{ serverId: 's1', at: 2000 }, ...Array.from({ length: 499 }, (_, i) => ({ serverId: `p${i + 1}`, at: 2000 })), { serverId: 'nobody', at: 2000 }];
      await expect(store.recordPolls(polls)).rejects.toThrow(/foreign key/);
      expect(await query(db.url, 'SELECT server_id, last_poll_at FROM source_liveness')).toEqual([{ server_id: 's1', last_poll_at: '1000' }]);
      await store.ping(); // the pool still works after the failed transaction
    } finally {
      await store.close();
    }
  });

  it('answers writes to a read-only database with storageUnavailable, and says so as its storage problem', async () => {
    db = await freshPostgres();
    await (await openPostgresStore(db.url)).close(); // migrated while writable
    const store = await openPostgresStore(withSetting(db.url, 'default_transaction_read_only', 'on'));
    try {
      await expect(store.addSource('s1', null, now)).rejects.toMatchObject({ kind: 'storageUnavailable', message: expect.stringMatching(/the database is read-only/) });
      expect(await store.storageProblem()).toMatch(/read-only/);
    } finally {
      await store.close();
    }
  });

  it('keeps working when its idle connections are killed (a database restart), and is closed after close()', async () => {
    db = await freshPostgres();
    const name = `sms-test-${process.pid}-${Date.now()}`;
    const store = await openPostgresStore(withSetting(db.url, 'application_name', name));
    await store.ping();
    const killed = await query<{ killed: boolean }>(db.url, `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = '${name}'`);
    expect(killed.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100)); // the pool hears of it (an 'error' on an idle client)
    await store.ping();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/after calling end on the pool/);
  });
});
