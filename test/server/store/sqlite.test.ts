/**
 * server/store/sqlite.ts beyond the shared queue suite: the durability settings read back from the
 * store's own connection, and group commit's all-or-nothing batches, with failures injected inside a
 * batch by triggers (a report that cannot be stored; a command that cannot be completed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../../server/store/sqlite.js';
import type { NewCommandResult } from '../../../server/store/types.js';
import { EXAMPLE_SOURCE } from '../../../harness/fixtures.js';

const now = new Date('2026-01-28T00:00:00Z');
const report = (commandName: NewCommandResult['commandName'], requestId: string): NewCommandResult => ({
  serverId: EXAMPLE_SOURCE,
  commandName,
  result: 'success',
  resultDetailJson: JSON.stringify({ requestId }),
  receivedAt: now,
  requestId,
});

describe('SQLite store', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  /** A second connection, as an operator with the sqlite3 shell would have: it installs the failure triggers. */
  let operator: Database.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-sqlite-'));
    file = join(dir, 'sms.sqlite');
    store = openSqliteStore(file);
    operator = new Database(file);
    await store.addSource(EXAMPLE_SOURCE, null, now);
    for (const name of ['START', 'SYNC'] as const) await store.enqueueCommand({ serverId: EXAMPLE_SOURCE, name }, now);
    for (let i = 0; i < 2; i++) await store.leaseNextCommand(EXAMPLE_SOURCE, now, 600_000);
  });
  afterEach(async () => {
    operator.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with WAL, synchronous=FULL (a 200 survives a machine crash), foreign keys and a busy timeout', () => {
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it("keeps SQLite's own 2,000 KiB page cache, not better-sqlite3's 16,000 KiB (which reports filled: +16 MiB of RSS)", () => {
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('cache_size', { simple: true })).toBe(-2000); // negative: KiB
    const plain = new Database(':memory:');
    try {
      expect(plain.pragma('cache_size', { simple: true })).toBe(-16000); // what it would be without the pragma
    } finally {
      plain.close();
    }
  });

  it('a report that fails inside a batch fails alone: the others are stored once each, and complete their commands', async () => {
    operator.exec(`CREATE TRIGGER inject BEFORE INSERT ON command_results WHEN NEW.request_id = 'boom'
                   BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    // sent in one event-loop turn: one batch, one transaction
    const outcomes = await Promise.allSettled([store.recordResult(report('START', 'a')), store.recordResult(report('SYNC', 'boom')), store.recordResult(report('UPLOAD_LOG', 'c'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.listResults(EXAMPLE_SOURCE)).map((r) => r.requestId)).toEqual(['a', 'c']); // no duplicate from the retry
    expect((await store.listCommands(EXAMPLE_SOURCE)).map((c) => [c.name, c.state])).toEqual([['START', 'done'], ['SYNC', 'leased']]);
  });

  it('a report whose command cannot be completed is not stored either (insert and update commit together)', async () => {
    operator.exec(`CREATE TRIGGER inject BEFORE UPDATE OF state ON commands WHEN NEW.state = 'done' AND OLD.command_name = 'SYNC'
                   BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const outcomes = await Promise.allSettled([store.recordResult(report('SYNC', 'sync-1')), store.recordResult(report('START', 'start-1'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect((await store.listResults(EXAMPLE_SOURCE)).map((r) => r.requestId)).toEqual(['start-1']);
    expect((await store.listCommands(EXAMPLE_SOURCE)).map((c) => [c.name, c.state, c.resultId === null])).toEqual([
      ['START', 'done', false],
      ['SYNC', 'leased', true], // still leased: it will be handed out again, and its report is not half-kept
    ]);
  });
});

describe('SQLite store: opening, closing, refusing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sms-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the folders of a new database file', async () => {
    const store = openSqliteStore(join(dir, 'a', 'b', 'sms.sqlite'));
    await store.addSource(EXAMPLE_SOURCE, null, now);
    expect(await store.storageProblem()).toBeNull();
    await store.close();
  });

  it('close() commits the reports still waiting for their batch first, then the connection is gone', async () => {
    const file = join(dir, 'sms.sqlite');
    const store = openSqliteStore(file);
    await store.addSource(EXAMPLE_SOURCE, null, now);
    await store.ping();
    const waiting = store.recordResult(report('START', 'waiting'));
    await store.close();
    expect(await waiting).toMatchObject({ kind: 'stored', result: { requestId: 'waiting', unsolicited: true } });
    await expect(store.ping()).rejects.toThrow(/not open/);
    const reopened = openSqliteStore(file);
    expect((await reopened.listResults(EXAMPLE_SOURCE)).map((r) => r.requestId)).toEqual(['waiting']);
    await reopened.close();
  });

  it('in memory, has no file to watch and no storage problem; SQLite refusing a write is still a 503 that says so', async () => {
    const store = openSqliteStore(':memory:');
    expect(await store.storageProblem()).toBeNull();
    (store as unknown as { db: Database.Database }).db.pragma('query_only = ON');
    await expect(store.addSource(EXAMPLE_SOURCE, null, now)).rejects.toMatchObject({
      kind: 'storageUnavailable',
      message: expect.stringContaining('the database refuses writes (SQLITE_READONLY)'),
    });
    await store.close();
  });

  it('a write the file cannot keep is storageUnavailable, never taken for a conflict or an unknown source', async () => {
    const file = join(dir, 'sms.sqlite');
    const store = openSqliteStore(file);
    await store.addSource(EXAMPLE_SOURCE, null, now);
    rmSync(file);
    await expect(store.addSource(EXAMPLE_SOURCE, null, now)).rejects.toMatchObject({ kind: 'storageUnavailable' });
    await expect(store.enqueueCommand({ serverId: 'nobody', name: 'START' }, now)).rejects.toMatchObject({ kind: 'storageUnavailable' });
    await store.close();
  });
});
