/**
 * The admin contract's JSON for each domain object (generated/admin/schema.ts): what the admin API answers
 * and what the CLI prints with --json, so that both show the same thing the same way.
 */
import type { components } from '../../generated/admin/schema.js';
import { holdingRawJson, rawJsonObject } from '../jsonText.js';
import type { AccessKeyRecord, Command, CommandResult, SourceStatus, TokenRecord } from '../store/types.js';
import { tokenStatus } from './operator.js';
import type { Page } from './cursor.js';

type Schemas = components['schemas'];

const iso = (d: Date): string => d.toISOString();
const maybeIso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function sourceView(s: SourceStatus): Schemas['SourceServer'] {
  return {
    server_id: s.serverId,
    name: s.name,
    created_at: iso(s.createdAt),
    last_poll_at: maybeIso(s.lastPollAt),
    last_report_at: maybeIso(s.lastReportAt),
    held_command: s.heldCommand && { command_id: s.heldCommand.id, command_name: s.heldCommand.name, lease_expires_at: iso(s.heldCommand.leaseExpiresAt) },
  };
}

export function commandView(c: Command): Schemas['QueuedCommand'] {
  const param: Schemas['CommandParam'] = {};
  if (c.taskId !== null) param.task_id = c.taskId;
  if (c.bucket !== null) param.bucket = c.bucket;
  return {
    command_id: c.id,
    server_id: c.serverId,
    command_name: c.name,
    command_param: param,
    state: c.state,
    enqueued_at: iso(c.enqueuedAt),
    lease_expires_at: maybeIso(c.leaseExpiresAt),
    deliveries: c.deliveries,
    completed_at: maybeIso(c.completedAt),
    result_id: c.resultId,
    cancelled_at: maybeIso(c.cancelledAt),
  };
}

export function resultView(r: CommandResult): Schemas['StoredResult'] {
  return {
    result_id: r.id,
    command_name: r.commandName,
    result: r.result,
    // an object is serialised as the text stored, which is exactly what the Agent sent (stringifyJson)
    result_detail: typeof r.resultDetail === 'string' ? r.resultDetail : rawJsonObject(r.resultDetailJson, r.resultDetail),
    received_at: iso(r.receivedAt),
    request_id: r.requestId,
    command_id: r.commandId,
    unsolicited: r.unsolicited,
  };
}

export function tokenView(t: TokenRecord, now: Date): Schemas['Token'] {
  return {
    token_id: t.id,
    name: t.name,
    kind: t.kind,
    sources: t.sources,
    actions: t.actions,
    status: tokenStatus(t, now),
    expires_at: maybeIso(t.expiresAt),
    revoked_at: maybeIso(t.revokedAt),
    created_at: iso(t.createdAt),
  };
}

export function issuedTokenView(secret: string, t: TokenRecord, now: Date): Schemas['IssuedToken'] {
  return { token: secret, ...tokenView(t, now) };
}

export function accessKeyView(k: AccessKeyRecord, now: Date): Schemas['AccessKey'] {
  return {
    access_key: k.accessKey,
    name: k.name,
    sources: k.sources,
    actions: k.actions,
    status: tokenStatus(k, now),
    expires_at: maybeIso(k.expiresAt),
    revoked_at: maybeIso(k.revokedAt),
    created_at: iso(k.createdAt),
  };
}

export function issuedAccessKeyView(secretKey: string, k: AccessKeyRecord, now: Date): Schemas['IssuedAccessKey'] {
  return { secret_key: secretKey, ...accessKeyView(k, now) };
}

export const sourcePageView = (p: Page<SourceStatus>): Schemas['SourceServerPage'] => ({ sources: p.items.map(sourceView), next_cursor: p.nextCursor });
export const commandPageView = (p: Page<Command>): Schemas['QueuedCommandPage'] => ({ commands: p.items.map(commandView), next_cursor: p.nextCursor });
export const resultPageView = (p: Page<CommandResult>): Schemas['StoredResultPage'] => holdingRawJson({ results: p.items.map(resultView), next_cursor: p.nextCursor });
