/**
 * `npm run bench:instances`: several server instances on one PostgreSQL, as "Running several instances"
 * in the README sets them up. For 1, 2 and 3 instances, drives GET and POST with one autocannon per
 * instance (the connections split between them), several rounds, and prints the total req/s, the worst
 * instance's p99, errors and the servers' CPU per request. Writes bench/results/instances.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { freshPostgres } from '../harness/databases.js';
import { load, median, startFullStack, type LoadResult, type Stack } from './lib.js';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    instances: { type: 'string', default: '1,2,3' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
  },
});
const counts = (values.instances as string).split(',').map(Number);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

interface Total {
  rps: number;
  p99: number;
  errors: number;
  cpuUsPerRequest: number;
}

/** One load run against all instances at once; the connections are split between them. */
async function loadAll(stacks: Stack[], op: 'GET' | 'POST'): Promise<Total> {
  const each = Math.max(1, Math.round(connections / stacks.length));
  const rs: LoadResult[] = await Promise.all(stacks.map((s) => load(s, op, { connections: each, seconds })));
  const requests = rs.reduce((a, r) => a + r.total, 0);
  return {
    rps: rs.reduce((a, r) => a + r.rps, 0),
    p99: Math.max(...rs.map((r) => r.p99)),
    errors: rs.reduce((a, r) => a + r.errors + r.non2xx, 0),
    cpuUsPerRequest: rs.reduce((a, r) => a + r.cpuUsPerRequest * r.total, 0) / requests,
  };
}

async function main(): Promise<void> {
  const base = values['database-url'] as string;
  console.log(`Several instances on one PostgreSQL (${new URL(base).host}): ${rounds} rounds x ${seconds} s, ${connections} connections split between the instances`);
  const summary: Record<string, Total> = {};
  for (const n of counts) {
    const db = await freshPostgres(base);
    const runs: Record<'GET' | 'POST', Total[]> = { GET: [], POST: [] };
    try {
      for (let round = 1; round <= rounds; round++) {
        const stacks: Stack[] = [];
        try {
          for (let i = 0; i < n; i++) stacks.push(await startFullStack(`pg-${i + 1}`, {}, db.url));
          for (const op of ['GET', 'POST'] as const) await loadAll(stacks, op); // warm-up
          for (const op of ['GET', 'POST'] as const) {
            const t = await loadAll(stacks, op);
            runs[op].push(t);
            console.log(`  ${n} instance(s), round ${round}, ${op.padEnd(4)} ${Math.round(t.rps).toString().padStart(6)} req/s  p99 ${t.p99} ms  ${t.cpuUsPerRequest.toFixed(0)} µs CPU/req  ${t.errors} errors`);
          }
        } finally {
          await Promise.all(stacks.map((s) => s.close()));
        }
      }
    } finally {
      await db.drop();
    }
    for (const op of ['GET', 'POST'] as const) {
      const ts = runs[op];
      summary[`${n} ${op}`] = {
        rps: Math.round(median(ts.map((t) => t.rps))),
        p99: median(ts.map((t) => t.p99)),
        errors: ts.reduce((a, t) => a + t.errors, 0),
        cpuUsPerRequest: Math.round(median(ts.map((t) => t.cpuUsPerRequest))),
      };
    }
  }
  console.log('\nMedians over the rounds (p99: the slowest instance; CPU: the server processes, not PostgreSQL):');
  console.log(`  ${'instances'.padEnd(10)} ${'op'.padEnd(5)} ${'req/s'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU µs/req'.padStart(11)} ${'errors'.padStart(7)}`);
  for (const [k, v] of Object.entries(summary)) {
    const [n, op] = k.split(' ') as [string, string];
    console.log(`  ${n.padEnd(10)} ${op.padEnd(5)} ${String(v.rps).padStart(7)} ${String(v.p99).padStart(7)} ${String(v.cpuUsPerRequest).padStart(11)} ${String(v.errors).padStart(7)}`);
  }
  mkdirSync(new URL('./results', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/instances.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), config: { rounds, seconds, connections }, summary }, null, 2)}\n`);
  console.log('\nwrote bench/results/instances.json');
}

main().catch((err: unknown) => {
  console.error(`bench:instances: ${(err as Error).stack ?? String(err)}`);
  console.error('It needs a reachable PostgreSQL: pass --database-url postgres://USER@HOST:PORT/DB or set TEST_DATABASE_URL.');
  process.exit(1);
});
