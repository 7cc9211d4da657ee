/**
 * What both databases share: every Store operation written once (queries/), run on the dialect's
 * connection. SqliteStore and PostgresStore add the hot path each dialect earns its own SQL for (leasing,
 * storing reports), opening, and closing.
 */
import { createAccessKey, findAccessKey, listAccessKeys, resealAccessKey, revokeAccessKey } from './queries/accessKeys.js';
import { cancelCommand, enqueueCommand, listCommands } from './queries/commands.js';
import { recordPolls } from './queries/liveness.js';
import { listResults, recentResults } from './queries/results.js';
import { addSource, getSource, listSources } from './queries/sources.js';
import { appliedMigrations, changeEpoch, commandCounts } from './queries/state.js';
import { createToken, findTokenByHash, listTokens, revokeToken } from './queries/tokens.js';
import { pendingOf } from './migrations.js';
import type { SqlDatabase } from './sql.js';
import type { CommandState, LeaseOutcome, NewAccessKey, NewCommand, NewCommandResult, NewToken, RecordOutcome, Store } from './types.js';

export abstract class SqlStore implements Store {
  abstract readonly kind: Store['kind'];

  constructor(protected readonly sql: SqlDatabase) {}

  abstract leaseNextCommand(serverId: string, now: Date, leaseMs: number): Promise<LeaseOutcome>;
  abstract recordResult(report: NewCommandResult): Promise<RecordOutcome>;
  abstract storageProblem(): Promise<string | null>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  addSource(serverId: string, name: string | null, now: Date) {
    return addSource(this.sql, serverId, name, now);
  }
  listSources(query: { now: Date; limit: number; after?: string }) {
    return listSources(this.sql, query);
  }
  getSource(serverId: string, now: Date) {
    return getSource(this.sql, serverId, now);
  }
  recordPolls(polls: ReadonlyArray<{ serverId: string; at: number }>) {
    return recordPolls(this.sql, polls);
  }
  createToken(token: NewToken) {
    return createToken(this.sql, token);
  }
  findTokenByHash(tokenHash: string) {
    return findTokenByHash(this.sql, tokenHash);
  }
  listTokens() {
    return listTokens(this.sql);
  }
  revokeToken(id: string, now: Date) {
    return revokeToken(this.sql, id, now);
  }
  createAccessKey(key: NewAccessKey) {
    return createAccessKey(this.sql, key);
  }
  findAccessKey(accessKey: string) {
    return findAccessKey(this.sql, accessKey);
  }
  listAccessKeys() {
    return listAccessKeys(this.sql);
  }
  revokeAccessKey(accessKey: string, now: Date) {
    return revokeAccessKey(this.sql, accessKey, now);
  }
  resealAccessKey(accessKey: string, sealedSecret: string) {
    return resealAccessKey(this.sql, accessKey, sealedSecret);
  }
  enqueueCommand(command: NewCommand, now: Date) {
    return enqueueCommand(this.sql, command, now);
  }
  listCommands(serverId: string, query?: { state?: CommandState; limit?: number; after?: number }) {
    return listCommands(this.sql, serverId, query);
  }
  cancelCommand(serverId: string, commandId: number, now: Date) {
    return cancelCommand(this.sql, serverId, commandId, now);
  }
  listResults(serverId: string) {
    return listResults(this.sql, serverId);
  }
  recentResults(serverId: string, query: { limit: number; before?: number }) {
    return recentResults(this.sql, serverId, query);
  }
  changeEpoch() {
    return changeEpoch(this.sql);
  }
  commandCounts(now: Date) {
    return commandCounts(this.sql, now);
  }
  async pendingMigrations() {
    return pendingOf(await appliedMigrations(this.sql));
  }
}
