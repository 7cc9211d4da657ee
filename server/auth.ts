/**
 * The one home of Agent and operator authentication: issuing tokens (random, shown once, stored as a
 * SHA-256 hash) and access keys (AK/SK, the SK sealed); `agentAuth().admit`, the one admission both request
 * paths run for an Agent request, in the documented order: `authenticate()` (its X-Auth-Token when it sends
 * one, else its SDK-HMAC-SHA256 signature: 401), then `authorize` (the IAM action on the source server:
 * 403); and admin tokens for the operator's API.
 */
import { hash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { hasBody } from 'type-is';
import { bodyReader } from './bodyBytes.js';
import type { Clock } from './clock.js';
import { SmsError } from './errors.js';
import type { Action } from './permissions.js';
import type { Sealer } from './sealing.js';
import type { CachedStore } from './store/cached.js';
import { checkSignature, checkSigningTime, claimsSignature, DATE_HEADER, parseAuthorization, parseSdkDate, type SignedRequest } from './signature.js';
import type { AccessKeyRecord, Store, TokenKind, TokenRecord } from './store/types.js';

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
export async function verifyToken(store: Pick<Store, 'findTokenByHash'>, token: string | undefined, now: Date): Promise<TokenRecord> {
  const presented = presentedHash(token);
  return acceptToken(await store.findTokenByHash(presented), presented, now);
}

/** What an authenticated Agent credential grants: a token record, or an access key's (`credential: 'access key'`). */
export type Grant = Pick<TokenRecord, 'id' | 'kind' | 'sources' | 'actions'> & { credential?: 'access key' };

/** The grant, if the credential may perform `action` on source server `serverId`; otherwise the 403 SmsError. */
export function authorize(grant: Grant, action: Action, serverId: string): Grant {
  const who = `${grant.credential ?? 'token'} ${grant.id}`;
  if (grant.kind !== 'agent') {
    throw new SmsError('forbidden', action, serverId, `${who} is an admin token, for the operator's API only`);
  }
  if (!grant.actions.includes(action)) {
    throw new SmsError('forbidden', action, serverId, `${who} does not grant ${action}`);
  }
  if (grant.sources !== null && !grant.sources.includes(serverId)) {
    throw new SmsError('forbidden', action, serverId, `${who} is not issued for this source server`);
  }
  return grant;
}

const AK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters drawn uniformly from `alphabet` (crypto.randomInt: no modulo bias). */
function randomText(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** Makes a new access key: the SK to show once (40 characters, 238 bits; a development service may fix the pair) and the record to store (the SK sealed). */
export function issueAccessKey(input: {
  name: string;
  sources: string[] | null;
  actions: Action[];
  expiresAt: Date | null;
  now: Date;
  sealer: Sealer;
  fixed?: { accessKey: string; secretKey: string };
}): { secretKey: string; record: Omit<AccessKeyRecord, 'revokedAt'> } {
  const accessKey = input.fixed?.accessKey ?? `AKSMS${randomText(AK_ALPHABET, 15)}`;
  const secretKey = input.fixed?.secretKey ?? randomText(SK_ALPHABET, 40);
  const record = {
    accessKey,
    name: input.name,
    sealedSecret: input.sealer.seal(secretKey, accessKey),
    sources: input.sources,
    actions: input.actions,
    expiresAt: input.expiresAt,
    createdAt: input.now,
  };
  return { secretKey, record };
}

/** The grant of an access key found for a signature, if it is valid at `now` and the signature is its SK's; otherwise the 401 SmsError that fits. */
export function acceptSignature(record: AccessKeyRecord | null, claim: ReturnType<typeof parseAuthorization>, request: SignedRequest, sealer: Sealer, now: Date): Grant {
  if (!record || record.revokedAt !== null) throw new SmsError('unknownAccessKey', claim.accessKey);
  if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) throw new SmsError('expiredAccessKey', claim.accessKey);
  checkSignature(claim, request, sealer.open(record.sealedSecret, record.accessKey));
  return { id: record.accessKey, kind: 'agent', sources: record.sources, actions: record.actions, credential: 'access key' };
}

/** What authenticate() needs: the store, the clock, the sealer of SKs, and the read cache when there is one. */
export interface AuthDeps {
  store: Pick<Store, 'findTokenByHash' | 'findAccessKey'>;
  clock: Clock;
  sealer: Sealer;
  /** Its synchronous answers make a request whose credential it holds promise-free. */
  cache?: Pick<CachedStore, 'peekToken' | 'peekAccessKey'> | null;
}

/** Whether an Agent request is checked by its signature: it claims one and sends no X-Auth-Token (a token wins). */
export function isSigned(headers: IncomingHttpHeaders): boolean {
  return headers[TOKEN_HEADER] === undefined && claimsSignature(headers.authorization);
}

/** The signature claim of a signed request whose date is within the window; the 401 SmsError otherwise. */
export function claimOf(headers: IncomingHttpHeaders, now: Date): ReturnType<typeof parseAuthorization> {
  const claim = parseAuthorization(headers.authorization as string);
  const sdkDate = headers[DATE_HEADER];
  checkSigningTime(parseSdkDate(typeof sdkDate === 'string' ? sdkDate : undefined), String(sdkDate), now);
  return claim;
}

/**
 * Authenticates an Agent request: by its X-Auth-Token when it sends one, else by its SDK-HMAC-SHA256
 * signature over what arrived (`body`: its bytes, empty without one). At once when the read cache holds the
 * credential; otherwise once the store has answered. Throws (or rejects with) the 401 SmsError.
 */
export function authenticate(deps: AuthDeps, request: SignedRequest): Grant | Promise<Grant> {
  const now = deps.clock.now();
  if (!isSigned(request.headers)) {
    const token = request.headers[TOKEN_HEADER];
    const presented = presentedHash(typeof token === 'string' ? token : undefined);
    const cached = deps.cache?.peekToken(presented);
    if (cached !== undefined) return acceptToken(cached, presented, now);
    return deps.store.findTokenByHash(presented).then((found) => acceptToken(found, presented, now));
  }
  const claim = claimOf(request.headers, now);
  const cached = deps.cache?.peekAccessKey(claim.accessKey);
  if (cached !== undefined) return acceptSignature(cached, claim, request, deps.sealer, now);
  return deps.store.findAccessKey(claim.accessKey).then((found) => acceptSignature(found, claim, request, deps.sealer, now));
}

const NO_BODY = Buffer.alloc(0);

/** Admits Agent requests: both request paths call `admit`, so a credential is checked one way. */
export interface AgentAuth {
  /**
   * The grant of an Agent request as it arrived (a signed one's body read first: its signature covers it),
   * if it authenticates (401 otherwise) and may perform `action` on `serverId` (403 otherwise). At once
   * when nothing needs reading; otherwise a promise.
   */
  admit(req: IncomingMessage, res: ServerResponse, action: Action, serverId: string): Grant | Promise<Grant>;
}

/** The Agent requests' authentication, a signed body read as sent (any type, not inflated, up to `bodyLimitBytes`). */
export function agentAuth(deps: AuthDeps & { bodyLimitBytes: number }): AgentAuth {
  const readSigned = bodyReader({ type: () => true, limit: deps.bodyLimitBytes, inflate: false });
  const check = (req: IncomingMessage, body: Buffer, action: Action, serverId: string): Grant | Promise<Grant> => {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? (req.url as string);
    const grant = authenticate(deps, { method: req.method as string, url, headers: req.headers, body });
    return grant instanceof Promise ? grant.then((g) => authorize(g, action, serverId)) : authorize(grant, action, serverId);
  };
  return {
    admit(req, res, action, serverId) {
      if (!isSigned(req.headers) || !hasBody(req)) return check(req, NO_BODY, action, serverId);
      return readSigned(req, res).then((body) => check(req, body ?? NO_BODY, action, serverId));
    },
  };
}

/** Express middleware for one Agent operation: the request admitted (authenticated, and authorized for `action` on :server_id). */
export function requireAction(auth: AgentAuth, action: Action): RequestHandler {
  return async (req, res, next) => {
    const serverId = String(req.params.server_id);
    res.locals.source = serverId;
    const grant = await auth.admit(req, res, action, serverId);
    res.locals.tokenId = grant.id;
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
