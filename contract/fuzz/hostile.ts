/**
 * The hostile probe's findings as fuzzing properties (issue 34), shared by the short run in `npm test` and
 * `npm run fuzz`: tampered page cursors (200 or 400, never 5xx), lone surrogates anywhere in a body (400),
 * result_detail texts JSON.parse cannot keep (read back through the admin API exactly as sent), and raw
 * HTTP framing variants (no Host, transfer codings, absolute-form targets, HTTP/1.0) answered as the
 * contract says, in its JSON, with a request id.
 */
import fc from 'fast-check';
import { call, rawExchange } from '../../harness/http.js';
import { validCommandBody } from './arbitraries.js';
import { check as contractCheck, counter, type FuzzStats } from './properties.js';

/** A deployment as these properties need it: both tokens, and a registered source server. */
export interface HostileFuzzTarget {
  baseUrl: string;
  token: string;
  adminToken: string;
  serverId: string;
}

/** The fuzzing's check, and a request id on every answer (node:http's own answers had none). */
function check(operationId: string, r: { status: number; headers: Headers; text: string }, allowed: number[], what: string): void {
  contractCheck(operationId, r, allowed, what);
  if (!/^[0-9a-f-]{36}$/.test(r.headers.get('x-request-id') ?? '')) throw new Error(`${operationId} ${r.status}: no X-Request-Id for ${what}`);
}

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** Cursors as a client could tamper with them: a tag and any text or bytes, base64url-encoded, or any base64url-looking string. */
const tamperedCursor: fc.Arbitrary<string> = fc.oneof(
  // keys built from what a database or a decoder chokes on: U+0000 (PostgreSQL's text refuses it), controls, non-ASCII
  fc
    .tuple(fc.constantFrom('s:', 'c:', 'r:'), fc.array(fc.constantFrom('\u0000', '\u001f', '\u007f', 'a', 'Z', '9', '-', '_', '/', ' ', 'é', '\ud83d\ude00'), { minLength: 1, maxLength: 40 }))
    .map(([tag, key]) => Buffer.from(`${tag}${key.join('')}`, 'utf8').toString('base64url')),
  fc.tuple(fc.constantFrom('s:', 'c:', 'r:', 'x:', ''), fc.string({ unit: 'binary', maxLength: 40 })).map(([tag, key]) => Buffer.from(`${tag}${key}`, 'utf8').toString('base64url')),
  fc.tuple(fc.constantFrom('s:', 'c:', 'r:'), fc.uint8Array({ maxLength: 40 })).map(([tag, key]) => base64url(Buffer.concat([Buffer.from(tag), key]))),
  fc.tuple(fc.constantFrom('c:', 'r:'), fc.oneof(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String), fc.constantFrom('0', '01', '1e3', '1.5', ' 1', '9007199254740993'))).map(([tag, key]) => Buffer.from(`${tag}${key}`).toString('base64url')),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/),
);

/** A lone surrogate escape (`\uD800`-`\uDFFF`, alone), as JSON text. */
const loneSurrogate: fc.Arbitrary<string> = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => `\\u${c.toString(16).padStart(4, '0')}`);

/** Inserts `escape` into the `which`-th string literal of the JSON text (a key or a value), at offset `at` of it. */
function insertIntoString(text: string, which: number, at: number, escape: string): string {
  const literals = [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)];
  const literal = literals[which % literals.length] as RegExpMatchArray;
  // an offset inside the literal that does not split an escape sequence
  const inside = literal[0].slice(1, -1);
  const cuts = [0, ...[...inside.matchAll(/\\u[0-9a-fA-F]{4}|\\.|[^\\]/g)].map((m) => (m.index as number) + m[0].length)];
  const cut = (literal.index as number) + 1 + (cuts[at % cuts.length] as number);
  return `${text.slice(0, cut)}${escape}${text.slice(cut)}`;
}

/** Numbers JSON.parse changes (1e999, -0, more digits than a double keeps), and duplicate keys, as result_detail text. */
const exoticDetail: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('n', 'a', 'msg', 'x'),
      fc.oneof(
        fc.constantFrom('1e999', '-1e999', '-0', '-0.0', '12345678901234567890123', '0.1000000000000000055511151231257827', '1E-400', '1.10', '"\\u00e9"', 'null', '[1e999,-0]'),
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
      ),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((members) => `{${members.map(([k, v]) => `"${k}":${v}`).join(',')}}`);

/** A raw request: the framing to vary, and what it must get. */
interface Framing {
  target: 'origin' | 'absolute';
  host: boolean;
  version: '1.1' | '1.0';
  transferEncoding: string | undefined;
}

/** The answer a framing must get (status, and error code for a refusal). */
function expected(f: Framing): { status: number; code?: string } {
  if (f.version === '1.1' && !f.host && f.target === 'origin') return { status: 400, code: 'SMS.2001' };
  if (f.transferEncoding !== undefined && !/^chunked$/i.test(f.transferEncoding)) return { status: 400, code: 'SMS.2005' };
  return { status: 200 };
}

const framing: fc.Arbitrary<Framing> = fc
  .record({
    target: fc.constantFrom<Framing['target']>('origin', 'absolute'),
    host: fc.boolean(),
    version: fc.constantFrom<Framing['version']>('1.1', '1.0'),
    transferEncoding: fc.option(fc.constantFrom('chunked', 'Chunked', 'CHUNKED', 'gzip, chunked', 'deflate, chunked', 'x-custom, chunked', 'gzip,chunked'), { nil: undefined }),
  })
  // chunked is HTTP/1.1's; an HTTP/1.0 request frames its body with Content-Length
  .map((f) => (f.version === '1.0' ? { ...f, transferEncoding: undefined } : f));

/** The properties, each counting statuses into `stats`. */
export function hostileProperties(t: HostileFuzzTarget, stats: FuzzStats, onRun?: () => void) {
  const count = counter(stats, onRun);
  const source = `/admin/v1/sources/${encodeURIComponent(t.serverId)}`;
  const lists = { ListSources: '/admin/v1/sources', ListCommands: `${source}/commands`, ListResults: `${source}/results` } as const;
  const writes = [
    { id: 'UpdateCommandResult', path: `/v3/sources/${encodeURIComponent(t.serverId)}/command_result`, token: t.token, body: validCommandBody.map((b) => JSON.stringify(b)) },
    { id: 'CreateSource', path: '/admin/v1/sources', token: t.adminToken, body: fc.stringMatching(/^[a-z0-9]{1,20}$/).map((id) => JSON.stringify({ server_id: `s-${id}`, name: `name ${id}` })) },
    { id: 'CreateToken', path: '/admin/v1/tokens', token: t.adminToken, body: fc.constant(JSON.stringify({ name: 'fuzzed token' })) },
    { id: 'CreateCommand', path: `${source}/commands`, token: t.adminToken, body: fc.constant(JSON.stringify({ command_name: 'START', command_param: { task_id: 'task-1' } })) },
  ];
  return {
    tamperedCursor: fc.asyncProperty(fc.constantFrom(...(Object.keys(lists) as Array<keyof typeof lists>)), tamperedCursor, async (list, cursor) => {
      const r = await call(t.baseUrl, 'GET', `${lists[list]}?cursor=${encodeURIComponent(cursor)}`, { token: t.adminToken });
      count(`tampered cursor ${list}`, r.status);
      check(list, r, [200, 400], `cursor ${JSON.stringify(cursor)} (${JSON.stringify(Buffer.from(cursor, 'base64url').toString('latin1'))})`);
    }),
    loneSurrogate: fc.asyncProperty(
      fc.constantFrom(...writes).chain((w) => fc.tuple(fc.constant(w), w.body)),
      fc.nat(),
      fc.nat(),
      loneSurrogate,
      async ([write, body], which, at, escape) => {
        const sent = insertIntoString(body, which, at, escape);
        const r = await call(t.baseUrl, 'POST', write.path, { token: write.token, body: sent, headers: { 'Content-Type': 'application/json' } });
        count(`lone surrogate ${write.id}`, r.status);
        check(write.id, r, [400], `a lone surrogate in ${sent.slice(0, 200)}`);
      },
    ),
    exactReadBack: fc.asyncProperty(exoticDetail, fc.constantFrom('START', 'SYNC'), async (detail, commandName) => {
      const sent = `{"command_name":"${commandName}","result":"success","result_detail":${detail}}`;
      const r = await call(t.baseUrl, 'POST', `/v3/sources/${encodeURIComponent(t.serverId)}/command_result`, { token: t.token, body: sent, headers: { 'Content-Type': 'application/json' } });
      count('exotic report', r.status);
      check('UpdateCommandResult', r, [200], `the report ${sent}`);
      const listed = await call(t.baseUrl, 'GET', `${lists.ListResults}?limit=1`, { token: t.adminToken });
      check('ListResults', listed, [200], 'the newest result');
      const requestId = r.headers.get('x-request-id') as string;
      if (!listed.text.includes(`"result_detail":${detail},`) || !listed.text.includes(`"request_id":"${requestId}"`)) {
        throw new Error(`ListResults: sent result_detail ${detail} (request ${requestId}); read back ${listed.text.slice(0, 400)}`);
      }
    }),
    rawFraming: fc.asyncProperty(framing, fc.boolean(), async (f, poll) => {
      const { host } = new URL(t.baseUrl);
      const path = `/v3/sources/${encodeURIComponent(t.serverId)}/${poll ? 'command' : 'command_result'}`;
      const body = poll ? '' : JSON.stringify({ command_name: 'SYNC', result: 'success', result_detail: { msg: 'framing' } });
      const framed = poll && f.transferEncoding === undefined ? '' : f.transferEncoding !== undefined ? `Transfer-Encoding: ${f.transferEncoding}\r\n` : `Content-Length: ${Buffer.byteLength(body)}\r\n`;
      const payload = f.transferEncoding !== undefined ? `${body.length > 0 ? `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n` : ''}0\r\n\r\n` : body;
      const request =
        `${poll ? 'GET' : 'POST'} ${f.target === 'absolute' ? `http://${host}${path}` : path} HTTP/${f.version}\r\n` +
        `${f.host ? `Host: ${host}\r\n` : ''}X-Auth-Token: ${t.token}\r\n${poll ? '' : 'Content-Type: application/json\r\n'}${framed}Connection: close\r\n\r\n${payload}`;
      const r = await rawExchange(t.baseUrl, request);
      const operationId = poll ? 'ShowCommand' : 'UpdateCommandResult';
      const want = expected(f);
      // (a poll's chunked body is empty: it is a poll like any other)
      const allowed = [want.status];
      count(`raw framing ${operationId}`, r.status);
      const what = `${JSON.stringify(f)}: ${JSON.stringify(request.slice(0, 300))}`;
      check(operationId, { status: r.status, headers: new Headers(r.headers), text: r.body }, allowed, what);
      if (want.code !== undefined && (JSON.parse(r.body) as { error_code: string }).error_code !== want.code) throw new Error(`${operationId} ${r.status}: expected ${want.code} for ${what}; body ${r.body}`);
    }),
  };
}
