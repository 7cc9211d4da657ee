/** server/logging.ts: one line per request, with its route bound once per route, and unmatched paths never as keys. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, logRequest, routeLogger } from '../../server/logging.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';
import { fakeClock } from '../support/clock.js';

/** A logger writing synchronously into an array of parsed lines. */
function capture(level: 'info' | 'warn' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, sink as never), lines };
}

describe('routeLogger', () => {
  it('binds method and route once: the same child for the same route, another for another', () => {
    const { logger } = capture();
    const a = routeLogger(logger, 'GET', '/v3/sources/:server_id/command');
    expect(routeLogger(logger, 'GET', '/v3/sources/:server_id/command')).toBe(a);
    expect(routeLogger(logger, 'POST', '/v3/sources/:server_id/command')).not.toBe(a);
    expect(routeLogger(capture().logger, 'GET', '/v3/sources/:server_id/command')).not.toBe(a);
  });
});

describe('logRequest', () => {
  const line = { requestId: 'r-1', status: 200, source: 'src', errorCode: undefined, tokenId: 't-1' };

  it('writes one line with the bound method and route, the fields, a duration, and counts the request', async () => {
    const { logger, lines } = capture();
    const counted: unknown[] = [];
    logRequest(routeLogger(logger, 'GET', '/x/:id'), { request: (...args) => void counted.push(args) }, 'ShowCommand', line, process.hrtime.bigint() - 2_000_000n);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request', method: 'GET', route: '/x/:id', requestId: 'r-1', status: 200, source: 'src', tokenId: 't-1', service: 'sms-command-api' });
    expect(lines[0]?.durationMs as number).toBeGreaterThanOrEqual(2);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toEqual(['ShowCommand', 200, expect.any(Number)]);
    expect((counted[0] as [string, number, number])[2]).toBeGreaterThanOrEqual(0.002);
  });

  it('logs a 5xx at error level and a 4xx at info', async () => {
    const { logger, lines } = capture();
    logRequest(logger, undefined, 'op', { ...line, status: 500, errorCode: 'SMS.2007' }, process.hrtime.bigint());
    logRequest(logger, undefined, 'op', { ...line, status: 404, errorCode: 'SMS.2006' }, process.hrtime.bigint());
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.status, l.errorCode])).toEqual([
      [50, 500, 'SMS.2007'],
      [30, 404, 'SMS.2006'],
    ]);
  });

  it('writes nothing below the level, and still counts', async () => {
    const { logger, lines } = capture('warn');
    let counted = 0;
    logRequest(logger, { request: () => void counted++ }, 'op', line, process.hrtime.bigint());
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([]);
    expect(counted).toBe(1);
  });
});

describe('request lines of a running server', () => {
  const clock = fakeClock();
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcess({ clock });
    await server.addSource(EXAMPLE_SOURCE);
  });
  afterAll(() => server.close());

  const requestLines = () => server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

  it('gives the fast path (GET), Express (POST) and an unmatched path each their method and route', async () => {
    const t = await server.token();
    const get = await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: t.secret });
    const post = await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: t.secret, json: { command_name: 'START', result: 'success', result_detail: { msg: 'ok' } } });
    const lost = await call(server.baseUrl, 'GET', '/v3/nowhere/"quoted"', { token: t.secret });
    const byId = (r: { headers: Headers }) => requestLines().find((l) => l.requestId === r.headers.get('x-request-id'));
    expect(byId(get)).toMatchObject({ method: 'GET', route: '/v3/sources/:server_id/command', status: 200, source: EXAMPLE_SOURCE, tokenId: t.id });
    expect(byId(post)).toMatchObject({ method: 'POST', route: '/v3/sources/:server_id/command_result', status: 200, source: EXAMPLE_SOURCE, tokenId: t.id });
    expect(byId(lost)).toMatchObject({ method: 'GET', route: '/v3/nowhere/%22quoted%22', status: 404 });
  });
});
