/**
 * /healthz (liveness: the process answers, whatever the database does) and /readyz (readiness: the
 * database answers and has every migration), on every store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { databaseKinds, type TestDatabase } from '../../harness/databases.js';
import { call } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { faultyStore } from '../../harness/storeDoubles.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Forgets that migration 2 was applied, as a database restored from an old backup under a running server would. */
async function forgetMigration(kind: string, url: string): Promise<void> {
  if (kind === 'sqlite') {
    const db = new Database(url.slice('sqlite:'.length));
    db.prepare('DELETE FROM schema_migrations WHERE version = 2').run();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('DELETE FROM schema_migrations WHERE version = 2');
  await client.end();
}

for (const db of databaseKinds) {
  describe.skipIf(Boolean(db.skip))(`health on ${db.kind}${db.skip ? ` (skipped: ${db.skip})` : ''}`, () => {
    let database: TestDatabase | undefined;
    let store: Store | undefined;
    let server: InProcessServer | undefined;
    let dir: string | undefined;
    afterEach(async () => {
      await server?.close();
      await store?.close();
      await database?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const open = async () => {
      if (db.kind === 'sqlite') {
        dir = mkdtempSync(join(tmpdir(), 'sms-health-'));
        database = { url: `sqlite:${join(dir, 'sms.sqlite')}`, drop: async () => {} };
      } else database = await db.fresh();
      store = await openStore(database.url);
      return faultyStore(store);
    };

    it('is live and ready while the database answers', async () => {
      const faults = await open();
      server = await startInProcess({ store: faults.store });
      expect((await call(server.baseUrl, 'GET', '/healthz')).json()).toMatchObject({ status: 'ok', database: db.kind });
      const ready = await call(server.baseUrl, 'GET', '/readyz');
      expect([ready.status, ready.json()]).toEqual([200, { status: 'ready', database: db.kind }]);
    });

    it('is not ready, but still live, while the database does not answer', async () => {
      const faults = await open();
      server = await startInProcess({ store: faults.store });
      faults.fail(true);
      const ready = await call(server.baseUrl, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('the database does not answer') });
      expect((await call(server.baseUrl, 'GET', '/healthz')).status).toBe(200);
      faults.fail(false);
      expect((await call(server.baseUrl, 'GET', '/readyz')).status).toBe(200);
    });

    it('is not ready while a migration is pending', async () => {
      const faults = await open();
      server = await startInProcess({ store: faults.store });
      await forgetMigration(db.kind, database!.url);
      const ready = await call(server.baseUrl, 'GET', '/readyz');
      expect([ready.status, ready.json().reason]).toEqual([503, '1 database migration(s) pending: restart the server to apply them']);
    });
  });
}
