/**
 * The fuzzing properties, shared by the short run in `npm test` and `npm run fuzz`: valid requests get a
 * 2xx or a documented 404; each single mutation gets a documented 4xx in the spec's shape; nothing 5xx.
 * For both contracts: the Agent's two operations, and the admin API's writes and reads.
 */
import fc from 'fast-check';
import type { AccessKey } from '../../client/src/signing.js';
import { call, signedHeaders, type CallOptions } from '../../harness/http.js';
import { adminBundled, contractProblems, type Json } from '../../harness/spec.js';
import type { ContractTarget } from '../target.js';
import { applyMutation, bodyMutation, mutation, validCommandBody, validServerId, validValue } from './arbitraries.js';

/** An operationId of either contract. */
type OperationName = string;

export interface FuzzTarget {
  baseUrl: string;
  token: string;
  /** Given: the Agent requests are signed with this access key (SDK-HMAC-SHA256) instead of carrying the token. */
  accessKey?: AccessKey;
  /** A registered source, used half the time so that valid requests reach 200. */
  serverId: string;
  /** What the server stored under a request id; present, every valid report's stored row is compared with what was sent. */
  storedReport?: ContractTarget['storedReport'];
}

export interface FuzzStats {
  runs: number;
  statuses: Record<string, number>;
}

/** Whether a result_detail is a string holding a JSON object (stored as that object's text). */
function holdsJsonObject(detail: unknown): detail is string {
  if (typeof detail !== 'string') return false;
  try {
    const decoded: unknown = JSON.parse(detail);
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded);
  } catch {
    return false;
  }
}

const path = (id: string, op: 'command' | 'command_result') => `/v3/sources/${encodeURIComponent(id)}/${op}`;

/** Throws, naming every problem, unless the response has an allowed status and matches the contract. */
export function check(operation: OperationName, r: { status: number; headers: Headers; text: string }, allowed: number[], what: string): void {
  const problems = contractProblems(operation, r);
  if (!allowed.includes(r.status)) problems.unshift(`${operation} ${r.status}: expected one of ${allowed.join(', ')} for ${what}; body: ${r.text.slice(0, 300)}`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Counts a request's outcome into `stats` as "<what> <status>", and tells `onRun`. */
export function counter(stats: FuzzStats, onRun?: () => void): (name: string, status: number) => void {
  return (name, status) => {
    stats.runs++;
    stats.statuses[`${name} ${status}`] = (stats.statuses[`${name} ${status}`] ?? 0) + 1;
    onRun?.();
  };
}

/** An Agent request with the target's credential: its token, or its access key's signature over the request as sent. */
async function agentCall(t: FuzzTarget, method: string, path: string, options: Omit<CallOptions, 'token'> = {}) {
  if (!t.accessKey) return call(t.baseUrl, method, path, { ...options, token: t.token });
  const init = { method, headers: { ...options.headers }, ...(options.body === undefined ? {} : { body: options.body }) };
  return call(t.baseUrl, method, path, { ...options, headers: await signedHeaders(`${t.baseUrl}${path}`, init, t.accessKey) });
}

/** The three properties, each counting statuses into `stats`. */
export function properties(t: FuzzTarget, stats: FuzzStats, onRun?: () => void) {
  const count = counter(stats, onRun);
  const anyServerId = fc.oneof(fc.constant(t.serverId), validServerId);
  return {
    validPoll: fc.asyncProperty(anyServerId, async (serverId) => {
      const r = await agentCall(t, 'GET', path(serverId, 'command'));
      count('valid ShowCommand', r.status);
      check('ShowCommand', r, [200, 404], `a valid poll of ${JSON.stringify(serverId)}`);
    }),
    validReport: fc.asyncProperty(anyServerId, validCommandBody, async (serverId, body) => {
      const r = await agentCall(t, 'POST', path(serverId, 'command_result'), { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      count('valid UpdateCommandResult', r.status);
      check('UpdateCommandResult', r, [200, 404], 'a valid report');
      if (r.status === 200 && t.storedReport) {
        const requestId = r.headers.get('x-request-id') ?? '';
        const stored = await t.storedReport(serverId, requestId);
        // stored exactly as sent: the JSON text of the object or string, or the object an SDK's string holds
        // (compared as text: a deep value would overflow a recursive comparison)
        const detail = body.result_detail;
        const expected = { commandName: body.command_name, result: body.result, resultDetailJson: holdsJsonObject(detail) ? detail : JSON.stringify(detail) };
        const got = stored && { commandName: stored.commandName, result: stored.result, resultDetailJson: stored.resultDetailJson };
        if (!got || got.commandName !== expected.commandName || got.result !== expected.result || got.resultDetailJson !== expected.resultDetailJson) {
          throw new Error(`UpdateCommandResult 200: stored ${JSON.stringify(got).slice(0, 300)} under request ${requestId}, sent ${JSON.stringify(expected).slice(0, 300)}`);
        }
      }
    }),
    invalidReport: fc.asyncProperty(anyServerId, validCommandBody, mutation, async (serverId, body, m) => {
      const req = applyMutation(m, serverId, body);
      const r = await agentCall(t, 'POST', path(req.serverId, 'command_result'), { body: req.body, headers: { 'Content-Type': req.contentType } });
      count(`invalid (${m.kind})`, r.status);
      check('UpdateCommandResult', r, [400], `mutation ${m.kind}`);
    }),
  };
}

/** The admin API as the fuzzing sees it: an admin token, and a registered source (used half the time). */
export interface AdminFuzzTarget {
  baseUrl: string;
  adminToken: string;
  serverId: string;
}

const adminSchemas = (adminBundled.components as Json).schemas as Record<string, Json>;

/** The admin operations that take a JSON body, with the schema of their body and their path. */
const adminWrites = [
  { id: 'CreateSource', schema: adminSchemas.NewSourceServer as Json, path: () => '/admin/v1/sources' },
  { id: 'CreateCommand', schema: adminSchemas.NewCommand as Json, path: (serverId: string) => `/admin/v1/sources/${encodeURIComponent(serverId)}/commands` },
  { id: 'CreateToken', schema: adminSchemas.NewToken as Json, path: () => '/admin/v1/tokens' },
] as const;

/** The admin API's properties: valid writes get 201 or the 404/409 their state explains, valid reads 200 or 404, every single mutation 400. */
export function adminProperties(t: AdminFuzzTarget, stats: FuzzStats, onRun?: () => void) {
  const count = counter(stats, onRun);
  const anyServerId = fc.oneof(fc.constant(t.serverId), validServerId);
  // half the tokens name the registered source server (a random ID is rarely registered: 404)
  const body = (op: (typeof adminWrites)[number]) =>
    fc
      .tuple(validValue(op.schema, 'admin') as fc.Arbitrary<Record<string, unknown>>, fc.boolean())
      .map(([b, registered]) => (op.id === 'CreateToken' && Array.isArray(b.sources) && registered ? { ...b, sources: [t.serverId] } : b));
  const write = fc.constantFrom(...adminWrites).chain((op) => fc.tuple(fc.constant(op), body(op), anyServerId));
  const send = (method: string, path: string, body?: string, contentType = 'application/json') =>
    call(t.baseUrl, method, path, { token: t.adminToken, ...(body === undefined ? {} : { body, headers: { 'Content-Type': contentType } }) });
  return {
    validAdminWrite: fc.asyncProperty(write, async ([op, body, serverId]) => {
      const r = await send('POST', op.path(serverId), JSON.stringify(body));
      count(`valid ${op.id}`, r.status);
      // what the schema cannot say: a source registered already (409), a source not registered (404), an admin token with sources or actions (400)
      const allowed = op.id === 'CreateSource' ? [201, 409] : op.id === 'CreateCommand' ? [201, 404] : body.kind === 'admin' && (body.sources || body.actions) ? [400] : [201, 404];
      check(op.id as OperationName, r, allowed, `a valid ${op.id} body ${JSON.stringify(body).slice(0, 200)}`);
      if (r.status === 201 && op.id === 'CreateSource') {
        const shown = await send('GET', `/admin/v1/sources/${encodeURIComponent(String(body.server_id))}`);
        check('ShowSource', shown, [200], 'the source server just registered');
        if (shown.json().name !== (body.name ?? null)) throw new Error(`ShowSource: registered with name ${JSON.stringify(body.name)}, shows ${JSON.stringify(shown.json().name)}`);
      }
    }),
    validAdminRead: fc.asyncProperty(
      fc.constantFrom('ListSources', 'ShowSource', 'ListCommands', 'ListResults', 'ListTokens'),
      anyServerId,
      fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
      fc.option(fc.constantFrom('pending', 'leased', 'done', 'cancelled'), { nil: undefined }),
      async (id, serverId, limit, state) => {
        const source = `/admin/v1/sources/${encodeURIComponent(serverId)}`;
        const query = new URLSearchParams();
        if (limit !== undefined && id !== 'ShowSource' && id !== 'ListTokens') query.set('limit', String(limit));
        if (state !== undefined && id === 'ListCommands') query.set('state', state);
        const path = { ListSources: '/admin/v1/sources', ShowSource: source, ListCommands: `${source}/commands`, ListResults: `${source}/results`, ListTokens: '/admin/v1/tokens' }[id];
        const r = await send('GET', `${path}${query.size > 0 ? `?${query}` : ''}`);
        count(`valid ${id}`, r.status);
        check(id, r, id === 'ListSources' || id === 'ListTokens' ? [200] : [200, 404], `GET ${path}?${query}`);
      },
    ),
    invalidAdminWrite: fc.asyncProperty(
      fc.constantFrom(...adminWrites).chain((op) => fc.tuple(fc.constant(op), validValue(op.schema, 'admin') as fc.Arbitrary<Record<string, unknown>>, bodyMutation(op.schema, 'admin'))),
      async ([op, body, m]) => {
        const req = applyMutation(m, t.serverId, body);
        const r = await send('POST', op.path(t.serverId), req.body, req.contentType);
        count(`invalid ${op.id} (${m.kind})`, r.status);
        check(op.id as OperationName, r, [400], `mutation ${m.kind} of ${JSON.stringify(body).slice(0, 120)}`);
      },
    ),
  };
}
