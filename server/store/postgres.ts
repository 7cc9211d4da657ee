/**
 * The scale-out store: PostgreSQL through a node-postgres pool. Several stateless server instances can
 * share one database: leasing uses SELECT ... FOR UPDATE SKIP LOCKED, so two instances never hand out the
 * same live lease, and a report completes a command once (the hot path's SQL is its own; everything else
 * is the shared SqlStore). Migrations run under an advisory lock, each in a transaction.
 */
import pg from 'pg';
import { migrationSql, migrations } from './migrations.js';
import { SmsError } from '../errors.js';
import { toCommand, toResult } from './rows.js';
import { queryBuilder, type SqlDatabase } from './sql.js';
import { SqlStore } from './sqlStore.js';
import type { CommandRow, ResultRow } from './tables.js';
import type { LeaseOutcome, NewCommandResult, RecordOutcome } from './types.js';

const MIGRATION_LOCK = 0x5_3d_5c_0d;

/** Connects a pool to `url`, applies migrations and returns the store. */
export async function openPostgresStore(url: string, options: { max?: number } = {}): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 });
  // An idle client losing its connection (database restart) must not crash the process; the next
  // query gets a fresh connection.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new PostgresStore(pool);
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // no write when there is nothing to migrate: a read-only database still opens (and answers 503 to writes)
    const { rows: found } = await client.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
    if (!found[0]?.exists) await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migrationSql(m, 'postgres'));
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

const pgCode = (err: unknown): string | undefined => (typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined);

/** A write the database refuses because it is read-only (SQLSTATE 25006) is a 503: nothing was kept. */
async function writing<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (pgCode(err) === '25006') throw new SmsError('storageUnavailable', 'the database is read-only (a standby, or default_transaction_read_only is on)').causedBy(err);
    throw err;
  }
}

/** Runs the shared queries on the pool; writes in a transaction take one client. */
function postgresDatabase(pool: pg.Pool): SqlDatabase {
  return {
    q: queryBuilder('postgres'),
    read: async (query) => {
      const { sql, parameters } = query.compile();
      return (await pool.query(sql, parameters as unknown[])).rows;
    },
    write: async (query) => {
      const { sql, parameters } = query.compile();
      const result = await writing(pool.query(sql, parameters as unknown[]));
      return { rows: result.rows };
    },
    writeAll: async (queries) => {
      const client = await pool.connect();
      try {
        await writing(client.query('BEGIN'));
        for (const q of queries) {
          const { sql, parameters } = q.compile();
          await writing(client.query(sql, parameters as unknown[]));
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    violation: (err) => (pgCode(err) === '23505' ? 'unique' : pgCode(err) === '23503' ? 'foreign-key' : null),
  };
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {
    super(postgresDatabase(pool));
  }

  async leaseNextCommand(serverId: string, now: Date, leaseMs: number): Promise<LeaseOutcome> {
    const nowMs = now.getTime();
    const { rows } = await writing(this.pool.query<CommandRow>({
      name: 'lease_next',
      text: `WITH next AS (
               SELECT id FROM commands
                WHERE server_id = $1 AND (state = 'pending' OR (state = 'leased' AND lease_expires_at <= $2))
                ORDER BY id LIMIT 1
                FOR UPDATE SKIP LOCKED)
             UPDATE commands c SET state = 'leased', lease_expires_at = $3, deliveries = c.deliveries + 1
               FROM next WHERE c.id = next.id
             RETURNING c.*`,
      values: [serverId, nowMs, nowMs + leaseMs],
    }));
    if (rows[0]) return { kind: 'leased', command: toCommand(rows[0]) };
    const idle = await this.pool.query<{ known: boolean; idle_until: string | null }>({
      name: 'idle_state',
      text: `SELECT EXISTS (SELECT 1 FROM source_servers WHERE server_id = $1) AS known,
                    (SELECT MIN(lease_expires_at) FROM commands WHERE server_id = $1 AND state = 'leased') AS idle_until`,
      values: [serverId],
    });
    const state = idle.rows[0];
    if (!state?.known) return { kind: 'unknown-source' };
    return { kind: 'idle', idleUntil: state.idle_until === null ? null : new Date(Number(state.idle_until)) };
  }

  async recordResult(r: NewCommandResult): Promise<RecordOutcome> {
    // One statement, so one round trip and its own transaction: pick the oldest leased command of that
    // name (skipping one another report is completing), store the report, complete the command. No row
    // back: the source server is not registered.
    const { rows } = await writing(this.pool.query<ResultRow>({
      name: 'record_result',
      text: `WITH source AS (SELECT server_id FROM source_servers WHERE server_id = $1),
                  match AS (SELECT id FROM commands WHERE server_id = $1 AND command_name = $2 AND state = 'leased'
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED),
                  inserted AS (INSERT INTO command_results (server_id, command_name, result, result_detail, received_at, request_id, command_id, unsolicited)
                               SELECT server_id, $2, $3, $4, $5, $6, (SELECT id FROM match), NOT EXISTS (SELECT 1 FROM match) FROM source
                               RETURNING *),
                  completed AS (UPDATE commands SET state = 'done', completed_at = $5, result_id = (SELECT id FROM inserted)
                                WHERE id = (SELECT id FROM match) AND EXISTS (SELECT 1 FROM inserted))
             SELECT * FROM inserted`,
      values: [r.serverId, r.commandName, r.result, r.resultDetailJson, r.receivedAt.getTime(), r.requestId],
    }));
    const row = rows[0];
    return row ? ({ kind: 'stored', result: toResult(row) } as const) : ({ kind: 'unknown-source' } as const);
  }

  async storageProblem(): Promise<string | null> {
    const { rows } = await this.pool.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    return rows[0]?.transaction_read_only === 'on' ? 'the database is read-only (a standby, or default_transaction_read_only is on)' : null;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
