/**
 * server/appPrototypes.ts and server/httpServer.ts: node:http creates each request and response with the app's prototypes already, so
 * Express's per-request Object.setPrototypeOf changes nothing (changing it costs about 45 µs per request:
 * see docs/performance.md). Express's request and response methods still work on them.
 */
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { bornWithAppPrototypes } from '../../server/appPrototypes.js';
import { admitRequests, createHttpServer } from '../../server/httpServer.js';
import { projectRoot } from '../../harness/processes.js';

describe('createHttpServer', () => {
  const app = express();
  app.use(express.json());
  app.post('/echo/:id', (req, res) => {
    res.status(201).set('X-Id', req.params.id).json({ got: req.body as unknown, type: req.is('application/json'), query: req.query });
  });
  const seen: Array<{ req: boolean; res: boolean }> = [];
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createHttpServer(app, loadConfig({}));
    // runs before Express's handler: what node:http created
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      seen.push({ req: Object.getPrototypeOf(req) === app.request, res: Object.getPrototypeOf(res) === app.response });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('creates requests and responses with the app prototypes before Express sees them', async () => {
    seen.length = 0;
    for (let i = 0; i < 3; i++) await fetch(`${baseUrl}/echo/${i}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(seen).toEqual([
      { req: true, res: true },
      { req: true, res: true },
      { req: true, res: true },
    ]);
  });

  it('leaves Express request and response methods, bodies and streams working', async () => {
    const res = await fetch(`${baseUrl}/echo/abc?x=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ a: [1, 2] }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-id')).toBe('abc');
    expect(await res.json()).toEqual({ got: { a: [1, 2] }, type: 'application/json', query: { x: '1' } });
  });

  it('provides both constructors on this Node release', () => {
    const born = bornWithAppPrototypes(app);
    expect(born.IncomingMessage?.prototype).toBe(app.request);
    expect(born.ServerResponse?.prototype).toBe(app.response);
  });

  it("falls back to Node's own constructors should they become classes", () => {
    class Req extends http.IncomingMessage {}
    class Res extends http.ServerResponse {}
    expect(bornWithAppPrototypes(app, { IncomingMessage: Req, ServerResponse: Res as typeof http.ServerResponse })).toEqual({});
  });
});

describe('admitRequests: what every request passes before either request path', () => {
  /** Runs one request through admitRequests; what the listener saw (url, host), or what was answered. */
  function admit(req: { url?: string; headers: Record<string, string>; httpVersionMajor?: number; httpVersionMinor?: number }) {
    const seen: Array<{ url: string | undefined; host: string | undefined }> = [];
    const answered: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
    const res = {
      writeHead(status: number, headers: Record<string, unknown>) {
        answered.status = status;
        answered.headers = headers;
      },
      end(body: string) {
        answered.body = body;
      },
    };
    const message = { httpVersionMajor: 1, httpVersionMinor: 1, ...req } as unknown as IncomingMessage;
    admitRequests((r) => seen.push({ url: r.url, host: r.headers.host }))(message, res as unknown as ServerResponse);
    return { seen, answered };
  }

  it.each([
    ['http://127.0.0.1:8080/v3/sources/s/command', '/v3/sources/s/command', '127.0.0.1:8080'],
    ['HTTP://example.com/admin/v1/sources?limit=1', '/admin/v1/sources?limit=1', 'example.com'],
    ['https://h:1?x=1', '/?x=1', 'h:1'],
    ['http://h:1', '/', 'h:1'],
    ['http:///v3/x', '/v3/x', 'given'],
  ])('takes the absolute-form target %s as its path %s, its authority as Host', (url, path, host) => {
    expect(admit({ url, headers: { host: 'given' } }).seen).toEqual([{ url: path, host }]);
  });

  it('leaves an origin-form target and an asterisk alone', () => {
    expect(admit({ url: '/v3/sources/s/command', headers: { host: 'h' } }).seen).toEqual([{ url: '/v3/sources/s/command', host: 'h' }]);
    expect(admit({ url: '*', headers: { host: 'h' } }).seen).toEqual([{ url: '*', host: 'h' }]);
  });

  it('answers an HTTP/1.1 request without Host with the JSON 400, and passes HTTP/1.0 and HTTP/2-minor ones on', () => {
    const { seen, answered } = admit({ url: '/x', headers: {} });
    expect(seen).toEqual([]);
    expect(answered.status).toBe(400);
    expect(answered.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', Connection: 'close', 'Content-Length': Buffer.byteLength(answered.body ?? '') });
    expect(String(answered.headers?.['X-Request-Id'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(answered.body ?? '')).toMatchObject({ error_code: 'SMS.2001', error_msg: expect.stringContaining('no Host header') });
    expect(admit({ url: '/x', headers: {}, httpVersionMinor: 0 }).seen).toHaveLength(1);
    expect(admit({ url: '/x', headers: {}, httpVersionMajor: 2, httpVersionMinor: 1 }).seen).toHaveLength(1);
  });

  it.each(['chunked', 'Chunked', ' chunked ', '\tCHUNKED'])('passes Transfer-Encoding: %j on', (coding) => {
    expect(admit({ url: '/x', headers: { host: 'h', 'transfer-encoding': coding.replace('\\t', '\t') } }).seen).toHaveLength(1);
  });

  it.each(['gzip, chunked', 'deflate,chunked', 'chunked, chunked', 'x'])('refuses Transfer-Encoding: %s with the JSON 400 SMS.2005', (coding) => {
    const { seen, answered } = admit({ url: '/x', headers: { host: 'h', 'transfer-encoding': coding } });
    expect(seen).toEqual([]);
    expect(answered.status).toBe(400);
    expect(JSON.parse(answered.body ?? '')).toMatchObject({ error_code: 'SMS.2005', error_msg: expect.stringContaining(`Transfer-Encoding: ${coding} is not supported`) });
  });
});

describe('requests node:http refuses before Express sees them', () => {
  /** Sends raw bytes on a socket and reads everything until the server closes it. */
  async function raw(bytes: string): Promise<string> {
    const { createConnection } = await import('node:net');
    const server = createHttpServer(express(), loadConfig({}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await new Promise<string>((resolve, reject) => {
        const socket = createConnection((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write(bytes));
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
        socket.setTimeout(5000, () => reject(new Error(`no answer; got so far: ${JSON.stringify(text)}`)));
      });
    } finally {
      server.close();
    }
  }

  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['a header line without a colon', 'GET /v3/sources/s/command HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n'],
    ['a bad Content-Length', 'POST /v3/sources/s/command_result HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
  ])('answers %s with the spec JSON 400 and X-Request-Id, then closes', async (_what, bytes) => {
    const answer = await raw(bytes);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    expect(head).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    expect(head).toContain('\r\nConnection: close');
    expect(JSON.parse(body)).toEqual({ error_code: 'SMS.2001', error_msg: 'The request is not valid HTTP/1.1.' });
  });

  it("keeps V8's fast properties on the objects it creates, as Node's own (dictionary mode made every poll 15% dearer)", () => {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', 'test/support/fastProperties.ts'], { cwd: projectRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ request: true, response: true, nodeResponse: true });
  });
});
