/** GET /metrics (server/prometheus.ts): each metric moves with what the server does, in Prometheus text. */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { EXAMPLE_REPORT, EXAMPLE_SOURCE } from '../../harness/fixtures.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { faultyStore } from '../../harness/storeDoubles.js';
import { fakeClock } from '../support/clock.js';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let server: InProcessServer | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await server?.close();
    await store?.close();
  });

  it('counts requests by operation and status, with a latency histogram per operation', async () => {
    server = await startInProcess();
    await server.addSource(EXAMPLE_SOURCE);
    const { secret } = await server.token();
    for (let i = 0; i < 3; i++) await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: secret });
    await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE));
    await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: secret, json: EXAMPLE_REPORT });
    const r = await call(server.baseUrl, 'GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(sample(r.text, 'sms_http_requests_total{operation="ShowCommand",status="200"}')).toBe(3);
    expect(sample(r.text, 'sms_http_requests_total{operation="ShowCommand",status="401"}')).toBe(1);
    expect(sample(r.text, 'sms_http_requests_total{operation="UpdateCommandResult",status="200"}')).toBe(1);
    expect(sample(r.text, 'sms_http_request_duration_seconds_count{operation="ShowCommand"}')).toBe(4);
    expect(sample(r.text, 'sms_http_request_duration_seconds_bucket{le="+Inf",operation="UpdateCommandResult"}')).toBe(1);
    expect(r.text).not.toContain(EXAMPLE_SOURCE);
    expect(r.text).not.toContain(secret);
  });

  it('counts leases, redeliveries (lease expiries), completions and reports, and reads the queue by state', async () => {
    const clock = fakeClock();
    server = await startInProcess({ clock, leaseSeconds: 60 });
    await server.addSource(EXAMPLE_SOURCE);
    const { secret } = await server.token();
    await server.enqueue(EXAMPLE_SOURCE, 'START');
    await server.enqueue(EXAMPLE_SOURCE, 'SYNC');
    const poll = () => call(server!.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: secret });
    expect((await poll()).json().command_name).toBe('START');
    clock.advance(61_000); // START's lease expires
    expect((await poll()).json().command_name).toBe('START'); // handed out again
    let text = (await call(server.baseUrl, 'GET', '/metrics')).text;
    expect(sample(text, 'sms_commands{state="pending"}')).toBe(1);
    expect(sample(text, 'sms_commands{state="leased"}')).toBe(1);
    expect(sample(text, 'sms_commands{state="expired"}')).toBe(0);
    clock.advance(61_000);
    text = (await call(server.baseUrl, 'GET', '/metrics')).text;
    expect(sample(text, 'sms_commands{state="expired"}')).toBe(1);
    expect((await poll()).json().command_name).toBe('START');
    await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: secret, json: EXAMPLE_REPORT });
    await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: secret, json: { ...EXAMPLE_REPORT, command_name: 'UPLOAD_LOG' } });
    text = (await call(server.baseUrl, 'GET', '/metrics')).text;
    expect(sample(text, 'sms_commands_leased_total')).toBe(3);
    expect(sample(text, 'sms_commands_redelivered_total')).toBe(2);
    expect(sample(text, 'sms_commands_completed_total')).toBe(1);
    expect(sample(text, 'sms_reports_stored_total{unsolicited="false"}')).toBe(1);
    expect(sample(text, 'sms_reports_stored_total{unsolicited="true"}')).toBe(1);
    expect(sample(text, 'sms_commands{state="done"}')).toBe(1);
    expect(sample(text, 'sms_commands{state="pending"}')).toBe(1);
  });

  it('counts read-cache checks by outcome and database errors', async () => {
    store = await openStore('sqlite::memory:');
    const faults = faultyStore(store);
    server = await startInProcess({ store: faults.store });
    await server.refreshCache();
    await server.addSource(EXAMPLE_SOURCE); // a write: the epoch moves, the next check refreshes
    await server.refreshCache();
    faults.fail(true);
    await server.refreshCache();
    const { status } = await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: 'sms_any' });
    expect(status).toBe(500);
    faults.fail(false);
    const text = (await call(server.baseUrl, 'GET', '/metrics')).text;
    expect(sample(text, 'sms_read_cache_checks_total{outcome="refreshed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sms_read_cache_checks_total{outcome="failed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sms_database_errors_total')).toBeGreaterThanOrEqual(2); // the failed check and the token lookup
    expect(sample(text, 'sms_http_requests_total{operation="ShowCommand",status="500"}')).toBe(1);
  });

  it('is absent with METRICS=false', async () => {
    server = await startInProcess({ metrics: false });
    const r = await call(server.baseUrl, 'GET', '/metrics');
    expect(r.status).toBe(404);
    expect(r.json().error_code).toBe('SMS.2008');
  });
});
