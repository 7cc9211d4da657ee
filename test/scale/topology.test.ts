/**
 * The deployment an operator runs, shortened: nginx with docs/nginx/sms.conf in front of three `npm start`
 * instances on one PostgreSQL, a fleet of Agents and an operator through it, and one instance killed with
 * SIGKILL. Every invariant of docs/operations.md ("Behind nginx") must hold; the long run with every kind
 * of fault is `npm run reliability -- --topology` (figures in docs/capacity.md).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres, type TestDatabase } from '../../harness/databases.js';
import { runScenario, type FleetSummary } from '../../harness/faultedFleet.js';
import { NGINX_CONF, nginxSiteConf, nginxUnavailable } from '../../harness/topology.js';

const shipped = readFileSync(NGINX_CONF, 'utf8');

describe('nginxSiteConf: the shipped nginx file with the topology\'s instances', () => {
  it('lists every instance with the shipped server options, and listens where it is told', () => {
    const site = nginxSiteConf(shipped, [{ port: 9001, ready: true }, { port: 9002, ready: true }], 7000);
    expect(site).toMatch(/^\s*server 127\.0\.0\.1:9001 max_fails=1 fail_timeout=5s;\n\s*server 127\.0\.0\.1:9002 max_fails=1 fail_timeout=5s;\n/m);
    expect(site).not.toContain('127.0.0.1:8081');
    expect(site).toMatch(/^\s*listen 127\.0\.0\.1:7000;$/m);
    // everything else as shipped: the retry policy an operator copies is the one that was run
    expect(site).toContain('proxy_next_upstream error timeout;');
    expect(site).not.toMatch(/^\s*proxy_next_upstream [^;]*non_idempotent/m); // a POST that reached an instance is never sent again
  });

  it('marks an instance that is not ready down, but never every instance', () => {
    expect(nginxSiteConf(shipped, [{ port: 9001, ready: false }, { port: 9002, ready: true }], 7000)).toMatch(/9001 max_fails=1 fail_timeout=5s down;/);
    expect(nginxSiteConf(shipped, [{ port: 9001, ready: false }, { port: 9002, ready: false }], 7000)).not.toContain(' down;');
  });
});

const unavailable = TEST_DATABASE_URL ? nginxUnavailable() : PG_SKIP_REASON;
const suite = unavailable ? describe.skip : describe;

suite(`nginx, three instances, one PostgreSQL, an instance killed under a fleet${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let db: TestDatabase;
  let summary: FleetSummary;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await freshPostgres();
    summary = await runScenario({
      databaseUrl: db.url,
      instances: 3,
      dir: mkdtempSync(join(tmpdir(), 'sms-topology-test-')),
      agents: 120,
      twins: 0.1,
      intervalMs: 200,
      seconds: 8,
      enqueuePerSecond: 25,
      leaseSeconds: 2,
      faults: [{ at: 4, kind: 'kill', instance: 1 }],
      postgresDownSeconds: 0,
      settleSeconds: 30,
      log: (line) => lines.push(line),
    });
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('loses no acknowledged report, completes every command once, leases none twice', () => {
    const context = `${JSON.stringify(summary, null, 1)}\n${lines.join('\n')}`;
    expect(summary.enqueued, context).toBeGreaterThan(50);
    expect(summary.acknowledged, context).toBeGreaterThanOrEqual(summary.enqueued);
    expect(summary.lost, context).toBe(0);
    expect(summary.enqueues_lost, context).toBe(0);
    expect(summary.completed_twice, context).toBe(0);
    expect(summary.double_leased, context).toBe(0);
    expect(summary.completed, context).toBe(summary.enqueued);
    // every acknowledged report is read back, and nothing was stored that was not sent
    expect(summary.stored, context).toBeGreaterThanOrEqual(summary.acknowledged);
  });

  it('shows the Agents errors only while the instance is down, and the fleet served again within the bound', () => {
    const context = `${JSON.stringify(summary, null, 1)}\n${lines.join('\n')}`;
    expect(summary.agent_errors_outside_faults, context).toBe(0);
    expect(summary.recovery_seconds, context).toHaveLength(1);
    const [kill] = summary.recovery_seconds;
    expect(kill?.kind).toBe('kill');
    expect(kill?.recovery_seconds, context).toBeLessThanOrEqual(kill?.bound_seconds as number);
    expect(summary.invariants, context).toEqual(Object.fromEntries(Object.keys(summary.invariants).map((k) => [k, true])));
    expect(summary.ok).toBe(true);
  });
});
