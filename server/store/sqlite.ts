/**
 * The embedded default store: SQLite through better-sqlite3, WAL mode, synchronous=FULL so that a report
 * acknowledged with 200 survives a crash (even of the machine), and IMMEDIATE transactions so that the
 * server and the admin CLI can write to the same file at once.
 *
 * Hot path (SQL of its own): reports that arrive in the same event-loop turn are committed in one
 * transaction (group commit: one fsync for the batch, each report still acknowledged only after its
 * commit), and a poll with nothing to hand out is answered by one read, without a write transaction.
 * Everything else is the shared SqlStore, run on this connection.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import { migrationSql, migrations } from './migrations.js';
import { SmsError } from '../errors.js';
import { DatabaseFile } from './databaseFile.js';
import { toCommand, toResult } from './rows.js';
import { queryBuilder, type SqlDatabase } from './sql.js';
import { SqlStore } from './sqlStore.js';
import type { CommandRow, ResultRow } from './tables.js';
import type { LeaseOutcome, NewCommandResult, RecordOutcome } from './types.js';

/**
 * Opens a SQLite database at `path` (or ':memory:') and applies migrations. `create: false` refuses a
 * file that does not exist (the admin CLI: it must not start a second, separate database).
 */
export function openSqliteStore(path: string, options: { create?: boolean } = {}): SqliteStore {
  const inMemory = path === ':memory:';
  if (!inMemory && options.create === false && !existsSync(path)) {
    throw new Error(`no database at ${path}: the server creates it when it first starts (npm start); check DATABASE_URL`);
  }
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (db.readonly) {
    db.close();
    throw new Error(`the database file ${path} is not writable by this user: fix its permissions (or its mount)`);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  migrate(db);
  return new SqliteStore(db, inMemory ? null : new DatabaseFile(path));
}

/**
 * SQLite's page cache for this connection, in KiB: SQLite's own default (2,000 KiB). better-sqlite3 builds
 * SQLite with 16,000 KiB, which the cache fills as reports are written (each is read once, if ever), so the
 * process grew by 16 MiB under a report load; the pages every request reads (tokens, source servers, the
 * command queue, the ends of the results indexes) take a few hundred KiB, and the OS keeps the file cached.
 */
const PAGE_CACHE_KIB = 2000;

/** Applies every missing migration, all in one IMMEDIATE transaction (another process migrating waits). */
function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const apply = db.transaction(() => {
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      db.exec(migrationSql(m, 'sqlite'));
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }
  });
  apply.immediate();
}

/** Throws SmsError storageUnavailable when the database file cannot keep writes (checked before each write). */
function assertWritable(file: DatabaseFile | null): void {
  const problem = file?.problem();
  if (problem) throw new SmsError('storageUnavailable', problem);
}

/** Runs a write: refused when the file cannot keep it, and SQLite's read-only and I/O errors as 503 too. */
function guardedWrite<T>(file: DatabaseFile | null, work: () => T): T {
  assertWritable(file);
  try {
    return work();
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
      throw new SmsError('storageUnavailable', `${file?.path ?? 'the database'} refuses writes (${code})`).causedBy(err);
    }
    throw err;
  }
}

const MAX_CACHED_STATEMENTS = 500;

/** Runs the shared queries on this connection: statements prepared once per SQL text, writes guarded. */
function sqliteDatabase(db: Database.Database, file: DatabaseFile | null): SqlDatabase {
  const statements = new Map<string, Database.Statement>();
  const run = (compiled: CompiledQuery): { rows: unknown[] } => {
    let statement = statements.get(compiled.sql);
    if (!statement) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = db.prepare(compiled.sql);
      statements.set(compiled.sql, statement);
    }
    // better-sqlite3 binds numbers, strings, bigints, buffers and null (no query here binds a boolean: it would throw)
    if (statement.reader) return { rows: statement.all(...compiled.parameters) };
    statement.run(...compiled.parameters);
    return { rows: [] };
  };
  const writeAll = db.transaction((queries: CompiledQuery[]) => {
    for (const q of queries) run(q);
  });
  return {
    q: queryBuilder('sqlite'),
    read: async (query) => run(query.compile()).rows as never[],
    write: async (query) => guardedWrite(file, () => run(query.compile())) as never,
    writeAll: async (queries) => guardedWrite(file, () => writeAll.immediate(queries.map((q) => q.compile()))),
    violation: (err) => {
      const code = typeof err === 'object' && err !== null ? ((err as { code?: string }).code ?? '') : '';
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'unique';
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign-key';
      return null;
    },
  };
}

interface PendingReport {
  report: NewCommandResult;
  resolve: (outcome: RecordOutcome) => void;
  reject: (err: unknown) => void;
}

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite' as const;
  private readonly statements;
  private readonly leaseTransaction;
  private readonly storeReportInTransaction;
  private readonly storeReportsTransaction;
  private pending: PendingReport[] = [];
  private flushScheduled = false;

  constructor(
    private readonly db: Database.Database,
    /** The file written to, watched (null in memory). */
    private readonly file: DatabaseFile | null = null,
  ) {
    super(sqliteDatabase(db, file));
    this.statements = {
      sourceExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM source_servers WHERE server_id = ?'),
      peek: db.prepare<{ serverId: string; now: number }, { known: number | null; next: number | null; idleUntil: number | null }>(
        `SELECT (SELECT 1 FROM source_servers WHERE server_id = @serverId) AS known,
                (SELECT id FROM commands WHERE server_id = @serverId
                   AND (state = 'pending' OR (state = 'leased' AND lease_expires_at <= @now))
                 ORDER BY id LIMIT 1) AS next,
                (SELECT MIN(lease_expires_at) FROM commands WHERE server_id = @serverId AND state = 'leased') AS idleUntil`,
      ),
      nextDeliverable: db.prepare<[string, number], CommandRow>(
        `SELECT * FROM commands WHERE server_id = ?
           AND (state = 'pending' OR (state = 'leased' AND lease_expires_at <= ?))
         ORDER BY id LIMIT 1`,
      ),
      lease: db.prepare<[number, number], CommandRow>(
        `UPDATE commands SET state = 'leased', lease_expires_at = ?, deliveries = deliveries + 1 WHERE id = ? RETURNING *`,
      ),
      insertResult: db.prepare<[string, string, string, string, number, string, number | null, number], ResultRow>(
        `INSERT INTO command_results (server_id, command_name, result, result_detail, received_at, request_id, command_id, unsolicited)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      oldestLeased: db.prepare<[string, string], { id: number }>(
        `SELECT id FROM commands WHERE server_id = ? AND command_name = ? AND state = 'leased' ORDER BY id LIMIT 1`,
      ),
      complete: db.prepare(`UPDATE commands SET state = 'done', completed_at = ?, result_id = ? WHERE id = ?`),
      ping: db.prepare('SELECT 1'),
    };
    this.leaseTransaction = db.transaction((serverId: string, nowMs: number, leaseMs: number): LeaseOutcome => {
      if (!this.statements.sourceExists.get(serverId)) return { kind: 'unknown-source' };
      const next = this.statements.nextDeliverable.get(serverId, nowMs);
      // Another process leased it since the peek: idle, but only as of now (nothing for a cache to keep).
      if (!next) return { kind: 'idle', idleUntil: new Date(nowMs) };
      const leased = this.statements.lease.get(nowMs + leaseMs, Number(next.id));
      return { kind: 'leased', command: toCommand(leased as CommandRow) };
    });

    this.storeReportInTransaction = (r: NewCommandResult): RecordOutcome => {
      if (!this.statements.sourceExists.get(r.serverId)) return { kind: 'unknown-source' };
      const receivedMs = r.receivedAt.getTime();
      const match = this.statements.oldestLeased.get(r.serverId, r.commandName);
      const row = this.statements.insertResult.get(
        r.serverId,
        r.commandName,
        r.result,
        r.resultDetailJson,
        receivedMs,
        r.requestId,
        match ? match.id : null,
        match ? 0 : 1,
      ) as ResultRow;
      if (match) this.statements.complete.run(receivedMs, Number(row.id), match.id);
      return { kind: 'stored', result: toResult(row) };
    };
    this.storeReportsTransaction = db.transaction((reports: NewCommandResult[]): RecordOutcome[] => reports.map((r) => this.storeReportInTransaction(r)));
  }

  /** Commits every report queued in this event-loop turn in one transaction, then settles each. */
  private flushReports(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    try {
      assertWritable(this.file);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    try {
      const outcomes = this.storeReportsTransaction.immediate(batch.map((p) => p.report));
      batch.forEach((p, i) => p.resolve(outcomes[i] as RecordOutcome));
    } catch {
      // One report must not fail the others: retry them one transaction each.
      for (const p of batch) {
        try {
          p.resolve(guardedWrite(this.file, () => this.storeReportsTransaction.immediate([p.report])[0] as RecordOutcome));
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }

  async leaseNextCommand(serverId: string, now: Date, leaseMs: number): Promise<LeaseOutcome> {
    const peek = this.statements.peek.get({ serverId, now: now.getTime() });
    if (!peek?.known) return { kind: 'unknown-source' };
    if (peek.next === null) return { kind: 'idle', idleUntil: peek.idleUntil === null ? null : new Date(peek.idleUntil) };
    return guardedWrite(this.file, () => this.leaseTransaction.immediate(serverId, now.getTime(), leaseMs));
  }

  recordResult(report: NewCommandResult): Promise<RecordOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ report, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushReports());
      }
    });
  }

  async storageProblem(): Promise<string | null> {
    return this.file?.problem() ?? null;
  }

  async ping(): Promise<void> {
    this.statements.ping.get();
  }

  async close(): Promise<void> {
    if (this.pending.length > 0) this.flushReports();
    if (this.db.open) this.db.close();
  }
}
