/**
 * Row mapping shared by the SQLite and PostgreSQL stores: both keep times as epoch milliseconds and
 * lists and result details as JSON text (PostgreSQL's BIGINT arrives as a string), so one mapping serves both.
 */
import type { Action } from '../permissions.js';
import type { AccessKeyRow, CommandRow, ResultRow, SourceRow, TokenRow } from './tables.js';
import type { AccessKeyRecord, Command, CommandCounts, CommandResult, HeldCommand, QueuedCommandName, SourceServer, SourceStatus, TokenKind, TokenRecord } from './types.js';

function date(ms: number | string): Date {
  return new Date(Number(ms));
}
function maybeDate(ms: number | string | null): Date | null {
  return ms === null ? null : date(ms);
}
function maybeNumber(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

export function toSource(r: SourceRow): SourceServer {
  return { serverId: r.server_id, name: r.name, createdAt: date(r.created_at) };
}

/** A source server row joined with its liveness: the last poll, the last report and the command it holds. */
export interface SourceStatusRow extends SourceRow {
  last_poll_at: number | string | null;
  last_report_at: number | string | null;
  held_id: number | string | null;
  held_name: string | null;
  held_until: number | string | null;
}

export function toSourceStatus(r: SourceStatusRow): SourceStatus {
  const held: HeldCommand | null =
    r.held_id === null ? null : { id: Number(r.held_id), name: r.held_name as QueuedCommandName, leaseExpiresAt: date(r.held_until as number | string) };
  return { ...toSource(r), lastPollAt: maybeDate(r.last_poll_at), lastReportAt: maybeDate(r.last_report_at), heldCommand: held };
}

/** A credential row's grants and times (tokens and access keys store them alike). */
function grantsOf(r: Pick<TokenRow, 'sources' | 'actions' | 'expires_at' | 'revoked_at' | 'created_at'>): Pick<TokenRecord, 'sources' | 'actions' | 'expiresAt' | 'revokedAt' | 'createdAt'> {
  return {
    sources: r.sources === null ? null : (JSON.parse(r.sources) as string[]),
    actions: JSON.parse(r.actions) as Action[],
    expiresAt: maybeDate(r.expires_at),
    revokedAt: maybeDate(r.revoked_at),
    createdAt: date(r.created_at),
  };
}

export function toToken(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as TokenKind,
    tokenHash: r.token_hash,
    ...grantsOf(r),
  };
}

export function toAccessKey(r: AccessKeyRow): AccessKeyRecord {
  return {
    accessKey: r.access_key,
    name: r.name,
    sealedSecret: r.sealed_secret,
    ...grantsOf(r),
  };
}

export function toCommand(r: CommandRow): Command {
  return {
    id: Number(r.id),
    serverId: r.server_id,
    name: r.command_name as QueuedCommandName,
    taskId: r.task_id,
    bucket: r.bucket,
    // a cancelled command is kept as done (never handed out) with the time it was cancelled
    state: r.cancelled_at !== null ? 'cancelled' : (r.state as Command['state']),
    enqueuedAt: date(r.enqueued_at),
    leaseExpiresAt: maybeDate(r.lease_expires_at),
    deliveries: Number(r.deliveries),
    completedAt: maybeDate(r.completed_at),
    resultId: maybeNumber(r.result_id),
    cancelledAt: maybeDate(r.cancelled_at),
  };
}

export function toResult(r: ResultRow): CommandResult {
  return {
    id: Number(r.id),
    serverId: r.server_id,
    commandName: r.command_name as CommandResult['commandName'],
    result: r.result as CommandResult['result'],
    resultDetailJson: r.result_detail,
    resultDetail: JSON.parse(r.result_detail) as CommandResult['resultDetail'],
    receivedAt: date(r.received_at),
    requestId: r.request_id,
    commandId: maybeNumber(r.command_id),
    unsolicited: Boolean(r.unsolicited),
  };
}

/** Folds `SELECT state, expired, cancelled, COUNT(*)` rows into counts per state (expired leases and cancelled commands apart). */
export function countCommands(rows: Array<{ state: string; expired: number | boolean | null; cancelled: number | boolean | null; n: number | string }>): CommandCounts {
  const counts: CommandCounts = { pending: 0, leased: 0, expired: 0, done: 0, cancelled: 0 };
  for (const r of rows) {
    const key = Boolean(r.cancelled) ? 'cancelled' : r.state === 'leased' && Boolean(r.expired) ? 'expired' : (r.state as keyof CommandCounts);
    if (key in counts) counts[key] += Number(r.n);
  }
  return counts;
}
