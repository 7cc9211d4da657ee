/**
 * server/fastPath.ts against the path it replaces: the same generated requests, valid and invalid, go to
 * the server as `npm start` composes it (the ShowCommand fast path in front of Express) and to the same
 * server without the fast path on stock express-openapi-validator (the published release, unpatched), each
 * on a database of identical content; every pair of answers must agree on the status, the error code,
 * the content type and, for a 200, the body. The fast path must have answered the valid polls itself.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import * as stockValidator from 'express-openapi-validator-stock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../server/auth.js';
import { ACTIONS } from '../../server/permissions.js';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { SmsError } from '../../server/errors.js';
import { EXAMPLE_SOURCE, OTHER_SOURCE, UNREGISTERED_SOURCE } from '../../harness/fixtures.js';
import { faultyStore } from '../../harness/storeDoubles.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { MAX_TOKEN_LENGTH } from '../../server/auth.js';

interface Answer {
  status: number;
  contentType: string | undefined;
  requestId: boolean;
  body: unknown;
}

/** Sends a request exactly as given (path, method, headers), without fetch's normalisation. */
function send(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = text === '' ? '' : JSON.parse(text);
        } catch {
          // not JSON: compared as text
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], requestId: typeof res.headers['x-request-id'] === 'string', body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What must agree: the status, the error code (not the message: a 200's body entirely), the content type, the request id. */
const comparable = (a: Answer) => ({
  status: a.status,
  contentType: a.contentType,
  requestId: a.requestId,
  body: a.status === 200 ? a.body : ((a.body as { error_code?: string } | undefined)?.error_code ?? a.body),
});

describe('the ShowCommand fast path answers as Express with stock express-openapi-validator does', () => {
  const stores: Store[] = [];
  let fast: InProcessServer;
  let stock: InProcessServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) stores.push(await openStore('sqlite::memory:'));
    fast = await startInProcess({ store: stores[0] as Store });
    stock = await startInProcess({ store: stores[1] as Store, fastPath: false, openApiValidator: stockValidator });
    const now = new Date();
    const hourAgo = new Date(now.getTime() - 3_600_000);
    // the same tokens (same secrets) and the same source servers and queues in both databases
    const kinds = {
      all: { kind: 'agent' as const, sources: null, actions: [...ACTIONS], expiresAt: null },
      otherSource: { kind: 'agent' as const, sources: [OTHER_SOURCE], actions: [...ACTIONS], expiresAt: null },
      reportOnly: { kind: 'agent' as const, sources: null, actions: ['sms:server:updateCommandResult' as const], expiresAt: null },
      admin: { kind: 'admin' as const, sources: null, actions: [], expiresAt: null },
      expired: { kind: 'agent' as const, sources: null, actions: [...ACTIONS], expiresAt: hourAgo },
      revoked: { kind: 'agent' as const, sources: null, actions: [...ACTIONS], expiresAt: null },
    };
    for (const [name, scope] of Object.entries(kinds)) {
      const { secret, record } = issueToken({ name, ...scope, now: hourAgo });
      tokens[name] = secret;
      for (const store of stores) {
        await store.createToken(record);
        if (name === 'revoked') await store.revokeToken(record.id, now);
      }
    }
    for (const store of stores) {
      await store.addSource(EXAMPLE_SOURCE, null, now);
      await store.addSource(OTHER_SOURCE, null, now);
      for (const [name, taskId] of [['START', 't-1'], ['SYNC', 't-1'], ['STOP', 't-2']] as const) await store.enqueueCommand({ serverId: EXAMPLE_SOURCE, name, taskId }, now);
    }
    await fast.refreshCache();
    await stock.refreshCache();
  });
  afterAll(async () => {
    await fast?.close();
    await stock?.close();
    for (const store of stores) await store.close();
  });

  const serverIds = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(EXAMPLE_SOURCE, OTHER_SOURCE, UNREGISTERED_SOURCE) },
    fc.stringMatching(/^[A-Za-z0-9_-]{1,36}$/),
    fc.constantFrom('x'.repeat(37), 'a.b', 'a%20b', '%41', 'f32ab4d6%2Dd150', 'a+b', "a'b", 'a~b', '-', '_', '..'),
  );
  const paths = fc
    .tuple(serverIds, fc.constantFrom('', '', '', '', '/', '?', '?a=1', '?server_id=x', '#f', '/command'), fc.constantFrom('/v3/sources/', '/v3/sources/', '/v3/sources/', '/V3/sources/', '/v3//sources/', '/v3/Sources/'))
    .map(([id, tail, prefix]) => `${prefix}${id}/command${tail}`);
  const tokenHeaders = fc.oneof(
    { weight: 6, arbitrary: fc.constant('all') },
    fc.constantFrom('otherSource', 'reportOnly', 'admin', 'expired', 'revoked', 'unknown', 'missing', 'empty', 'overlong', 'spaced'),
  );
  const requests = fc.record({
    method: fc.oneof({ weight: 8, arbitrary: fc.constant('GET') }, fc.constantFrom('HEAD', 'POST', 'PUT', 'DELETE')),
    path: paths,
    token: tokenHeaders,
    body: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, fc.constantFrom('', '{}', 'x')),
  });

  const headersFor = (token: string, body: string | undefined): Record<string, string> => {
    const headers: Record<string, string> = {};
    if (token === 'unknown') headers['X-Auth-Token'] = 'sms_not-a-token-anyone-issued';
    else if (token === 'empty') headers['X-Auth-Token'] = '';
    else if (token === 'overlong') headers['X-Auth-Token'] = 'a'.repeat(MAX_TOKEN_LENGTH + 1);
    else if (token === 'spaced') headers['X-Auth-Token'] = ` ${tokens.all} `;
    else if (token !== 'missing') headers['X-Auth-Token'] = tokens[token] as string;
    // a body is framed (Node's client sends one on a GET unframed otherwise: the next request's garbage)
    if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    return headers;
  };

  it('agrees on every generated request, and answers the valid polls itself', async () => {
    const before = fast.fastPathAnswered();
    let exact = 0; // authorized, bodiless GETs of the exact path (200, or 404 for an unregistered source server): the fast path's to answer
    await fc.assert(
      fc.asyncProperty(requests, async ({ method, path, token, body }) => {
        const headers = headersFor(token, body);
        const [a, b] = [await send(fast.baseUrl, method, path, headers, body), await send(stock.baseUrl, method, path, headers, body)];
        const authorized = a.status === 200 || (a.status === 404 && (a.body as { error_code?: string }).error_code === 'SMS.2006');
        if (authorized && method === 'GET' && body === undefined && /^\/v3\/sources\/[A-Za-z0-9_-]{1,36}\/command$/.test(path)) exact++;
        expect(comparable(a), `${method} ${path} token=${token} body=${JSON.stringify(body)}`).toEqual(comparable(b));
      }),
      { numRuns: 400, seed: 20261129 },
    );
    expect(exact).toBeGreaterThan(30);
    // every one of those was the fast path's (the rest went through Express)
    expect(fast.fastPathAnswered() - before).toBe(exact);
    expect(stock.fastPathAnswered()).toBe(0);
  });

});

describe('the ShowCommand fast path agrees with the Express path when the database fails', () => {
  it('500 while the backend fails, 503 while it cannot keep writes, and the command is kept', async () => {
    const servers: Array<{ inner: Store; faults: ReturnType<typeof faultyStore>; server: InProcessServer; token: string }> = [];
    for (const options of [{}, { fastPath: false, openApiValidator: stockValidator }]) {
      const inner = await openStore('sqlite::memory:');
      const faults = faultyStore(inner);
      const server = await startInProcess({ ...options, store: faults.store });
      await server.addSource(EXAMPLE_SOURCE);
      servers.push({ inner, faults, server, token: (await server.token()).secret });
    }
    try {
      const poll = (s: (typeof servers)[number]) => send(s.server.baseUrl, 'GET', `/v3/sources/${EXAMPLE_SOURCE}/command`, { 'X-Auth-Token': s.token });
      for (const s of servers) {
        await poll(s); // the token and the idle state are cached
        await s.server.enqueue(EXAMPLE_SOURCE, 'STOP', { taskId: 't-503' });
        s.faults.fail(true, { methods: ['leaseNextCommand'], error: () => new SmsError('storageUnavailable', 'injected: the database file was deleted') });
      }
      const refused = await Promise.all(servers.map(poll));
      expect(refused.map(comparable)).toEqual([
        { status: 503, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2012' },
        { status: 503, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2012' },
      ]);
      for (const s of servers) {
        s.faults.fail(true);
        await s.server.refreshCache();
      }
      const failed = await Promise.all(servers.map(poll));
      expect(failed.map(comparable)).toEqual([0, 1].map(() => ({ status: 500, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2007' })));
      for (const s of servers) {
        s.faults.fail(false);
        await s.server.refreshCache();
      }
      const kept = await Promise.all(servers.map(poll));
      expect(kept.map((a) => a.body)).toEqual([0, 1].map(() => ({ command_name: 'STOP', command_param: { task_id: 't-503' } })));
      expect(servers[0]?.server.fastPathAnswered()).toBeGreaterThanOrEqual(3); // the 503 and the polls; the 500 fell back
    } finally {
      for (const s of servers) {
        await s.server.close();
        await s.inner.close();
      }
    }
  });
});
