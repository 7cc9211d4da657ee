/**
 * server/agent/fastPath.ts against the path it stands in front of: the same generated requests, valid and invalid, go to
 * the server as `npm start` composes it (the fast paths in front of Express) and to the same server
 * without them on stock express-openapi-validator (the published release, unpatched), each on a database
 * of identical content; every pair of answers must agree on the status, the error code, the content type
 * and, for a 200, the body, and both databases must end up holding the same reports. The fast paths must
 * have answered the valid polls and reports themselves.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import * as stockValidator from 'express-openapi-validator-stock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../generated/routes.js';
import { agentAuth, issueToken, MAX_TOKEN_LENGTH } from '../../../server/auth.js';
import { ACTIONS } from '../../../server/permissions.js';
import { openStore } from '../../../server/store/index.js';
import type { Store } from '../../../server/store/types.js';
import { SmsError } from '../../../server/errors.js';
import { EXAMPLE_SOURCE, OTHER_SOURCE, UNREGISTERED_SOURCE } from '../../../harness/fixtures.js';
import { faultyStore } from '../../../harness/storeDoubles.js';
import { startInProcess, type InProcessServer } from '../../../harness/inProcess.js';
import { systemClock } from '../../../server/clock.js';
import { compileRoutes } from '../../../server/compiledRoutes.js';
import { withFastPaths } from '../../../server/agent/fastPath.js';
import { agentHandlers } from '../../../server/agent/handlers.js';
import { jsonBodyReader } from '../../../server/jsonParser.js';
import { createLogger } from '../../../server/logging.js';
import { loadBundledSpec, type BundledSpec } from '../../../server/spec.js';
import { testSealer, storeToken } from '../../../harness/tokens.js';
import { call, commandPath, resultPath } from '../../../harness/http.js';

interface Answer {
  status: number;
  contentType: string | undefined;
  requestId: boolean;
  body: unknown;
}

/** Sends a request exactly as given (path, method, headers, bytes), without fetch's normalisation. */
function send(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer & { id: string | undefined }> {
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
        const id = res.headers['x-request-id'];
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], requestId: typeof id === 'string', id: typeof id === 'string' ? id : undefined, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What must agree: the status, the content type, the request id, and the body (a 200's entirely; an error's code and message). */
const comparable = (a: Answer) => ({
  status: a.status,
  contentType: a.contentType,
  requestId: a.requestId,
  body: a.status === 200 ? a.body : errorOf(a.body),
});

/** An error body's code and message (the rest, such as a 403's encoded reason, follows from them). */
function errorOf(body: unknown): unknown {
  const { error_code: code, error_msg: message } = (body ?? {}) as { error_code?: string; error_msg?: string };
  return code === undefined ? body : `${code} ${message}`;
}

/** An answer's status and error code, for the tests that name the code they expect. */
const coded = (a: Answer) => ({ ...comparable(a), body: a.status === 200 ? a.body : ((a.body as { error_code?: string } | undefined)?.error_code ?? a.body) });

/** Two servers, the fast paths on the patched validator and Express alone on the stock one, on databases of the same content. */
function twins() {
  const stores: Store[] = [];
  const pair = { fast: undefined as unknown as InProcessServer, stock: undefined as unknown as InProcessServer, stores, tokens: {} as Record<string, string> };
  const { tokens } = pair;
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) stores.push(await openStore('sqlite::memory:'));
    pair.fast = await startInProcess({ store: stores[0] as Store });
    pair.stock = await startInProcess({ store: stores[1] as Store, fastPath: false, openApiValidator: stockValidator });
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
    await pair.fast.refreshCache();
    await pair.stock.refreshCache();
  });
  afterAll(async () => {
    await pair.fast?.close();
    await pair.stock?.close();
    for (const store of stores) await store.close();
  });
  return pair;
}

const serverIds = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(EXAMPLE_SOURCE, OTHER_SOURCE, UNREGISTERED_SOURCE) },
  fc.stringMatching(/^[A-Za-z0-9_-]{1,36}$/),
  fc.constantFrom('x'.repeat(37), 'a.b', 'a%20b', '%41', 'f32ab4d6%2Dd150', 'a+b', "a'b", 'a~b', '-', '_', '..'),
);
const tokenHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.constant('all') },
  fc.constantFrom('otherSource', 'reportOnly', 'admin', 'expired', 'revoked', 'unknown', 'missing', 'empty', 'overlong', 'spaced'),
);

/** The X-Auth-Token header for a kind of token (`tokens`: the secrets issued to each kind). */
function tokenHeader(tokens: Record<string, string>, token: string): Record<string, string> {
  if (token === 'unknown') return { 'X-Auth-Token': 'sms_not-a-token-anyone-issued' };
  if (token === 'empty') return { 'X-Auth-Token': '' };
  if (token === 'overlong') return { 'X-Auth-Token': 'a'.repeat(MAX_TOKEN_LENGTH + 1) };
  if (token === 'spaced') return { 'X-Auth-Token': ` ${tokens.all} ` };
  if (token === 'missing') return {};
  return { 'X-Auth-Token': tokens[token] as string };
}

describe('the ShowCommand fast path answers as Express with stock express-openapi-validator does', () => {
  const pair = twins();
  const { tokens } = pair;

  const paths = fc
    .tuple(serverIds, fc.constantFrom('', '', '', '', '/', '?', '?a=1', '?server_id=x', '#f', '/command'), fc.constantFrom('/v3/sources/', '/v3/sources/', '/v3/sources/', '/V3/sources/', '/v3//sources/', '/v3/Sources/'))
    .map(([id, tail, prefix]) => `${prefix}${id}/command${tail}`);
  const requests = fc.record({
    method: fc.oneof({ weight: 8, arbitrary: fc.constant('GET') }, fc.constantFrom('HEAD', 'POST', 'PUT', 'DELETE')),
    path: paths,
    token: tokenHeaders,
    body: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, fc.constantFrom('', '{}', 'x')),
  });

  const headersFor = (token: string, body: string | undefined): Record<string, string> => {
    const headers = tokenHeader(tokens, token);
    // a body is framed (Node's client sends one on a GET unframed otherwise: the next request's garbage)
    if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    return headers;
  };

  it('agrees on every generated request, and answers the valid polls itself', async () => {
    const { fast, stock } = pair;
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

// The server is started inside the test, not in a beforeAll: withFastPaths reads its settings when the server
// is composed, and Stryker only activates a mutant inside a test (the shared twins cannot show it these).
describe('the fast paths take the lease length and the log lines from the settings they are composed with', () => {
  it('leases for LEASE_SECONDS (a leased command is not handed out again), and logs each operation with its method and route', async () => {
    const server = await startInProcess({ leaseSeconds: 120 });
    try {
      await server.addSource(EXAMPLE_SOURCE);
      const { id, secret: token } = await server.token();
      for (const name of ['START', 'SYNC'] as const) await server.enqueue(EXAMPLE_SOURCE, name);
      const before = Date.now();
      const polls = [];
      for (let i = 0; i < 3; i++) polls.push(await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token }));
      const after = Date.now();
      expect(polls.map((r) => r.json().command_name)).toEqual(['START', 'SYNC', 'SKIP']);
      const reported = await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token, json: { command_name: 'START', result: 'success', result_detail: { msg: 'ok' } } });
      expect(reported.status).toBe(200);
      expect(server.fastPathAnswered()).toBe(4);

      const sync = (await server.store.listCommands(EXAMPLE_SOURCE)).find((c) => c.name === 'SYNC');
      expect(sync?.state).toBe('leased');
      expect(sync?.leaseExpiresAt?.getTime()).toBeGreaterThanOrEqual(before + 120_000);
      expect(sync?.leaseExpiresAt?.getTime()).toBeLessThanOrEqual(after + 120_000);

      const lines = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
      const line = (r: { headers: Headers }) => lines.find((l) => l.requestId === r.headers.get('x-request-id'));
      expect(line(polls[0] as { headers: Headers })).toMatchObject({ method: 'GET', route: '/v3/sources/:server_id/command', status: 200, source: EXAMPLE_SOURCE, tokenId: id });
      expect(line(reported)).toMatchObject({ method: 'POST', route: '/v3/sources/:server_id/command_result', status: 200, source: EXAMPLE_SOURCE, tokenId: id });
    } finally {
      await server.close();
    }
  });
});

/** The bundled spec with ShowCommand's 200 body narrowed to one that SKIP does not match (as a spec bug would). */
function specWithoutSkip(): BundledSpec {
  const { text } = loadBundledSpec();
  const document = JSON.parse(text) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> };
  const ok = document.paths['/v3/sources/{server_id}/command']?.get.responses['200']?.content['application/json'];
  if (!ok) throw new Error('the bundled spec has no ShowCommand 200 body');
  ok.schema = { type: 'object', required: ['command_param'] };
  return { text: JSON.stringify(document), document: document as never };
}

describe('the idle answer is validated once and then sent as the same bytes', () => {
  /** The fast paths alone on `spec` (Express's place taken by a 418, so an answer that fell through shows), polled `polls` times when idle. */
  async function poll(spec: BundledSpec, validateResponses: boolean, polls: number) {
    const store = await openStore('sqlite::memory:');
    const now = new Date();
    await store.addSource(EXAMPLE_SOURCE, null, now);
    const { secret } = await storeToken(store, { now });
    const config = { leaseSeconds: 600, validateResponses, bodyLimitBytes: 10240 };
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const deps = {
      routes: compileRoutes(routes, spec),
      handlers: agentHandlers({ store, clock: systemClock, config }),
      auth: agentAuth({ store, clock: systemClock, sealer: testSealer(), bodyLimitBytes: config.bodyLimitBytes }),
      readJson: jsonBodyReader(config.bodyLimitBytes),
      config,
      logger: createLogger('info', sink),
    };
    const listener = withFastPaths(deps, (_req, res) => res.writeHead(418).end());
    const server: Server = await new Promise((resolve) => {
      const s = createServer(listener).listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const answers = [];
      for (let i = 0; i < polls; i++) answers.push(coded(await send(baseUrl, 'GET', `/v3/sources/${EXAMPLE_SOURCE}/command`, { 'X-Auth-Token': secret })));
      return { answers, answered: listener.answered() };
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    }
  }
  const skip = { status: 200, contentType: 'application/json; charset=utf-8', requestId: true, body: { command_name: 'SKIP' } };
  const invalid = { status: 500, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2007' };

  it('answers SKIP on every idle poll itself', async () => {
    expect(await poll(loadBundledSpec(), true, 3)).toEqual({ answers: [skip, skip, skip], answered: 3 });
  });

  it('answers 500 SMS.2007 on every idle poll when the spec does not allow SKIP, and SKIP when response validation is off', async () => {
    expect(await poll(specWithoutSkip(), true, 2)).toEqual({ answers: [invalid, invalid], answered: 2 });
    expect(await poll(specWithoutSkip(), false, 2)).toEqual({ answers: [skip, skip], answered: 2 });
  });
});

describe('the UpdateCommandResult fast path answers and stores as Express with stock express-openapi-validator does', () => {
  const pair = twins();
  const { tokens } = pair;

  const paths = fc
    .tuple(
      serverIds,
      fc.oneof({ weight: 8, arbitrary: fc.constant('') }, fc.constantFrom('/', '?', '?a=1', '#f')),
      fc.oneof({ weight: 8, arbitrary: fc.constant('/v3/sources/') }, fc.constantFrom('/V3/sources/', '/v3//sources/')),
    )
    .map(([id, tail, prefix]) => `${prefix}${id}/command_result${tail}`);
  /** The content types the fast path reads; the others are Express's (some of which it accepts as well). */
  const PLAIN = ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8'];
  const contentTypes = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...PLAIN) },
    fc.constantFrom('application/json; charset="utf-8"', 'application/json;  charset=utf8', 'application/json; charset=latin1', 'text/plain', 'application/merge-patch+json', 'none'),
  );
  const details = fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o)),
    fc.constantFrom('', 'x', '[]', '[1]', '"s"', '{"msg":', 42, null, [], true, 'x'.repeat(11_000)),
  );
  const reports = fc
    .tuple(
      fc.record({
        command_name: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('START', 'STOP', 'SYNC', 'DELETE', 'UPLOAD_LOG', 'RSET_LOG_ACL') }, fc.constantFrom('start', 'SKIP', 'REBOOT', '', 7)),
        result: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('success', 'fail') }, fc.constantFrom('ok', 'SUCCESS', '', null)),
        result_detail: details,
      }),
      fc.oneof({ weight: 8, arbitrary: fc.constant('') }, fc.constantFrom('extra', 'command_name', 'result', 'result_detail')),
    )
    // now and then a member too many, or one missing
    .map(([report, change]) => (change === 'extra' ? { ...report, extra: 1 } : change === '' ? report : Object.fromEntries(Object.entries(report).filter(([k]) => k !== change))));
  /** A body as an Agent might send it: JSON of a report (spaced or not, a number beyond double precision kept as text), or bytes that are not one. */
  const bodies = fc.oneof(
    { weight: 10, arbitrary: fc.tuple(reports, fc.boolean()).map(([report, spaced]) => JSON.stringify(report, null, spaced ? 2 : undefined)) },
    fc.constant('{"command_name":"SYNC","result":"success","result_detail":{"bytes":12345678901234567890123,"tiny":1e-999}}'),
    fc.constant('{"command_name":"START","result":"fail","result":"success","result_detail":{}}'),
    fc.constantFrom('', ' ', 'x', '[]', '{', 'null', '{"command_name":"START"}'),
    fc.constant(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
  );
  const requests = fc.record({
    method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT')),
    path: paths,
    token: tokenHeaders,
    contentType: contentTypes,
    encoding: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, fc.constantFrom('gzip', 'identity')),
    body: bodies,
  });

  it('agrees on every generated report, answers the valid ones itself, and both databases hold the same reports', async () => {
    const { fast, stock, stores } = pair;
    const before = fast.fastPathAnswered();
    const storedIds: string[] = [];
    let plain = 0; // valid reports of the exact path, plain JSON (not gzip: those bytes are not), authorized: the fast path's to answer
    await fc.assert(
      fc.asyncProperty(requests, async ({ method, path, token, contentType, encoding, body }) => {
        const headers: Record<string, string> = { ...tokenHeader(tokens, token), 'Content-Length': String(Buffer.byteLength(body)) };
        if (contentType !== 'none') headers['Content-Type'] = contentType;
        if (encoding !== undefined) headers['Content-Encoding'] = encoding;
        const [a, b] = [await send(fast.baseUrl, method, path, headers, body), await send(stock.baseUrl, method, path, headers, body)];
        expect(comparable(a), `${method} ${path} token=${token} type=${contentType} encoding=${encoding} body=${String(body).slice(0, 200)}`).toEqual(comparable(b));
        const { error_code: code } = a.body as { error_code?: string };
        // stored (200), or authorized and valid but for the source server (404)
        const taken = a.status === 200 || code === 'SMS.2006';
        if (method === 'POST' && encoding !== 'gzip' && PLAIN.includes(contentType) && /^\/v3\/sources\/[A-Za-z0-9_-]{1,36}\/command_result$/.test(path) && taken) plain++;
        if (a.status === 200) storedIds.push(a.id as string);
      }),
      { numRuns: 500, seed: 20261130 },
    );
    expect(plain).toBeGreaterThan(80);
    expect(fast.fastPathAnswered() - before).toBe(plain);
    expect(stock.fastPathAnswered()).toBe(0);
    // what was stored, in order, is the same on both; each of the fast path's is under the request id it answered with
    for (const serverId of [EXAMPLE_SOURCE, OTHER_SOURCE]) {
      const [f = [], s = []] = await Promise.all(stores.map((store) => store.listResults(serverId)));
      const kept = (rows: typeof f) => rows.map((r) => [r.commandName, r.result, r.resultDetailJson, r.commandId, r.unsolicited]);
      expect(kept(f)).toEqual(kept(s));
      for (const row of f) expect(storedIds).toContain(row.requestId);
    }
    const stored = (await Promise.all([EXAMPLE_SOURCE, OTHER_SOURCE].map((id) => (stores[0] as Store).listResults(id)))).flat();
    expect(stored.length).toBe(storedIds.length);
    expect(stored.some((r) => r.resultDetailJson.includes('12345678901234567890123'))).toBe(true); // the text as sent
  });
});

/** The same server twice on stores that fail on demand: with the fast paths, and Express alone on the stock validator; EXAMPLE_SOURCE registered, an Agent token each. */
async function faultyPair() {
  const servers: Array<{ inner: Store; faults: ReturnType<typeof faultyStore>; server: InProcessServer; token: string }> = [];
  for (const options of [{}, { fastPath: false, openApiValidator: stockValidator }]) {
    const inner = await openStore('sqlite::memory:');
    const faults = faultyStore(inner);
    const server = await startInProcess({ ...options, store: faults.store });
    await server.addSource(EXAMPLE_SOURCE);
    servers.push({ inner, faults, server, token: (await server.token()).secret });
  }
  const close = async () => {
    for (const s of servers) {
      await s.server.close();
      await s.inner.close();
    }
  };
  return { servers, close };
}

describe('the ShowCommand fast path agrees with the Express path when the database fails', () => {
  it('500 while the backend fails, 503 while it cannot keep writes, and the command is kept', async () => {
    const { servers, close } = await faultyPair();
    try {
      const poll = (s: (typeof servers)[number]) => send(s.server.baseUrl, 'GET', `/v3/sources/${EXAMPLE_SOURCE}/command`, { 'X-Auth-Token': s.token });
      for (const s of servers) {
        await poll(s); // the token and the idle state are cached
        await s.server.enqueue(EXAMPLE_SOURCE, 'STOP', { taskId: 't-503' });
        s.faults.fail(true, { methods: ['leaseNextCommand'], error: () => new SmsError('storageUnavailable', 'injected: the database file was deleted') });
      }
      const refused = await Promise.all(servers.map(poll));
      expect(comparable(refused[0] as Answer)).toEqual(comparable(refused[1] as Answer)); // the message too
      expect(refused.map(coded)).toEqual([
        { status: 503, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2012' },
        { status: 503, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2012' },
      ]);
      for (const s of servers) {
        s.faults.fail(true);
        await s.server.refreshCache();
      }
      const failed = await Promise.all(servers.map(poll));
      expect(comparable(failed[0] as Answer)).toEqual(comparable(failed[1] as Answer));
      expect(failed.map(coded)).toEqual([0, 1].map(() => ({ status: 500, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2007' })));
      for (const s of servers) {
        s.faults.fail(false);
        await s.server.refreshCache();
      }
      const kept = await Promise.all(servers.map(poll));
      expect(kept.map((a) => a.body)).toEqual([0, 1].map(() => ({ command_name: 'STOP', command_param: { task_id: 't-503' } })));
      expect(servers[0]?.server.fastPathAnswered()).toBeGreaterThanOrEqual(3); // the 503 and the polls; the 500 fell back
    } finally {
      await close();
    }
  });
});

describe('the UpdateCommandResult fast path agrees with the Express path when the database fails', () => {
  it('503 while the database cannot keep writes, 500 while it fails, and a report answered 200 is stored', async () => {
    const { servers, close } = await faultyPair();
    try {
      const body = JSON.stringify({ command_name: 'SYNC', result: 'success', result_detail: { msg: 'ok' } });
      const report = (s: (typeof servers)[number]) =>
        send(s.server.baseUrl, 'POST', `/v3/sources/${EXAMPLE_SOURCE}/command_result`, { 'X-Auth-Token': s.token, 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body);
      for (const s of servers) {
        await report(s); // the token is cached
        s.faults.fail(true, { methods: ['recordResult'], error: () => new SmsError('storageUnavailable', 'injected: the disk is full') });
      }
      const refused = await Promise.all(servers.map(report));
      expect(comparable(refused[0] as Answer)).toEqual(comparable(refused[1] as Answer));
      expect(refused.map(coded)).toEqual([0, 1].map(() => ({ status: 503, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2012' })));
      for (const s of servers) s.faults.fail(true, { methods: ['recordResult'], error: () => new Error('injected: connection lost') });
      const failed = await Promise.all(servers.map(report));
      expect(comparable(failed[0] as Answer)).toEqual(comparable(failed[1] as Answer));
      expect(failed.map(coded)).toEqual([0, 1].map(() => ({ status: 500, contentType: 'application/json; charset=utf-8', requestId: true, body: 'SMS.2007' })));
      for (const s of servers) s.faults.fail(false);
      const stored = await Promise.all(servers.map(report));
      expect(stored.map((a) => a.status)).toEqual([200, 200]);
      // the first and the last report each, nothing of the refused ones
      for (const s of servers) expect((await s.inner.listResults(EXAMPLE_SOURCE)).map((r) => r.resultDetailJson)).toEqual(['{"msg":"ok"}', '{"msg":"ok"}']);
      expect(servers[0]?.server.fastPathAnswered()).toBe(4);
      expect(servers[1]?.server.fastPathAnswered()).toBe(0);
    } finally {
      await close();
    }
  });
});

describe('the fast path on its own: answers validated once when frozen, and a bug closes a connection, not the process', () => {
  /** The fast path alone (Express's place taken by a 418) with handlers answering `answers` in turn, the 200 validator counted, the request metric given. */
  async function alone(answers: Array<{ status: 200; body: unknown }>, request: () => void, later = false) {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const [show, stored] = compileRoutes(routes, loadBundledSpec()) as [ReturnType<typeof compileRoutes<keyof typeof routes>>[number], ReturnType<typeof compileRoutes<keyof typeof routes>>[number]];
    let validated = 0;
    const valid = show.answers[200] as NonNullable<(typeof show.answers)[200]>;
    const counted = Object.assign((body: unknown) => (validated++, valid(body)), { errors: null }) as unknown as typeof valid;
    let next = 0;
    const listener = withFastPaths(
      {
        routes: [{ ...show, answers: { 200: counted } }, stored],
        handlers: { ShowCommand: () => (later ? Promise.resolve(answers[next++ % answers.length]) : answers[next++ % answers.length]) as never, UpdateCommandResult: () => (later ? Promise.resolve({ status: 200 as const, body: {} }) : { status: 200 as const, body: {} }) },
        auth: { admit: () => ({ id: 'tok_1', kind: 'agent', sources: null, actions: [...ACTIONS] }) },
        readJson: jsonBodyReader(10240),
        config: { validateResponses: true, bodyLimitBytes: 10240 },
        logger: createLogger('info', sink),
        metrics: { request },
      },
      (_req, res) => res.writeHead(418).end(),
    );
    const server: Server = await new Promise((resolve) => {
      const s = createServer(listener).listen(0, '127.0.0.1', () => resolve(s));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const poll = () => send(baseUrl, 'GET', `/v3/sources/${EXAMPLE_SOURCE}/command`, { Connection: 'close' }); // a new connection each: a closed one is not reused
    const body = JSON.stringify({ command_name: 'START', result: 'success', result_detail: {} });
    const report = () =>
      send(baseUrl, 'POST', `/v3/sources/${EXAMPLE_SOURCE}/command_result`, { Connection: 'close', 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body);
    return { poll, report, lines, validated: () => validated, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('validates a frozen answer (the idle one) once and sends its bytes again; a fresh answer each time it is sent', async () => {
    const idle = Object.freeze({ status: 200 as const, body: Object.freeze({ command_name: 'SKIP' }) });
    const frozen = await alone([idle], () => undefined);
    try {
      for (let i = 0; i < 3; i++) expect((await frozen.poll()).body).toEqual({ command_name: 'SKIP' });
      expect(frozen.validated()).toBe(1);
    } finally {
      await frozen.close();
    }
    const fresh = await alone([{ status: 200, body: { command_name: 'SKIP' } }], () => undefined);
    try {
      for (let i = 0; i < 3; i++) await fresh.poll();
      expect(fresh.validated()).toBe(3);
    } finally {
      await fresh.close();
    }
  });

  it.each([false, true])('logs a bug that follows an answer to a poll or a report (handler answering later: %s), closes that connection, and serves the next request', async (later) => {
    let failing = true;
    const server = await alone([{ status: 200, body: { command_name: 'SKIP' } }], () => {
      if (failing) throw new Error('injected: the metric broke');
    }, later);
    try {
      await server.poll().catch(() => undefined); // answered before the metric broke, or cut off: either way the process lives on
      await server.report().catch(() => undefined); // the same after a report's body was read
      expect(server.lines.filter((l) => l.includes('fast path failed') && l.includes('injected: the metric broke'))).toHaveLength(2);
      failing = false;
      expect((await server.poll()).body).toEqual({ command_name: 'SKIP' });
      expect((await server.report()).body).toEqual({});
    } finally {
      await server.close();
    }
  });
});
