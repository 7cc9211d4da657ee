/**
 * What both databases share: every Store operation written once (queries/, one module per table, each
 * operation taking the connection first), bound here to the dialect's connection. SqliteStore and
 * PostgresStore add the hot path each dialect earns its own SQL for (leasing, storing reports), opening,
 * and closing.
 */
import * as accessKeys from './queries/accessKeys.js';
import * as commands from './queries/commands.js';
import * as liveness from './queries/liveness.js';
import * as results from './queries/results.js';
import * as sources from './queries/sources.js';
import { appliedMigrations, changeEpoch, commandCounts } from './queries/state.js';
import * as tokens from './queries/tokens.js';
import { pendingOf } from './migrations.js';
import type { SqlDatabase } from './sql.js';
import type { LeaseOutcome, NewCommandResult, RecordOutcome, Store } from './types.js';

/** The shared operations, as the query modules export them. */
const operations = { ...accessKeys, ...commands, ...liveness, ...results, ...sources, ...tokens, changeEpoch, commandCounts };

/** An operation with its connection bound. */
type Bound<F> = F extends (db: SqlDatabase, ...args: infer A) => infer R ? (...args: A) => R : never;
type SharedOperations = { readonly [K in keyof typeof operations]: Bound<(typeof operations)[K]> };

// the bound operations are own properties, set in the constructor: the interface tells TypeScript
export interface SqlStore extends SharedOperations {}

export abstract class SqlStore implements Store {
  abstract readonly kind: Store['kind'];

  constructor(protected readonly sql: SqlDatabase) {
    const self = this as unknown as Record<string, unknown>;
    for (const [name, operation] of Object.entries(operations) as Array<[string, (db: SqlDatabase, ...args: unknown[]) => unknown]>) {
      self[name] = (...args: unknown[]) => operation(sql, ...args);
    }
  }

  abstract leaseNextCommand(serverId: string, now: Date, leaseMs: number): Promise<LeaseOutcome>;
  abstract recordResult(report: NewCommandResult): Promise<RecordOutcome>;
  abstract storageProblem(): Promise<string | null>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  async pendingMigrations() {
    return pendingOf(await appliedMigrations(this.sql));
  }
}
