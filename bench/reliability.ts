/**
 * `npm run reliability`: figures, not a pass/fail test of CI.
 *  1. Soak: 60 s (--soak-seconds) at about 80% of the measured maximum (GET and POST together); errors
 *     counted; memory judged by the JS heap after a forced GC sampled every 2 s (harness/memory.ts: a trend of
 *     0.5 MiB/min or more fails), RSS reported beside it. --leak-kib-per-min N adds a deliberate leak, to see
 *     the verdict fail.
 *  2. PostgreSQL restarted under load (a private instance in a temp dir, so the machine's shared server is
 *     untouched): while it is down requests fail with a 500 in the spec's shape; when it is back the server
 *     recovers by itself, without a restart.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { call, commandPath, resultPath } from '../harness/http.js';
import { freePort } from '../harness/processes.js';
import { contractProblems } from '../harness/spec.js';
import { EXAMPLE_SOURCE } from '../harness/fixtures.js';
import { memoryVerdict, probeHeap, slope } from '../harness/memory.js';
import { REPORT_BODY, load, median, rssMiB, startFullStack, type Stack } from './lib.js';

const { values } = parseArgs({
  options: {
    'soak-seconds': { type: 'string', default: '60' },
    'skip-soak': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    'leak-kib-per-min': { type: 'string' },
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

/** A private PostgreSQL cluster in a temp dir, run as the postgres user. */
function privatePostgres(port: number): { url: string; stop(): void; start(): void; remove(): void } {
  const bin = `/usr/lib/postgresql/${execFileSync('ls', ['/usr/lib/postgresql']).toString().trim().split('\n')[0]}/bin`;
  const dir = mkdtempSync(join(tmpdir(), 'sms-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
  const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
  asPostgres([`${bin}/initdb`, '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
  const start = () => asPostgres([`${bin}/pg_ctl`, '-D', join(dir, 'data'), '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = () => asPostgres([`${bin}/pg_ctl`, '-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  start();
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, start, stop, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function postgresRestart(): Promise<void> {
  if (!existsSync('/usr/lib/postgresql') || !existsSync('/usr/sbin/runuser')) {
    console.log('PostgreSQL restart: skipped (needs the postgresql server binaries and runuser)');
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
  cluster.stop();
  console.log(`  ${downAt.toFixed(1)} s: PostgreSQL stopped`);
  await new Promise((r) => setTimeout(r, 5000));
  cluster.start();
  const upAt = (Date.now() - t0) / 1000;
  console.log(`  ${upAt.toFixed(1)} s: PostgreSQL started again`);
  await new Promise((r) => setTimeout(r, 10000));
  running = false;
  await Promise.all(workers);
  const health = await call(stack.child.baseUrl, 'GET', '/readyz');
  await stack.close();
  cluster.stop();
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

async function main(): Promise<void> {
  if (!values['skip-soak']) await soak(Number(values['soak-seconds']));
  if (!values['skip-postgres']) await postgresRestart();
}

main().catch((err: unknown) => {
  console.error(`reliability: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
