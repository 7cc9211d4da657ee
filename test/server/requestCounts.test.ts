/** server/requestCounts.ts: plain-number counts expose exactly what prom-client's own Counter and Histogram would. */
import { Counter, Histogram, Registry, type OpenMetricsContentType } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createRequestMetrics } from '../../server/requestCounts.js';

const COUNTER = { name: 'test_requests_total', help: 'Requests.' };
const HISTOGRAM = { name: 'test_request_duration_seconds', help: 'Durations.', buckets: [0.001, 0.005, 0.01, 0.5] };

/** The same requests counted by prom-client's own metrics (the reference) and by createRequestMetrics. */
function pair(openMetrics = false) {
  const registry = () => {
    const r = new Registry<OpenMetricsContentType>();
    if (openMetrics) r.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    return r;
  };
  const reference = openMetrics ? registry() : new Registry();
  const counter = new Counter({ ...COUNTER, labelNames: ['operation', 'status'], registers: [reference] });
  const histogram = new Histogram({ ...HISTOGRAM, labelNames: ['operation'], registers: [reference] });
  const ours = openMetrics ? registry() : new Registry();
  const metrics = createRequestMetrics(ours, { counter: COUNTER, histogram: HISTOGRAM });
  return {
    reference,
    ours,
    request(operation: string, status: number, seconds: number) {
      counter.inc({ operation, status: String(status) });
      histogram.observe({ operation }, seconds);
      metrics.request(operation, status, seconds);
    },
  };
}

/** A small deterministic generator, so a failure can be replayed. */
function* requests(n: number): Generator<[string, number, number]> {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const operations = ['ShowCommand', 'UpdateCommandResult', 'health'];
  const statuses = [200, 400, 401, 403, 404, 500];
  for (let i = 0; i < n; i++) yield [operations[Math.floor(next() * 3)]!, statuses[Math.floor(next() * 6)]!, next() ** 3 * 0.8];
}

describe('createRequestMetrics', () => {
  it('exposes nothing before the first request, like prom-client with labels', async () => {
    const { reference, ours } = pair();
    expect(await ours.metrics()).toBe(await reference.metrics());
    expect(await ours.metrics()).not.toContain('test_request_duration_seconds_count');
  });

  it('gives the same Prometheus text as prom-client for the same requests', async () => {
    const p = pair();
    for (const [operation, status, seconds] of requests(2_000)) p.request(operation, status, seconds);
    const text = await p.ours.metrics();
    expect(text).toBe(await p.reference.metrics());
    expect(text).toContain('test_request_duration_seconds_bucket{le="+Inf",operation="health"}');
  });

  it('counts a value equal to a bound in that bound, and one above every bound only in +Inf', async () => {
    const p = pair();
    p.request('ShowCommand', 200, 0.005);
    p.request('ShowCommand', 200, 3);
    const text = await p.ours.metrics();
    expect(text).toBe(await p.reference.metrics());
    expect(text).toContain('test_request_duration_seconds_bucket{le="0.001",operation="ShowCommand"} 0');
    expect(text).toContain('test_request_duration_seconds_bucket{le="0.005",operation="ShowCommand"} 1');
    expect(text).toContain('test_request_duration_seconds_bucket{le="0.5",operation="ShowCommand"} 1');
    expect(text).toContain('test_request_duration_seconds_bucket{le="+Inf",operation="ShowCommand"} 2');
    expect(text).toContain('test_request_duration_seconds_sum{operation="ShowCommand"} 3.005');
    expect(text).toContain('test_requests_total{operation="ShowCommand",status="200"} 2');
  });

  it('gives the same JSON and OpenMetrics text as prom-client', async () => {
    const json = pair();
    const open = pair(true);
    for (const [operation, status, seconds] of requests(300)) {
      json.request(operation, status, seconds);
      open.request(operation, status, seconds);
    }
    expect(await json.ours.getMetricsAsJSON()).toEqual(await json.reference.getMetricsAsJSON());
    expect(await open.ours.metrics()).toBe(await open.reference.metrics());
  });

  it('keeps counting between scrapes, and starts again from zero after resetMetrics()', async () => {
    const p = pair();
    p.request('ShowCommand', 200, 0.002);
    await p.ours.metrics();
    p.request('ShowCommand', 200, 0.002);
    expect(await p.ours.metrics()).toContain('test_requests_total{operation="ShowCommand",status="200"} 2');
    p.reference.resetMetrics();
    p.ours.resetMetrics();
    p.request('ShowCommand', 404, 0.02);
    const text = await p.ours.metrics();
    expect(text).toBe(await p.reference.metrics());
    expect(text).not.toContain('status="200"');
  });
});
