/** Shared helpers of the benchmark scripts: launch stacks, drive autocannon, read a process's CPU and RSS. */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeToken } from '../harness/tokens.js';
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
  close(): Promise<void>;
}

/** Starts a reference server script from bench/servers. */
export async function startReference(name: 'bare' | 'naive', nodeArgs: string[] = []): Promise<Stack> {
  const child = await startNode([...nodeArgs, '--import', 'tsx', `bench/servers/${name}.ts`], { ready: /"url":"([^"]+)"/, what: name, baseUrl: (m) => m[1] as string });
  return { name, child, token: 'reference', close: async () => void (await child.stop()) };
}

let built = false;
/** Builds dist/ when server/ changed since (as `npm start` does before it runs). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  built = true;
}

/** Starts the full server as `npm start` runs it (compiled, node dist/server/main.js) on a fresh database with a source and a token. */
export async function startFullStack(name: string, env: Record<string, string> = {}, databaseUrl?: string, nodeArgs: string[] = []): Promise<Stack> {
  const url = databaseUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'sms-bench-')), 'sms.sqlite')}`;
  const store = await openStore(url);
  const now = new Date();
  if (!(await store.listSources()).some((s) => s.serverId === EXAMPLE_SOURCE)) await store.addSource(EXAMPLE_SOURCE, 'bench', now);
  const { secret } = await storeToken(store, { name: 'bench', now });
  await store.close();
  ensureBuilt();
  const child = await startCompiledServer({ DATABASE_URL: url, ...env }, nodeArgs);
  return { name, child, token: secret, close: async () => void (await child.stop()) };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Resident memory of a process in MiB, from /proc. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
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
}

/** Runs autocannon (a separate process) against one operation of a stack. */
export async function load(stack: Stack, op: 'GET' | 'POST', options: { connections: number; seconds: number; rate?: number }): Promise<LoadResult> {
  const url = `${stack.child.baseUrl}/v3/sources/${EXAMPLE_SOURCE}/${op === 'GET' ? 'command' : 'command_result'}`;
  const args = [autocannonBin, '-j', '-c', String(options.connections), '-d', String(options.seconds), '-H', `X-Auth-Token=${stack.token}`];
  if (options.rate) args.push('-R', String(options.rate));
  if (op === 'POST') args.push('-m', 'POST', '-H', 'Content-Type=application/json', '-b', REPORT_BODY);
  args.push(url);
  const before = cpuMs(stack.child.pid);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`autocannon exited with ${code}`))));
  });
  const cpu = cpuMs(stack.child.pid) - before;
  const r = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number };
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    cpuUsPerRequest: r.requests.total > 0 ? (cpu * 1000) / r.requests.total : NaN,
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const percentile = (sorted: number[], p: number): number => (sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number));
