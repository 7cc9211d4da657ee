/**
 * `npm run bench:profile`: where a stack's CPU goes. Starts the full stack (or a reference) with V8's CPU
 * profiler, drives one operation at a fixed rate with autocannon, stops it, and prints the self time per
 * request by function and by package (the profile stays in bench/results/ for Chrome DevTools). --signed
 * signs the full stack's requests with an access key instead of sending the token.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { load, startFullStack, startReference, type Stack } from './lib.js';

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'full' },
    op: { type: 'string', default: 'GET' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    top: { type: 'string', default: '25' },
    // the full stack's requests signed with an access key (SDK-HMAC-SHA256) instead of carrying the token
    signed: { type: 'boolean', default: false },
  },
});
if (!['full', 'naive', 'bare', 'fastify'].includes(values.stack as string) || !['GET', 'POST'].includes(values.op as string)) {
  console.error(`bench:profile: --stack is full, naive, bare or fastify (got ${values.stack}); --op is GET or POST (got ${values.op})`);
  process.exit(2);
}
const op = values.op as 'GET' | 'POST';
const outDir = join(import.meta.dirname, 'results', 'profile');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a script belongs: a node_modules package, node's own code, or ours. */
function owner(url: string): string {
  if (url === '') return '(native, GC, idle)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1] as string;
  if (url.startsWith('node:')) return 'node (core)';
  return url.replace(/^file:\/\/.*?\/(server|bench|generated)\//, '$1/');
}

async function start(name: string): Promise<Stack> {
  const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${outDir}`];
  if (name === 'bare' || name === 'naive' || name === 'fastify') return startReference(name, nodeArgs);
  return startFullStack('full', {}, undefined, nodeArgs);
}

async function main(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const stack = await start(values.stack as string);
  const signed = values.signed === true;
  await load(stack, op, { connections: 10, seconds: 1, signed }); // warm-up
  console.log(`profiling ${stack.name} ${op}${signed ? ' signed' : ''} at ${values.rate} req/s for ${values.seconds} s ...`);
  const r = await load(stack, op, { connections: 50, seconds: Number(values.seconds), rate: Number(values.rate), signed });
  await stack.close();
  const file = readdirSync(outDir).sort().find((f) => f.endsWith('.cpuprofile')); // thread 0, the main thread, sorts first
  if (!file) throw new Error(`no .cpuprofile in ${outDir}: did the server exit cleanly?`);
  const profile = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    if (functionName === '(idle)') continue;
    const key = `${functionName || '(anonymous)'}  ${owner(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const o = url === '' ? functionName : owner(url);
    byOwner.set(o, (byOwner.get(o) ?? 0) + us);
  }
  const perRequest = (us: number) => (us / r.total).toFixed(1).padStart(7);
  const busy = [...byOwner.values()].reduce((a, b) => a + b, 0);
  console.log(`${r.total} requests, ${Math.round(r.rps)} req/s, p99 ${r.p99} ms, ${r.cpuUsPerRequest.toFixed(0)} µs CPU/req (process), ${perRequest(busy).trim()} µs/req on the main thread in the profile\n`);
  console.log('self time per request, by package:');
  for (const [k, us] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${perRequest(us)} µs  ${k}`);
  console.log(`\nself time per request, top ${values.top} functions:`);
  for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${perRequest(us)} µs  ${k}`);
  console.log(`\nprofile: ${join(outDir, file)} (open in Chrome DevTools > Performance)`);
}

main().catch((err: unknown) => {
  console.error(`bench:profile: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
