/**
 * The one home of X-Auth-Token: issuing tokens (random, shown once, stored as a SHA-256 hash) and the
 * middleware that checks them in the documented order (401, then 403): Agent tokens for the Agent
 * operations (an action on a source server), admin tokens for the operator's API.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Clock } from './clock.js';
import { SmsError } from './errors.js';
import type { Action } from './permissions.js';
import type { Store, TokenKind, TokenRecord } from './store/types.js';

export const TOKEN_HEADER = 'x-auth-token';
export const MAX_TOKEN_LENGTH = 16384;
const TOKEN_PREFIX = 'sms_';

/** Hashes a token secret for storage and lookup (tokens carry 256 bits of entropy, so no slow KDF is needed). */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Makes a new token: the secret to show once (random; a development service may fix it), and the record to store (without the secret). */
export function issueToken(input: {
  name: string;
  kind: TokenKind;
  sources: string[] | null;
  actions: Action[];
  expiresAt: Date | null;
  now: Date;
  secret?: string;
}): { secret: string; record: Omit<TokenRecord, 'revokedAt'> } {
  const secret = input.secret ?? `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = {
    id: `tok_${randomBytes(6).toString('hex')}`,
    name: input.name,
    kind: input.kind,
    tokenHash: hashToken(secret),
    sources: input.sources,
    actions: input.actions,
    expiresAt: input.expiresAt,
    createdAt: input.now,
  };
  return { secret, record };
}

/**
 * Compares two token hashes in constant time. Equivalent to `===` here, and kept on purpose: the record is
 * looked up by the presented token's hash, so a found record's hash always equals it, and the secret
 * itself is never compared (only its SHA-256). A mutation to `===` is therefore an equivalent mutant; this
 * guards the day the lookup changes (by token id, say).
 */
function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The hash a presented token is looked up by, or the 401 SmsError for a missing or over-long one. */
export function presentedHash(token: string | undefined): string {
  if (token === undefined || token === '') {
    throw new SmsError('missingToken');
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new SmsError('tokenTooLong', MAX_TOKEN_LENGTH);
  }
  return hashToken(token);
}

/** The record found for a presented token's hash, if it is valid at `now`; otherwise the 401 SmsError that fits. */
export function acceptToken(record: TokenRecord | null, presented: string, now: Date): TokenRecord {
  if (!record || !sameHash(record.tokenHash, presented) || record.revokedAt !== null) {
    throw new SmsError('invalidToken');
  }
  if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) {
    throw new SmsError('expiredToken');
  }
  return record;
}

/** Resolves a presented token to its record, or throws the 401 SmsError that fits. */
export async function verifyToken(store: Store, token: string | undefined, now: Date): Promise<TokenRecord> {
  const presented = presentedHash(token);
  return acceptToken(await store.findTokenByHash(presented), presented, now);
}

/** Throws the 403 SmsError unless the token may perform `action` on source server `serverId`. */
export function authorize(record: TokenRecord, action: Action, serverId: string): void {
  if (record.kind !== 'agent') {
    throw new SmsError('forbidden', action, serverId, `token ${record.id} is an admin token, for the operator's API only`);
  }
  if (!record.actions.includes(action)) {
    throw new SmsError('forbidden', action, serverId, `token ${record.id} does not grant ${action}`);
  }
  if (record.sources !== null && !record.sources.includes(serverId)) {
    throw new SmsError('forbidden', action, serverId, `token ${record.id} is not issued for this source server`);
  }
}

/** Express middleware for one operation: authenticates X-Auth-Token and authorizes `action` on :server_id. */
export function requireAction(deps: { store: Store; clock: Clock }, action: Action): RequestHandler {
  return async (req, res, next) => {
    res.locals.source = String(req.params.server_id);
    const record = await verifyToken(deps.store, req.get(TOKEN_HEADER), deps.clock.now());
    authorize(record, action, String(req.params.server_id));
    res.locals.tokenId = record.id;
    next();
  };
}

/** Express middleware for the operator's API: authenticates X-Auth-Token (401) and requires an admin token (403). */
export function requireAdmin(deps: { store: Store; clock: Clock }): RequestHandler {
  return async (req, res, next) => {
    const record = await verifyToken(deps.store, req.get(TOKEN_HEADER), deps.clock.now());
    if (record.kind !== 'admin') throw new SmsError('adminTokenRequired', record.id);
    res.locals.tokenId = record.id;
    next();
  };
}
