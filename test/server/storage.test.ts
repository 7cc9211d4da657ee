/**
 * A database that cannot keep writes (server/store/databaseFile.ts, the stores' write guards): a SQLite
 * file deleted, replaced or refusing writes while the server runs, and a read-only PostgreSQL. Writes are
 * refused with 503 SMS.2012 and nothing is acknowledged, /readyz fails, reads still answer; the admin CLI
 * does not create a second database.
 */
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/index.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/types.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres, type TestDatabase } from '../../harness/databases.js';
import { EXAMPLE_REPORT, EXAMPLE_SOURCE } from '../../harness/fixtures.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { contractProblems } from '../../harness/spec.js';
import { storeToken } from '../../harness/tokens.js';

describe('SQLite file that cannot keep writes', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  let server: InProcessServer;
  let token: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-storage-'));
    file = join(dir, 'sms.sqlite');
    store = openSqliteStore(file);
    server = await startInProcess({ store });
    await server.addSource(EXAMPLE_SOURCE);
    token = (await server.token()).secret;
  });
  afterEach(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const report = () => call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token, json: EXAMPLE_REPORT });
  const poll = () => call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token });

  async function expectRefused(reason: string): Promise<void> {
    const before = (await store.listResults(EXAMPLE_SOURCE)).length;
    const r = await report();
    expect(contractProblems('UpdateCommandResult', r)).toEqual([]);
    expect([r.status, r.json().error_code]).toEqual([503, 'SMS.2012']);
    expect(r.json().error_msg).toContain(reason);
    expect((await store.listResults(EXAMPLE_SOURCE)).length).toBe(before);
    await server.enqueue(EXAMPLE_SOURCE, 'START').catch(() => {}); // may be refused too: then nothing is queued
    const p = await poll();
    expect([200, 503]).toContain(p.status); // idle: SKIP (a read); a command to hand out: 503 (a lease is a write)
    if (p.status === 200) expect(p.json()).toEqual({ command_name: 'SKIP' });
    const ready = await call(server.baseUrl, 'GET', '/readyz');
    expect([ready.status, ready.json().reason]).toEqual([503, expect.stringContaining(reason)]);
  }

  it('deleted: refuses writes with 503, is not ready, and a command queued before is not handed out as if leased', async () => {
    expect((await report()).status).toBe(200);
    await server.enqueue(EXAMPLE_SOURCE, 'STOP');
    rmSync(file);
    const p = await poll();
    expect([p.status, p.json().error_code]).toEqual([503, 'SMS.2012']);
    await expectRefused('was deleted');
  });

  it('replaced by another file: refuses writes with 503 and is not ready', async () => {
    copyFileSync(file, join(dir, 'other.sqlite'));
    renameSync(join(dir, 'other.sqlite'), file);
    await expectRefused('was replaced by another file');
  });

  it('refusing writes (SQLITE_READONLY): 503, not 500', async () => {
    (store as unknown as { db: Database.Database }).db.pragma('query_only = ON');
    const r = await report();
    expect([r.status, r.json().error_code]).toEqual([503, 'SMS.2012']);
    expect(r.json().error_msg).toContain('refuses writes (SQLITE_READONLY');
  });

  it('the admin CLI store refuses a database file that does not exist, instead of creating a second one', async () => {
    rmSync(file);
    await expect(openStore(`sqlite:${file}`, { create: false })).rejects.toThrow(`no database at ${file}: the server creates it when it first starts`);
    expect(existsSync(file)).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)('will not start on a file it cannot write (skipped as root, who can write any file)', async () => {
    const { chmodSync } = await import('node:fs');
    chmodSync(file, 0o444);
    expect(() => openSqliteStore(file)).toThrow('is not writable by this user');
  });
});

describe.skipIf(!TEST_DATABASE_URL)(`read-only PostgreSQL${TEST_DATABASE_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  let db: TestDatabase;
  let writable: Store;
  let readOnly: Store;
  let server: InProcessServer;
  beforeEach(async () => {
    db = await freshPostgres();
    writable = await openStore(db.url);
    await writable.addSource(EXAMPLE_SOURCE, null, new Date());
    const url = new URL(db.url);
    url.searchParams.set('options', `${url.searchParams.get('options')} -c default_transaction_read_only=on`);
    readOnly = await openStore(url.toString());
    server = await startInProcess({ store: readOnly });
  });
  afterEach(async () => {
    await server?.close();
    await readOnly?.close();
    await writable?.close();
    await db?.drop();
  });

  it('refuses reports with 503 and is not ready', async () => {
    const { secret } = await storeToken(writable, { now: new Date() });
    const r = await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: secret, json: EXAMPLE_REPORT });
    expect([r.status, r.json().error_code]).toEqual([503, 'SMS.2012']);
    expect(await writable.listResults(EXAMPLE_SOURCE)).toEqual([]);
    const ready = await call(server.baseUrl, 'GET', '/readyz');
    expect([ready.status, ready.json().reason]).toEqual([503, expect.stringContaining('read-only')]);
  });
});
