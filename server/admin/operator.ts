/**
 * What an operator can do, written once: the admin CLI (program.ts) and the admin API (handlers.ts) both
 * call these functions, so neither has SQL or rules of its own. Each throws the error table's SmsError
 * (404, 409, 400) where the request cannot be done.
 */
import { issueAccessKey, issueToken } from '../auth.js';
import { SmsError } from '../errors.js';
import type { Liveness } from '../liveness.js';
import { ACTIONS, type Action } from '../permissions.js';
import type { Sealer } from '../sealing.js';
import type { AccessKeyRecord, Command, CommandResult, CommandState, QueuedCommandName, SourceStatus, Store, TokenKind, TokenRecord } from '../store/types.js';
import { decodeCursor, toPage, type Page } from './cursor.js';

export interface OperatorDeps {
  store: Store;
  now: () => Date;
  /** Seals the SKs of the access keys issued. */
  sealer: Sealer;
  /** This instance's polls not written yet (the server has them; the CLI, another process, does not). */
  liveness?: Pick<Liveness, 'unwritten'>;
}

export const DEFAULT_PAGE_SIZE = 100;
/** The longest token lifetime: ten years (a longer one is a typo, or never-expiring: give none). */
export const MAX_TOKEN_LIFETIME_SECONDS = 3650 * 86_400;

/** A source server with the polls this instance has not written yet. */
function withUnwrittenPoll(deps: OperatorDeps, source: SourceStatus): SourceStatus {
  const unwritten = deps.liveness?.unwritten(source.serverId);
  if (!unwritten || (source.lastPollAt && source.lastPollAt >= unwritten)) return source;
  return { ...source, lastPollAt: unwritten };
}

/** The source server, or SmsError sourceNotFound. */
export async function showSource(deps: OperatorDeps, serverId: string): Promise<SourceStatus> {
  const source = await deps.store.getSource(serverId, deps.now());
  if (!source) throw new SmsError('sourceNotFound', serverId);
  return withUnwrittenPoll(deps, source);
}

/** Registers a source server (SmsError sourceAlreadyRegistered when it is). */
export async function registerSource(deps: OperatorDeps, input: { serverId: string; name: string | null }): Promise<SourceStatus> {
  await deps.store.addSource(input.serverId, input.name, deps.now());
  return showSource(deps, input.serverId);
}

/** A page of source servers by server_id. */
export async function listSources(deps: OperatorDeps, query: { limit?: number; cursor?: string }): Promise<Page<SourceStatus>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = query.cursor === undefined ? undefined : decodeCursor('sources', query.cursor);
  const rows = await deps.store.listSources({ now: deps.now(), limit: limit + 1, ...(after === undefined ? {} : { after }) });
  const page = toPage('sources', rows, limit, (s) => s.serverId);
  return { ...page, items: page.items.map((s) => withUnwrittenPoll(deps, s)) };
}

/** Queues a command for a registered source server. */
export async function queueCommand(deps: OperatorDeps, serverId: string, input: { name: QueuedCommandName; taskId?: string | undefined; bucket?: string | undefined }): Promise<Command> {
  return deps.store.enqueueCommand({ serverId, name: input.name, taskId: input.taskId ?? null, bucket: input.bucket ?? null }, deps.now());
}

/** A page of a source server's commands, oldest first (SmsError sourceNotFound for an unregistered one). */
export async function listCommands(deps: OperatorDeps, serverId: string, query: { state?: CommandState; limit?: number; cursor?: string }): Promise<Page<Command>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = query.cursor === undefined ? undefined : decodeCursor('commands', query.cursor);
  await showSource(deps, serverId);
  const rows = await deps.store.listCommands(serverId, { limit: limit + 1, ...(query.state ? { state: query.state } : {}), ...(after === undefined ? {} : { after }) });
  return toPage('commands', rows, limit, (c) => c.id);
}

/** Cancels a pending command: SmsError commandNotFound, or commandNotCancellable when it is leased, done or cancelled. */
export async function cancelCommand(deps: OperatorDeps, serverId: string, commandId: number): Promise<Command> {
  const outcome = await deps.store.cancelCommand(serverId, commandId, deps.now());
  if (outcome.kind === 'cancelled') return outcome.command;
  if (outcome.kind === 'not-pending') throw new SmsError('commandNotCancellable', commandId, outcome.command.state);
  await showSource(deps, serverId); // an unregistered source server is its own 404
  throw new SmsError('commandNotFound', serverId, commandId);
}

/** A page of a source server's reports, newest first (SmsError sourceNotFound for an unregistered one). */
export async function listResults(deps: OperatorDeps, serverId: string, query: { limit?: number; cursor?: string }): Promise<Page<CommandResult>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const before = query.cursor === undefined ? undefined : decodeCursor('results', query.cursor);
  await showSource(deps, serverId);
  const rows = await deps.store.recentResults(serverId, { limit: limit + 1, ...(before === undefined ? {} : { before }) });
  return toPage('results', rows, limit, (r) => r.id);
}

export interface TokenRequest {
  name: string;
  kind?: TokenKind | undefined;
  /** Agent tokens: the registered source servers it may act for (default: every one). */
  sources?: string[] | undefined;
  /** Agent tokens: the actions it may perform (default: both). */
  actions?: Action[] | undefined;
  expiresInSeconds?: number | undefined;
}

/** When a credential issued now with this lifetime expires (null: never), or SmsError invalidParameter for a lifetime out of bounds. */
function expiryOf(what: string, expiresInSeconds: number | undefined, now: Date): Date | null {
  if (expiresInSeconds === undefined) return null;
  if (!(Number.isInteger(expiresInSeconds) && expiresInSeconds >= 1 && expiresInSeconds <= MAX_TOKEN_LIFETIME_SECONDS)) {
    throw new SmsError('invalidParameter', `${what} lives 1 second to ${MAX_TOKEN_LIFETIME_SECONDS} seconds (ten years); give no lifetime for ${what} that does not expire`);
  }
  return new Date(now.getTime() + expiresInSeconds * 1000);
}

/** An Agent credential's grants as stored: its registered sources (null: every one) and its actions (default both), each once. */
async function agentGrants(deps: OperatorDeps, request: Pick<TokenRequest, 'sources' | 'actions'>): Promise<{ sources: string[] | null; actions: Action[] }> {
  for (const serverId of request.sources ?? []) await showSource(deps, serverId);
  return {
    sources: request.sources === undefined ? null : [...new Set(request.sources)],
    actions: request.actions === undefined ? [...ACTIONS] : [...new Set(request.actions)],
  };
}

/** Issues a token: the secret (to show once) and the record stored (its hash only). */
export async function createToken(deps: OperatorDeps, request: TokenRequest): Promise<{ secret: string; record: TokenRecord }> {
  const kind = request.kind ?? 'agent';
  if (kind === 'admin' && (request.sources !== undefined || request.actions !== undefined)) {
    throw new SmsError('invalidParameter', 'an admin token takes no sources or actions (it may use the admin API, and nothing else)');
  }
  const now = deps.now();
  const expiresAt = expiryOf('a token', request.expiresInSeconds, now);
  const grants = kind === 'admin' ? { sources: null, actions: [] } : await agentGrants(deps, request);
  const issued = issueToken({ name: request.name, kind, ...grants, expiresAt, now });
  const record = await deps.store.createToken(issued.record);
  return { secret: issued.secret, record };
}

export type AccessKeyRequest = Omit<TokenRequest, 'kind'>;

/** Issues an access key for an Agent: its SK (to show once) and the record stored (the SK sealed). */
export async function createAccessKey(deps: OperatorDeps, request: AccessKeyRequest): Promise<{ secretKey: string; record: AccessKeyRecord }> {
  const now = deps.now();
  const expiresAt = expiryOf('an access key', request.expiresInSeconds, now);
  const issued = issueAccessKey({ name: request.name, ...(await agentGrants(deps, request)), expiresAt, now, sealer: deps.sealer });
  const record = await deps.store.createAccessKey(issued.record);
  return { secretKey: issued.secretKey, record };
}

/** Every access key, oldest first (never an SK). */
export function listAccessKeys(deps: OperatorDeps): Promise<AccessKeyRecord[]> {
  return deps.store.listAccessKeys();
}

/** Revokes an access key (SmsError accessKeyNotFound); revoking again keeps the first revocation. */
export async function revokeAccessKey(deps: OperatorDeps, accessKey: string): Promise<AccessKeyRecord> {
  const key = await deps.store.revokeAccessKey(accessKey, deps.now());
  if (!key) throw new SmsError('accessKeyNotFound', accessKey);
  return key;
}

/** Seals every access key's SK under the sealing ring's first key (after a rotation); how many were resealed, of how many. */
export async function resealAccessKeys(deps: OperatorDeps): Promise<{ resealed: number; total: number }> {
  const keys = await deps.store.listAccessKeys();
  let resealed = 0;
  for (const key of keys) {
    if (deps.sealer.isCurrent(key.sealedSecret)) continue;
    await deps.store.resealAccessKey(key.accessKey, deps.sealer.seal(deps.sealer.open(key.sealedSecret, key.accessKey), key.accessKey));
    resealed++;
  }
  return { resealed, total: keys.length };
}

/** Every token, oldest first (never a secret: only hashes are stored). */
export function listTokens(deps: OperatorDeps): Promise<TokenRecord[]> {
  return deps.store.listTokens();
}

/** Revokes a token (SmsError tokenNotFound); revoking again keeps the first revocation. */
export async function revokeToken(deps: OperatorDeps, tokenId: string): Promise<TokenRecord> {
  const token = await deps.store.revokeToken(tokenId, deps.now());
  if (!token) throw new SmsError('tokenNotFound', tokenId);
  return token;
}

/** active, revoked or expired, at `now` (a token's or an access key's). */
export function tokenStatus(token: Pick<TokenRecord, 'revokedAt' | 'expiresAt'>, now: Date): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  return token.expiresAt && token.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}
