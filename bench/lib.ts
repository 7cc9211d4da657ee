/** Shared helpers of the benchmark scripts: launch stacks, drive autocannon, read a process's CPU and RSS. */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccessKey } from '../client/src/signing.js';
import { signedHeaders as signedRequestHeaders } from '../harness/http.js';
import { storeAccessKey, storeToken } from '../harness/tokens.js';
import { sealerFor } from '../server/sealing.js';
import { openStore } from '../server/store/index.js';
import { projectRoot, startCompiledServer, startNode, type Child } from '../harness/processes.js';
import { EXAMPLE_SOURCE } from '../harness/fixtures.js';

export const REPORT_BODY = JSON.stringify({ command_name: 'UPLOAD_LOG', result: 'success', result_detail: { msg: 'xxx' } });
const autocannonBin = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface Stack {
  name: string;
  child: Child;
  token: string;
  /** An access key of the same grants as the token (the full stack on SQLite), for the signed loads. */
  accessKey?: AccessKey;
  close(): Promise<void>;
}

let built = false;
/** Builds dist/ when server/ changed since (as `npm start` does before it runs), and compiles the reference servers. */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'bench/servers/tsconfig.json'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  built = true;
}

/**
 * Where a benchmarked server writes its stdout and stderr (its logs): a file, as an operator's server does,
 * never a pipe this process drains, which would take CPU from the server and the load generator.
 */
function outputFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'sms-bench-log-')), `${name}.log`);
}

/** Stops a benchmarked server and deletes its log (a few MB per second of load). */
async function stopAndRemoveLog(child: Child, log: string): Promise<void> {
  await child.stop();
  rmSync(dirname(log), { recursive: true, force: true });
}

/**
 * A database at `databaseUrl` (a fresh SQLite file by default) with the example source server, a token and,
 * on SQLite, an access key (sealed with the key file the server will read beside the database).
 */
async function seed(databaseUrl?: string): Promise<{ url: string; token: string; accessKey?: AccessKey }> {
  const url = databaseUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'sms-bench-')), 'sms.sqlite')}`;
  const store = await openStore(url);
  const now = new Date();
  if (!(await store.getSource(EXAMPLE_SOURCE, now))) await store.addSource(EXAMPLE_SOURCE, 'bench', now);
  const { secret } = await storeToken(store, { name: 'bench', now });
  const accessKey = url.startsWith('sqlite:') ? await storeAccessKey(store, sealerFor(undefined, url), { name: 'bench', now }) : undefined;
  await store.close();
  return { url, token: secret, ...(accessKey ? { accessKey } : {}) };
}

/**
 * Starts a reference server from bench/servers, compiled like ours (node dist/bench/servers/NAME.js, no
 * tsx in the process). `fastify` gets a seeded database of its own; the others serve static bodies.
 */
export async function startReference(name: 'bare' | 'naive' | 'fastify', nodeArgs: string[] = []): Promise<Stack> {
  ensureBuilt();
  const db = name === 'fastify' ? await seed() : undefined;
  const log = outputFile(name);
  const child = await startNode([...nodeArgs, `dist/bench/servers/${name}.js`], {
    ready: /"url":"([^"]+)"/,
    what: name,
    baseUrl: (m) => m[1] as string,
    env: { ...process.env, ...(db ? { DATABASE_URL: db.url } : {}) },
    outputFile: log,
  });
  return { name, child, token: db?.token ?? 'reference', close: () => stopAndRemoveLog(child, log) };
}

/** Starts the full server as `npm start` runs it (compiled, node dist/server/main.js) on a fresh database with a source and a token. */
export async function startFullStack(name: string, env: Record<string, string> = {}, databaseUrl?: string, nodeArgs: string[] = []): Promise<Stack> {
  const db = await seed(databaseUrl);
  ensureBuilt();
  const log = outputFile(name);
  const child = await startCompiledServer({ DATABASE_URL: db.url, ...env }, nodeArgs, log);
  return { name, child, token: db.token, ...(db.accessKey ? { accessKey: db.accessKey } : {}), close: () => stopAndRemoveLog(child, log) };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Resident memory of a process in MiB, from /proc. */
export function rssMiB(pid: number): number {
  return statusMiB(pid, 'VmRSS');
}

/** The most resident memory a process has had since `resetPeakRss` (or its start), in MiB, from /proc. */
function peakRssMiB(pid: number): number {
  return statusMiB(pid, 'VmHWM');
}

/** Starts a new peak for `peakRssMiB` (Linux: writing 5 to clear_refs resets VmHWM to the current RSS). */
function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  errors: number;
  non2xx: number;
  cpuUsPerRequest: number;
  /** The server's resident memory when the load ended. */
  rssMiB: number;
  /** The most resident memory the server had during the load (what a memory limit must allow). */
  peakRssMiB: number;
}

/**
 * The headers of a signed request (SDK-HMAC-SHA256, as the client signs) for one operation: signed once, and
 * valid for every request of a load (the body and the Host are the same; X-Sdk-Date holds 15 minutes).
 */
async function signedHeaders(url: string, op: 'GET' | 'POST', key: AccessKey): Promise<Record<string, string>> {
  const init = op === 'POST' ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: REPORT_BODY } : { method: 'GET' };
  return signedRequestHeaders(url, init, key);
}

/** Runs autocannon (a separate process) against one operation of a stack: with its token, or `signed` with its access key. */
export async function load(stack: Stack, op: 'GET' | 'POST', options: { connections: number; seconds: number; rate?: number; signed?: boolean }): Promise<LoadResult> {
  const url = `${stack.child.baseUrl}/v3/sources/${EXAMPLE_SOURCE}/${op === 'GET' ? 'command' : 'command_result'}`;
  if (options.signed && !stack.accessKey) throw new Error(`${stack.name} has no access key to sign with (only the full stack on SQLite has one)`);
  const credential = options.signed ? Object.entries(await signedHeaders(url, op, stack.accessKey as AccessKey)).filter(([name]) => name !== 'content-type').flatMap(([name, value]) => ['-H', `${name}=${value}`]) : ['-H', `X-Auth-Token=${stack.token}`];
  const args = [autocannonBin, '-j', '-c', String(options.connections), '-d', String(options.seconds), ...credential];
  if (options.rate) args.push('-R', String(options.rate));
  if (op === 'POST') args.push('-m', 'POST', '-H', 'Content-Type=application/json', '-b', REPORT_BODY);
  args.push(url);
  const before = cpuMs(stack.child.pid);
  resetPeakRss(stack.child.pid);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`autocannon exited with ${code}`))));
  });
  const cpu = cpuMs(stack.child.pid) - before;
  const rss = rssMiB(stack.child.pid);
  const peakRss = peakRssMiB(stack.child.pid);
  const r = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number };
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    cpuUsPerRequest: r.requests.total > 0 ? (cpu * 1000) / r.requests.total : NaN,
    rssMiB: rss,
    peakRssMiB: peakRss,
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const percentile = (sorted: number[], p: number): number => (sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number));
