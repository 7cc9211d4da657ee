/**
 * Row mapping shared by the SQLite and PostgreSQL stores: both keep times as epoch milliseconds and
 * lists and result details as JSON text, so one mapping serves both.
 */
import type { Action } from '../permissions.js';
import type { Command, CommandCounts, CommandResult, QueuedCommandName, SourceServer, TokenRecord } from './types.js';

export interface SourceRow {
  server_id: string;
  name: string | null;
  created_at: number | string;
}
export interface TokenRow {
  id: string;
  name: string;
  token_hash: string;
  sources: string | null;
  actions: string;
  expires_at: number | string | null;
  revoked_at: number | string | null;
  created_at: number | string;
}
export interface CommandRow {
  id: number | string;
  server_id: string;
  command_name: string;
  task_id: string | null;
  bucket: string | null;
  state: string;
  enqueued_at: number | string;
  lease_expires_at: number | string | null;
  deliveries: number;
  completed_at: number | string | null;
  result_id: number | string | null;
}
export interface ResultRow {
  id: number | string;
  server_id: string;
  command_name: string;
  result: string;
  result_detail: string;
  received_at: number | string;
  request_id: string;
  command_id: number | string | null;
  unsolicited: number | boolean;
}

const date = (ms: number | string): Date => new Date(Number(ms));
const maybeDate = (ms: number | string | null): Date | null => (ms === null ? null : date(ms));
const maybeNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

export const toSource = (r: SourceRow): SourceServer => ({ serverId: r.server_id, name: r.name, createdAt: date(r.created_at) });

export const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  name: r.name,
  tokenHash: r.token_hash,
  sources: r.sources === null ? null : (JSON.parse(r.sources) as string[]),
  actions: JSON.parse(r.actions) as Action[],
  expiresAt: maybeDate(r.expires_at),
  revokedAt: maybeDate(r.revoked_at),
  createdAt: date(r.created_at),
});

export const toCommand = (r: CommandRow): Command => ({
  id: Number(r.id),
  serverId: r.server_id,
  name: r.command_name as QueuedCommandName,
  taskId: r.task_id,
  bucket: r.bucket,
  state: r.state as Command['state'],
  enqueuedAt: date(r.enqueued_at),
  leaseExpiresAt: maybeDate(r.lease_expires_at),
  deliveries: Number(r.deliveries),
  completedAt: maybeDate(r.completed_at),
  resultId: maybeNumber(r.result_id),
});

export const toResult = (r: ResultRow): CommandResult => ({
  id: Number(r.id),
  serverId: r.server_id,
  commandName: r.command_name as CommandResult['commandName'],
  result: r.result as CommandResult['result'],
  resultDetailJson: r.result_detail,
  resultDetail: JSON.parse(r.result_detail) as Record<string, unknown>,
  receivedAt: date(r.received_at),
  requestId: r.request_id,
  commandId: maybeNumber(r.command_id),
  unsolicited: Boolean(r.unsolicited),
});

/** Folds `SELECT state, expired, COUNT(*)` rows into counts per state (expired leases apart). */
export function countCommands(rows: Array<{ state: string; expired: number | boolean | null; n: number | string }>): CommandCounts {
  const counts: CommandCounts = { pending: 0, leased: 0, expired: 0, done: 0 };
  for (const r of rows) {
    const key = r.state === 'leased' && Boolean(r.expired) ? 'expired' : (r.state as keyof CommandCounts);
    if (key in counts) counts[key] += Number(r.n);
  }
  return counts;
}
