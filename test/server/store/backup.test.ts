/**
 * server/store/backup.ts: a copy of a SQLite store taken while reports keep being committed is the
 * database as it was when the copy started, opens as a store, and never overwrites or leaves a partial
 * file; a DATABASE_URL that names no file says how to back it up instead.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupSource, backupSqlite, type BackupProgress } from '../../../server/store/backup.js';
import { openSqliteStore, type SqliteStore } from '../../../server/store/sqlite.js';
import type { NewCommandResult } from '../../../server/store/types.js';
import { EXAMPLE_SOURCE } from '../../../harness/fixtures.js';
import { scratchDir } from '../../support/scratch.js';

const now = new Date('2026-01-28T00:00:00Z');
const report = (requestId: string): NewCommandResult => ({
  serverId: EXAMPLE_SOURCE,
  commandName: 'START',
  result: 'success',
  // 700 bytes of detail: a few thousand reports fill several backup steps (256 pages of 4 KiB)
  resultDetailJson: JSON.stringify({ requestId, msg: 'x'.repeat(700) }),
  receivedAt: now,
  requestId,
});
const REPORTS = 4000;

const dir = scratchDir('backup');
let n = 0;
/** A path in the scratch folder no test has used. */
const fresh = (name: string) => join(dir, `${++n}-${name}`);
/** Files the backup may have left in the scratch folder under a temporary name. */
const partials = () => readdirSync(dir).filter((f) => f.includes('.partial-'));
const resultCount = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM command_results').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('backupSqlite', () => {
  let file: string;
  let store: SqliteStore;

  beforeEach(async () => {
    file = fresh('sms.sqlite');
    store = openSqliteStore(file);
    await store.addSource(EXAMPLE_SOURCE, 'web-01', now);
    await store.enqueueCommand({ serverId: EXAMPLE_SOURCE, name: 'SYNC', taskId: 'task-1' }, now);
    await Promise.all(Array.from({ length: REPORTS }, (_, i) => store.recordResult(report(`r-${i}`))));
  });
  afterEach(() => store.close());

  it('copies the database in steps, telling its progress, and the copy opens as a store with the same content', async () => {
    const destination = fresh('copy.sqlite');
    const progress: BackupProgress[] = [];
    const summary = await backupSqlite(file, destination, (p) => progress.push(p));

    expect(progress.length).toBeGreaterThanOrEqual(4); // a first call at 0, one per step, and the end
    expect(progress[0]).toEqual({ copiedPages: 0, totalPages: summary.pages });
    expect(progress.at(-1)).toEqual({ copiedPages: summary.pages, totalPages: summary.pages });
    for (let i = 1; i < progress.length; i++) expect((progress[i] as BackupProgress).copiedPages).toBeGreaterThan((progress[i - 1] as BackupProgress).copiedPages);
    expect(progress[1]?.copiedPages).toBe(256);
    expect(summary.bytes).toBe(statSync(destination).size);
    expect(summary.bytes).toBe(summary.pages * 4096);

    const copy = openSqliteStore(destination, { create: false });
    try {
      expect(await copy.getSource(EXAMPLE_SOURCE, now)).toMatchObject({ serverId: EXAMPLE_SOURCE, name: 'web-01' });
      expect(await copy.listCommands(EXAMPLE_SOURCE)).toEqual(await store.listCommands(EXAMPLE_SOURCE));
      expect(await copy.listResults(EXAMPLE_SOURCE)).toEqual(await store.listResults(EXAMPLE_SOURCE));
      expect(await copy.pendingMigrations()).toBe(0);
    } finally {
      await copy.close();
    }
    expect(partials()).toEqual([]);
  });

  it('is the database as it was when it started, while reports are committed between its steps (each would otherwise restart it)', async () => {
    const destination = fresh('copy.sqlite');
    const during: Array<Promise<unknown>> = [];
    // a report committed through the store's own connection after every step, as the running server would
    await backupSqlite(file, destination, () => during.push(store.recordResult(report(`during-${during.length}`))));
    await Promise.all(during);
    expect(during.length).toBeGreaterThanOrEqual(4);
    expect(resultCount(destination)).toBe(REPORTS);
    expect(resultCount(file)).toBe(REPORTS + during.length);
  });

  it('never overwrites a file, and says what is missing when the database or the folder is', async () => {
    const existing = fresh('existing.sqlite');
    writeFileSync(existing, 'an older backup');
    await expect(backupSqlite(file, existing)).rejects.toThrow(`${existing} already exists: a backup never overwrites a file; remove it or name another`);
    expect(readFileSync(existing, 'utf8')).toBe('an older backup');

    const missing = fresh('missing.sqlite');
    await expect(backupSqlite(missing, fresh('copy.sqlite'))).rejects.toThrow(`no database at ${missing}: check DATABASE_URL`);
    expect(existsSync(missing)).toBe(false); // not created by trying

    const nowhere = join(fresh('no-such-folder'), 'copy.sqlite');
    await expect(backupSqlite(file, nowhere)).rejects.toThrow(`the folder of ${nowhere} does not exist: create it first`);
    expect(partials()).toEqual([]);
  });
});

describe('backupSqlite on a damaged database', () => {
  it('refuses a copy that fails the integrity check: nothing is left at the destination or beside it', async () => {
    const file = fresh('damaged.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(100));
    db.close();
    // garbage over the cell pointers of the table's second page: the schema (page 1) still reads
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 2 * 4096 + 8);
    closeSync(fd);

    const destination = fresh('copy.sqlite');
    await expect(backupSqlite(file, destination)).rejects.toThrow("the copy failed SQLite's integrity check");
    expect(existsSync(destination)).toBe(false);
    expect(partials()).toEqual([]);
  });
});

describe('backupSource', () => {
  it('is the file of a sqlite: DATABASE_URL, and says how to back up what has none', () => {
    expect(backupSource('sqlite:data/sms.sqlite')).toBe('data/sms.sqlite');
    expect(() => backupSource('postgres://postgres@127.0.0.1:5432/test')).toThrow('DATABASE_URL names PostgreSQL: back it up with pg_dump');
    expect(() => backupSource('postgresql://db/sms')).toThrow('DATABASE_URL names PostgreSQL');
    expect(() => backupSource('sqlite::memory:')).toThrow('DATABASE_URL is sqlite::memory:, which lives only inside its process: there is no file to back up');
  });
});
