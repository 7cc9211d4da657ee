/**
 * The scale-out store: PostgreSQL through a node-postgres pool. Several stateless server instances can
 * share one database: leasing uses SELECT ... FOR UPDATE SKIP LOCKED, so two instances never hand out the
 * same live lease, and a report completes a command once. Migrations run under an advisory lock.
 */
import pg from 'pg';
import { pendingOf, postgresMigrations } from './migrations.js';
import { SmsError } from '../errors.js';
import { countCommands, toCommand, toResult, toSource, toToken, type CommandRow, type ResultRow, type SourceRow, type TokenRow } from './rows.js';
import {
  type Command,
  type CommandCounts,
  type CommandResult,
  type LeaseOutcome,
  type NewCommand,
  type NewCommandResult,
  type NewToken,
  type RecordOutcome,
  type SourceServer,
  type Store,
  type TokenRecord,
} from './types.js';

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
    for (const m of postgresMigrations) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
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

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  async addSource(serverId: string, name: string | null, now: Date): Promise<SourceServer> {
    try {
      await writing(this.pool.query('INSERT INTO source_servers (server_id, name, created_at) VALUES ($1, $2, $3)', [serverId, name, now.getTime()]));
    } catch (err) {
      if (pgCode(err) === '23505') throw new SmsError('sourceAlreadyRegistered', serverId);
      throw err;
    }
    return { serverId, name, createdAt: now };
  }

  async listSources(): Promise<SourceServer[]> {
    const { rows } = await this.pool.query<SourceRow>('SELECT * FROM source_servers ORDER BY created_at, server_id');
    return rows.map(toSource);
  }

  async createToken(t: NewToken): Promise<TokenRecord> {
    await writing(this.pool.query(
      'INSERT INTO tokens (id, name, token_hash, sources, actions, expires_at, revoked_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)',
      [t.id, t.name, t.tokenHash, t.sources === null ? null : JSON.stringify(t.sources), JSON.stringify(t.actions), t.expiresAt?.getTime() ?? null, t.createdAt.getTime()],
    ));
    return { ...t, revokedAt: null };
  }

  async findTokenByHash(tokenHash: string): Promise<TokenRecord | null> {
    const { rows } = await this.pool.query<TokenRow>({ name: 'token_by_hash', text: 'SELECT * FROM tokens WHERE token_hash = $1', values: [tokenHash] });
    return rows[0] ? toToken(rows[0]) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query<TokenRow>('SELECT * FROM tokens ORDER BY created_at, id');
    return rows.map(toToken);
  }

  async revokeToken(id: string, now: Date): Promise<boolean> {
    const { rowCount } = await writing(this.pool.query('UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [now.getTime(), id]));
    return (rowCount ?? 0) > 0;
  }

  async enqueueCommand(c: NewCommand, now: Date): Promise<Command> {
    try {
      const { rows } = await writing(
        this.pool.query<CommandRow>('INSERT INTO commands (server_id, command_name, task_id, bucket, enqueued_at) VALUES ($1, $2, $3, $4, $5) RETURNING *', [
          c.serverId,
          c.name,
          c.taskId ?? null,
          c.bucket ?? null,
          now.getTime(),
        ]),
      );
      return toCommand(rows[0] as CommandRow);
    } catch (err) {
      if (pgCode(err) === '23503') throw new SmsError('sourceNotFound', c.serverId);
      throw err;
    }
  }

  async listCommands(serverId: string): Promise<Command[]> {
    const { rows } = await this.pool.query<CommandRow>('SELECT * FROM commands WHERE server_id = $1 ORDER BY id', [serverId]);
    return rows.map(toCommand);
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

  async listResults(serverId: string): Promise<CommandResult[]> {
    const { rows } = await this.pool.query<ResultRow>('SELECT * FROM command_results WHERE server_id = $1 ORDER BY id', [serverId]);
    return rows.map(toResult);
  }

  async changeEpoch(): Promise<number> {
    const { rows } = await this.pool.query<{ epoch: string }>({ name: 'change_epoch', text: 'SELECT epoch FROM change_epoch WHERE id = 1' });
    return Number(rows[0]?.epoch ?? 0);
  }

  async commandCounts(now: Date): Promise<CommandCounts> {
    const { rows } = await this.pool.query<{ state: string; expired: boolean; n: string }>(
      `SELECT state, (state = 'leased' AND lease_expires_at <= $1) AS expired, COUNT(*) AS n FROM commands GROUP BY 1, 2`,
      [now.getTime()],
    );
    return countCommands(rows);
  }

  async storageProblem(): Promise<string | null> {
    const { rows } = await this.pool.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    return rows[0]?.transaction_read_only === 'on' ? 'the database is read-only (a standby, or default_transaction_read_only is on)' : null;
  }

  async pendingMigrations(): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    return pendingOf(postgresMigrations, rows);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
