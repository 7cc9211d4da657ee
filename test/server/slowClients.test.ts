/**
 * Slow and greedy clients (server/httpServer.ts): a connection that never sends a byte and a body that never
 * arrives are closed within the configured timeouts, connections above MAX_CONNECTIONS are refused, and
 * the requests Node answers itself (Expect, CONNECT) get the spec's JSON.
 */
import { createConnection, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';

const limits = { headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 500, maxConnections: 3 };

/** Opens a raw connection; resolves once connected. */
function connect(baseUrl: string): Promise<Socket> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = createConnection(Number(port), '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Everything the server sends until it closes the connection, and after how long. */
function untilClosed(socket: Socket, timeoutMs = 10_000): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve({ text, ms: performance.now() - started }));
    setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs).unref();
  });
}

const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error_code: string; error_msg: string };

describe('slow and greedy clients', () => {
  let server: InProcessServer | undefined;
  afterEach(async () => server?.close());

  it('closes a connection that never sends a byte within the headers timeout, not minutes', async () => {
    server = await startInProcess({ limits });
    const closed = await untilClosed(await connect(server.baseUrl));
    expect(closed.ms).toBeGreaterThanOrEqual(limits.headersTimeoutMs - 50);
    expect(closed.ms).toBeLessThan(limits.headersTimeoutMs + 2000);
  });

  it('answers a body that never arrives in full with a JSON 408 within the request timeout, and closes', async () => {
    server = await startInProcess({ limits });
    await server.addSource(EXAMPLE_SOURCE);
    const { secret } = await server.token(); // a valid token: the server waits for the body (a bad one is refused at once)
    const socket = await connect(server.baseUrl);
    const closed = untilClosed(socket);
    socket.write(`POST ${resultPath(EXAMPLE_SOURCE)} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${secret}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"command_`);
    const { text, ms } = await closed;
    expect(ms).toBeLessThan(limits.requestTimeoutMs + 2000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    expect(bodyOf(text)).toEqual({ error_code: 'SMS.2014', error_msg: `The request was not received in full within ${limits.requestTimeoutMs} ms; send it again.` });
  });

  it('refuses connections above MAX_CONNECTIONS, and serves again once they are gone', async () => {
    server = await startInProcess({ limits: { ...limits, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 } });
    const idle = await Promise.all([1, 2, 3].map(() => connect(server!.baseUrl)));
    const refused = await untilClosed(await connect(server.baseUrl), 5000);
    expect(refused.text).toBe(''); // closed at once, without reading a request
    for (const s of idle) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(server.baseUrl, 'GET', '/healthz')).status).toBe(200);
  });

  it('answers an unmet Expect with a JSON 417 and X-Request-Id, and CONNECT with a JSON 405 and Allow', async () => {
    server = await startInProcess({ limits });
    const expectSocket = await connect(server.baseUrl);
    const expected = untilClosed(expectSocket);
    expectSocket.write(`GET ${commandPath(EXAMPLE_SOURCE)} HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n`);
    const e = await expected;
    expect(e.text).toMatch(/^HTTP\/1\.1 417 /);
    expect(e.text).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/i);
    expect(bodyOf(e.text).error_code).toBe('SMS.2013');

    const connectSocket = await connect(server.baseUrl);
    const connected = untilClosed(connectSocket);
    connectSocket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    const c = await connected;
    expect(c.text).toMatch(/^HTTP\/1\.1 405 /);
    expect(c.text).toContain('\r\nAllow: GET, POST\r\n');
    expect(bodyOf(c.text)).toEqual({ error_code: 'SMS.2009', error_msg: 'CONNECT method not allowed; allowed: GET, POST.' });
  });
});
