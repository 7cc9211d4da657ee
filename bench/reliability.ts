/**
 * `npm run reliability`: figures, not a pass/fail test of CI.
 *  1. Soak: 60 s (--soak-seconds) at about 80% of the measured maximum (GET and POST together); errors
 *     counted; memory judged by the JS heap after a forced GC sampled every 2 s (harness/memory.ts: a trend of
 *     0.5 MiB/min or more fails), RSS reported beside it. --leak-kib-per-min N adds a deliberate leak, to see
 *     the verdict fail.
 *  2. PostgreSQL restarted under load (a private instance in a temp dir, so the machine's shared server is
 *     untouched): while it is down requests fail with a 500 in the spec's shape; when it is back the server
 *     recovers by itself, without a restart.
 *  3. --topology (alone): the deployment docs/operations.md describes, nginx (docs/nginx/sms.conf) in
 *     front of --instances `npm start` instances on one private PostgreSQL, and a fleet of --agents Agents
 *     through it for --seconds while an operator enqueues commands; every 10 s a fault (an instance killed
 *     with SIGKILL, one drained for a deploy, PostgreSQL restarted). The last line is the JSON summary
 *     (harness/faultedFleet.ts), also written to --summary; the exit code is 1 when an invariant broke.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { faultSchedule, runScenario } from '../harness/faultedFleet.js';
import { nginxUnavailable } from '../harness/topology.js';
import { call, commandPath, resultPath } from '../harness/http.js';
import { freePort } from '../harness/processes.js';
import { privatePostgres, privatePostgresUnavailable } from '../harness/postgres.js';
import { contractProblems } from '../harness/spec.js';
import { EXAMPLE_SOURCE } from '../harness/fixtures.js';
import { memoryVerdict, probeHeap, slope } from '../harness/memory.js';
import { REPORT_BODY, ensureBuilt, load, median, rssMiB, startFullStack, type Stack } from './lib.js';

const { values } = parseArgs({
  options: {
    'soak-seconds': { type: 'string', default: '60' },
    'skip-soak': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    'leak-kib-per-min': { type: 'string' },
    topology: { type: 'boolean', default: false },
    agents: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    instances: { type: 'string', default: '3' },
    'interval-ms': { type: 'string', default: '1000' },
    'lease-seconds': { type: 'string', default: '5' },
    'enqueue-per-second': { type: 'string', default: '20' },
    'fault-every': { type: 'string', default: '10' },
    summary: { type: 'string', default: 'bench/results/topology-summary.json' },
  },
});

async function soak(seconds: number): Promise<void> {
  console.log(`Soak: measuring the maximum, then ${seconds} s at 80% of it (GET and POST together)`);
  const leak = values['leak-kib-per-min'];
  const nodeArgs = ['--expose-gc', '--import', './harness/heapProbe.mjs', ...(leak ? ['--import', './harness/leak.mjs'] : [])];
  if (leak) console.log(`  with a deliberate leak of ${leak} KiB/min (harness/leak.mjs)`);
  const stack: Stack = await startFullStack('soak', leak ? { LEAK_KIB_PER_MIN: leak } : {}, undefined, nodeArgs);
  try {
    const maxGet = await load(stack, 'GET', { connections: 50, seconds: 5 });
    const maxPost = await load(stack, 'POST', { connections: 50, seconds: 5 });
    const getRate = Math.round(maxGet.rps * 0.4);
    const postRate = Math.round(maxPost.rps * 0.4);
    console.log(`  maximum: GET ${Math.round(maxGet.rps)} req/s, POST ${Math.round(maxPost.rps)} req/s; soaking at GET ${getRate} + POST ${postRate} req/s`);
    const samples: Array<{ t: number; rss: number; heapMiB: number }> = [];
    const t0 = Date.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const t = (Date.now() - t0) / 1000;
        samples.push({ t, rss: rssMiB(stack.child.pid), heapMiB: await probeHeap(stack.child) });
        if (samples.length % 5 === 0) console.log(`  ${Math.round(t)} s: heap after GC ${samples.at(-1)?.heapMiB.toFixed(2)} MiB, RSS ${samples.at(-1)?.rss.toFixed(1)} MiB`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    const [g, p] = await Promise.all([
      load(stack, 'GET', { connections: 20, seconds, rate: getRate }),
      load(stack, 'POST', { connections: 20, seconds, rate: postRate }),
    ]);
    sampling = false;
    await sampler;
    const verdict = memoryVerdict(samples);
    const rss = samples.map((s) => s.rss);
    const rssTrend = slope(samples.map((s) => s.t / 60), rss);
    console.log(`  GET:  ${g.total} requests, ${Math.round(g.rps)} req/s, p50 ${g.p50} ms, p99 ${g.p99} ms, ${g.errors} errors, ${g.non2xx} non-2xx`);
    console.log(`  POST: ${p.total} requests, ${Math.round(p.rps)} req/s, p50 ${p.p50} ms, p99 ${p.p99} ms, ${p.errors} errors, ${p.non2xx} non-2xx`);
    console.log(`  RSS (reported, not judged: it moves with V8's heap sizing and malloc arenas): first ${rss[0]?.toFixed(1)} MiB, min ${Math.min(...rss).toFixed(1)}, max ${Math.max(...rss).toFixed(1)}, last ${rss.at(-1)?.toFixed(1)} MiB, trend ${rssTrend.toFixed(1)} MiB/min`);
    console.log(`  memory: ${verdict.text}`);
    const errors = g.errors + g.non2xx + p.errors + p.non2xx;
    console.log(`  verdict: ${errors === 0 ? 'zero errors' : 'ERRORS'}; memory ${verdict.flat ? 'flat' : 'GROWING'}`);
    if (errors > 0 || !verdict.flat) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

async function postgresRestart(): Promise<void> {
  const unavailable = privatePostgresUnavailable();
  if (unavailable) {
    console.log(`PostgreSQL restart: skipped (${unavailable})`);
    return;
  }
  console.log('\nPostgreSQL restarted under load: a private cluster, the server on it, 8 workers polling and reporting');
  const pgPort = await freePort();
  const cluster = privatePostgres(pgPort);
  const stack = await startFullStack('pg-restart', {}, cluster.url); // registers EXAMPLE_SOURCE and issues stack.token
  const { token } = stack;
  const events: Array<{ t: number; status: number; ok: boolean; problems: string[] }> = [];
  const t0 = Date.now();
  let running = true;
  let networkErrors = 0;
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; running; n++) {
      try {
        const post = n % 2 === 1;
        const r = post
          ? await call(stack.child.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token, body: REPORT_BODY, headers: { 'Content-Type': 'application/json' } })
          : await call(stack.child.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token });
        events.push({ t: (Date.now() - t0) / 1000, status: r.status, ok: r.status === 200, problems: contractProblems(post ? 'UpdateCommandResult' : 'ShowCommand', r) });
      } catch {
        networkErrors++;
      }
      await new Promise((r) => setTimeout(r, 5 + w));
    }
  };
  const workers = Array.from({ length: 8 }, (_, w) => worker(w));
  await new Promise((r) => setTimeout(r, 5000));
  const downAt = (Date.now() - t0) / 1000;
  await cluster.stop();
  console.log(`  ${downAt.toFixed(1)} s: PostgreSQL stopped`);
  await new Promise((r) => setTimeout(r, 5000));
  await cluster.start();
  const upAt = (Date.now() - t0) / 1000;
  console.log(`  ${upAt.toFixed(1)} s: PostgreSQL started again`);
  await new Promise((r) => setTimeout(r, 10000));
  running = false;
  await Promise.all(workers);
  const health = await call(stack.child.baseUrl, 'GET', '/readyz');
  await stack.close();
  await cluster.stop();
  cluster.remove();

  const during = events.filter((e) => e.t > downAt + 0.5 && e.t < upAt);
  const after = events.filter((e) => e.t > upAt);
  const firstOk = after.find((e) => e.ok);
  const lastFail = [...events].reverse().find((e) => !e.ok);
  const count = (es: typeof events) => es.reduce<Record<string, number>>((acc, e) => ((acc[e.status] = (acc[e.status] ?? 0) + 1), acc), {});
  const shapeProblems = events.flatMap((e) => e.problems);
  console.log(`  while down: ${JSON.stringify(count(during))} (status: count); every answer in the spec's shape: ${shapeProblems.length === 0 ? 'yes' : `NO (${shapeProblems[0]})`}`);
  console.log(`  after restart: ${JSON.stringify(count(after))}; first 200 ${firstOk ? `${(firstOk.t - upAt).toFixed(2)} s after PostgreSQL was back` : 'never'}; last failure at ${lastFail ? `${lastFail.t.toFixed(1)} s` : '-'}`);
  console.log(`  network errors (server unreachable): ${networkErrors}; /readyz at the end: ${health.status} ${health.text}`);
  const recovered = firstOk !== undefined && after.slice(-20).every((e) => e.ok);
  console.log(`  verdict: ${during.every((e) => e.status === 500) && during.length > 0 ? 'clear 500s while down' : 'UNEXPECTED answers while down'}; ${recovered ? 'recovered without a restart' : 'DID NOT RECOVER'}`);
}

/** A positive whole number option, or exit 2 saying which. */
function wholeNumber(name: keyof typeof values): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`reliability: --${name} takes a positive whole number (got ${String(values[name])})`);
    process.exit(2);
  }
  return n;
}

async function topology(): Promise<void> {
  const missing = nginxUnavailable() ?? privatePostgresUnavailable();
  if (missing) {
    console.error(`reliability --topology: ${missing}`);
    process.exit(2);
  }
  const [agents, seconds, instances, every] = [wholeNumber('agents'), wholeNumber('seconds'), wholeNumber('instances'), wholeNumber('fault-every')];
  console.log(`Topology: nginx in front of ${instances} instances on one PostgreSQL, ${agents} Agents for ${seconds} s, a fault every ${every} s`);
  ensureBuilt();
  const cluster = privatePostgres(await freePort());
  try {
    const summary = await runScenario({
      databaseUrl: cluster.url,
      instances,
      dir: mkdtempSync(join(tmpdir(), 'sms-topology-')),
      agents,
      twins: 0.05,
      intervalMs: wholeNumber('interval-ms'),
      seconds,
      enqueuePerSecond: wholeNumber('enqueue-per-second'),
      leaseSeconds: wholeNumber('lease-seconds'),
      faults: faultSchedule(seconds, every, true),
      postgresDownSeconds: 3,
      settleSeconds: 60,
      restartPostgres: async (down) => {
        await cluster.stop();
        await new Promise((r) => setTimeout(r, down * 1000));
        await cluster.start();
      },
      log: (line) => console.log(line),
    });
    const file = values.summary as string;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
    const broken = Object.entries(summary.invariants).filter(([, held]) => !held).map(([name]) => name);
    console.log(broken.length === 0 ? `every invariant held (summary also in ${file})` : `BROKEN: ${broken.join(', ')} (summary also in ${file})`);
    console.log(JSON.stringify(summary));
    if (!summary.ok) process.exitCode = 1;
  } finally {
    await cluster.stop().catch(() => undefined);
    cluster.remove();
  }
}

async function main(): Promise<void> {
  if (values.topology) return topology();
  if (!values['skip-soak']) await soak(Number(values['soak-seconds']));
  if (!values['skip-postgres']) await postgresRestart();
}

main().catch((err: unknown) => {
  console.error(`reliability: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
