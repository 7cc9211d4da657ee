/**
 * The database's tables as Kysely sees them: the one description of the schema that the shared queries
 * are type-checked against (a misspelt column fails `tsc`). Times are epoch milliseconds; PostgreSQL
 * returns its BIGINT columns as strings, so a read may be a string and rows.ts turns it into a number.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Millis = ColumnType<number | string, number, number>;
type MaybeMillis = ColumnType<number | string | null, number | null | undefined, number | null>;
type Id = ColumnType<number | string, never, never>;
type MaybeId = ColumnType<number | string | null, number | null | undefined, number | null>;

export interface Tables {
  source_servers: {
    server_id: string;
    name: string | null;
    created_at: Millis;
  };
  tokens: {
    id: string;
    name: string;
    /** 'agent' (the two Agent operations) or 'admin' (the operator's API); since migration 3. */
    kind: ColumnType<string, string, never>;
    token_hash: string;
    /** JSON array of source server IDs; null: every source server. */
    sources: string | null;
    /** JSON array of actions. */
    actions: string;
    expires_at: MaybeMillis;
    revoked_at: MaybeMillis;
    created_at: Millis;
  };
  /** Since migration 4. */
  access_keys: {
    access_key: string;
    name: string;
    /** The SK sealed by server/sealing.ts (never the SK itself). */
    sealed_secret: string;
    /** JSON array of source server IDs; null: every source server. */
    sources: string | null;
    /** JSON array of actions. */
    actions: string;
    expires_at: MaybeMillis;
    revoked_at: MaybeMillis;
    created_at: Millis;
  };
  commands: {
    id: Id;
    server_id: string;
    command_name: string;
    task_id: string | null;
    bucket: string | null;
    /** pending | leased | done (a cancelled command is done, with cancelled_at set). */
    state: Generated<string>;
    enqueued_at: Millis;
    lease_expires_at: MaybeMillis;
    deliveries: Generated<number>;
    completed_at: MaybeMillis;
    result_id: MaybeId;
    /** When an operator cancelled it while pending; since migration 3. */
    cancelled_at: MaybeMillis;
  };
  command_results: {
    id: Id;
    server_id: string;
    command_name: string;
    result: string;
    /** result_detail exactly as the Agent sent it. */
    result_detail: string;
    received_at: Millis;
    request_id: string;
    command_id: MaybeId;
    /** 0/1 on SQLite, a boolean on PostgreSQL. */
    unsolicited: ColumnType<number | boolean, number | boolean, never>;
  };
  /** When each source server's Agent last polled, written in batches (server/liveness.ts); since migration 3. */
  source_liveness: {
    server_id: string;
    last_poll_at: Millis;
  };
  change_epoch: {
    id: number;
    epoch: ColumnType<number | string, never, never>;
  };
  schema_migrations: {
    version: number;
    name: string;
    applied_at: Millis;
  };
}

export type SourceRow = Selectable<Tables['source_servers']>;
export type TokenRow = Selectable<Tables['tokens']>;
export type AccessKeyRow = Selectable<Tables['access_keys']>;
export type CommandRow = Selectable<Tables['commands']>;
export type ResultRow = Selectable<Tables['command_results']>;
