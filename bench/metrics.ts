/**
 * `npm run bench:metrics`: what counting one request costs, prom-client's own bound children (a Counter by
 * operation and status, a Histogram by operation) against server/requestCounts.ts (plain numbers, handed to
 * prom-client at scrape time). Medians of --rounds of --requests calls each, in ns per request.
 */
import { parseArgs } from 'node:util';
import { Counter, Histogram, Registry } from 'prom-client';
import { createRequestMetrics } from '../server/requestCounts.js';
import { median } from './lib.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000000' }, rounds: { type: 'string', default: '5' } } });
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** prom-client as a careful user writes it: children bound once per label set. */
function promClient(): (operation: string, status: number, seconds: number) => void {
  const registry = new Registry();
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['operation', 'status'], registers: [registry] });
  const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['operation'], buckets: BUCKETS, registers: [registry] });
  const children = new Map<string, { h: Histogram.Internal<'operation'>; byStatus: Map<number, Counter.Internal> }>();
  return (operation, status, seconds) => {
    let op = children.get(operation);
    if (!op) children.set(operation, (op = { h: histogram.labels(operation), byStatus: new Map() }));
    let c = op.byStatus.get(status);
    if (!c) op.byStatus.set(status, (c = counter.labels(operation, String(status))));
    c.inc();
    op.h.observe(seconds);
  };
}

function plain(): (operation: string, status: number, seconds: number) => void {
  const metrics = createRequestMetrics(new Registry(), { counter: { name: 'c_total', help: 'c' }, histogram: { name: 'h', help: 'h', buckets: BUCKETS } });
  return (operation, status, seconds) => metrics.request(operation, status, seconds);
}

for (const [name, make] of [['prom-client children', promClient], ['plain numbers (requestCounts)', plain]] as const) {
  const ns: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const request = make();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < requests; i++) request(i & 1 ? 'ShowCommand' : 'UpdateCommandResult', 200, 0.0004 + (i & 7) * 0.001);
    ns.push(Number(process.hrtime.bigint() - t0) / requests);
  }
  console.log(`${name.padEnd(32)} ${median(ns).toFixed(1)} ns per request (median of ${rounds} rounds of ${requests})`);
}
