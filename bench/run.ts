/**
 * `npm run bench`: the full stack as `npm start` runs it (compiled; auth, request and response validation,
 * SQLite read/write, request id, logging, metrics, liveness), without response validation, without metrics
 * and without liveness, against
 * a same-work Fastify server (bench/servers/fastify.ts), a naive Express 5 + express-openapi-validator server and a bare node:http server on the
 * same spec; GET and POST; several rounds alternating the stacks, each round on fresh server processes.
 * Prints medians and ratios (RSS when each load ended and its peak during the load), writes
 * bench/results/latest.json, then runs the fleet simulation. --node-args adds `full-node-args`: the full
 * stack with extra node flags, for an A/B of a V8 setting in one run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runFleet, type FleetResult } from './fleet.js';
import { load, median, startFullStack, startReference, type LoadResult, type Stack } from './lib.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    agents: { type: 'string', default: '5000' },
    'interval-ms': { type: 'string', default: '1000' },
    'fleet-seconds': { type: 'string', default: '60' },
    'no-fleet': { type: 'boolean', default: false },
    'fleet-only': { type: 'boolean', default: false },
    stacks: { type: 'string' },
    'node-args': { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

type Key = `${string} ${'GET' | 'POST'}`;

/** MiB to one decimal, as the table prints them. */
const mebibytes = (mib: number): number => Math.round(mib * 10) / 10;

async function throughput(): Promise<Record<string, unknown>> {
  console.log(`Throughput: ${rounds} rounds x ${seconds} s per stack and operation, ${connections} connections, autocannon in its own process`);
  // Fresh processes (and databases) every round: one process's JIT and heap luck would otherwise stick to
  // its stack for the whole run, and that alone moved a stack by 15%.
  const stackStarters: Record<string, () => Promise<Stack>> = {
    bare: () => startReference('bare'),
    naive: () => startReference('naive'),
    fastify: () => startReference('fastify'),
    full: () => startFullStack('full'),
    'full-no-response-validation': () => startFullStack('full-no-response-validation', { VALIDATE_RESPONSES: 'false' }),
    'full-no-metrics': () => startFullStack('full-no-metrics', { METRICS: 'false' }),
    'full-no-liveness': () => startFullStack('full-no-liveness', { LIVENESS_FLUSH_MS: '0' }),
    // the full stack with node flags after npm start's (which they override): an A/B of a V8 setting in one run
    ...(values['node-args'] ? { 'full-node-args': () => startFullStack('full-node-args', {}, undefined, (values['node-args'] as string).split(/\s+/).filter(Boolean)) } : {}),
  };
  const names = values.stacks?.split(',') ?? Object.keys(stackStarters);
  const unknown = names.filter((n) => !(n in stackStarters));
  if (unknown.length > 0) {
    const hint = unknown.includes('full-node-args') && !values['node-args'] ? ' (full-node-args needs --node-args="--flag ...")' : '';
    throw new Error(`--stacks: unknown stack ${unknown.join(', ')}${hint}; the stacks are ${Object.keys(stackStarters).join(', ')}`);
  }
  const selected = names.map((n) => stackStarters[n] as () => Promise<Stack>);
  const runs = new Map<Key, LoadResult[]>();
  for (let round = 1; round <= rounds; round++) {
    const stacks: Stack[] = [];
    try {
      for (const start of selected) stacks.push(await start());
      for (const s of stacks) for (const op of ['GET', 'POST'] as const) await load(s, op, { connections, seconds: 1 }); // warm-up
      const order = stacks.map((_, i) => stacks[(i + round - 1) % stacks.length] as Stack);
      for (const s of order) {
        for (const op of ['GET', 'POST'] as const) {
          const r = await load(s, op, { connections, seconds });
          if (r.errors > 0 || r.non2xx > 0) console.log(`  ! ${s.name} ${op}: ${r.errors} errors, ${r.non2xx} non-2xx`);
          const key: Key = `${s.name} ${op}`;
          runs.set(key, [...(runs.get(key) ?? []), r]);
          console.log(`  round ${round}  ${key.padEnd(36)} ${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ${r.cpuUsPerRequest.toFixed(0)} µs CPU/req  RSS ${r.rssMiB.toFixed(0)} MiB (peak ${r.peakRssMiB.toFixed(0)})`);
          if (s.name !== 'full') continue;
          // the same process, the same operation, signed with an access key instead of the token
          const signed = await load(s, op, { connections, seconds, signed: true });
          if (signed.errors > 0 || signed.non2xx > 0) console.log(`  ! full-signed ${op}: ${signed.errors} errors, ${signed.non2xx} non-2xx`);
          const signedKey: Key = `full-signed ${op}`;
          runs.set(signedKey, [...(runs.get(signedKey) ?? []), signed]);
          console.log(`  round ${round}  ${signedKey.padEnd(36)} ${Math.round(signed.rps).toString().padStart(6)} req/s  p50 ${signed.p50} ms  p99 ${signed.p99} ms  ${signed.cpuUsPerRequest.toFixed(0)} µs CPU/req`);
        }
      }
    } finally {
      await Promise.all(stacks.map((s) => s.close()));
    }
  }
  const summary: Record<string, { rps: number; p50: number; p99: number; cpuUsPerRequest: number; rssMiB: number; peakRssMiB: number; errors: number }> = {};
  for (const [key, rs] of runs) {
    summary[key] = {
      rps: Math.round(median(rs.map((r) => r.rps))),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      cpuUsPerRequest: Math.round(median(rs.map((r) => r.cpuUsPerRequest))),
      rssMiB: mebibytes(median(rs.map((r) => r.rssMiB))),
      peakRssMiB: mebibytes(median(rs.map((r) => r.peakRssMiB))),
      errors: rs.reduce((a, r) => a + r.errors + r.non2xx, 0),
    };
  }
  const rps = (k: Key) => summary[k]?.rps ?? NaN;
  const cpu = (k: Key) => summary[k]?.cpuUsPerRequest ?? NaN;
  const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
  const costOf = (without: string, op: 'GET' | 'POST') => Math.round((1 - rps(`full ${op}`) / rps(`${without} ${op}`)) * 1000) / 1000;
  const cpuCostOf = (without: string, op: 'GET' | 'POST') => Math.round((1 - cpu(`${without} ${op}`) / cpu(`full ${op}`)) * 1000) / 1000;
  const validationCost = (op: 'GET' | 'POST') => costOf('full-no-response-validation', op);
  const rss = (k: Key) => summary[k]?.rssMiB ?? NaN;
  const peakRss = (k: Key) => summary[k]?.peakRssMiB ?? NaN;
  const ratios = {
    get_vs_fastify: ratio(rps('full GET'), rps('fastify GET')),
    post_vs_fastify: ratio(rps('full POST'), rps('fastify POST')),
    // resident memory under the load, ours over Fastify's (target <= 1.2): when the load ended, and its peak during the load
    rss_vs_fastify_get: ratio(rss('full GET'), rss('fastify GET')),
    rss_vs_fastify_post: ratio(rss('full POST'), rss('fastify POST')),
    peak_rss_vs_fastify_get: ratio(peakRss('full GET'), peakRss('fastify GET')),
    peak_rss_vs_fastify_post: ratio(peakRss('full POST'), peakRss('fastify POST')),
    get_vs_naive: ratio(rps('full GET'), rps('naive GET')),
    post_vs_naive: ratio(rps('full POST'), rps('naive POST')),
    get_vs_node: ratio(rps('full GET'), rps('bare GET')),
    post_vs_node: ratio(rps('full POST'), rps('bare POST')),
    response_validation_cost: Math.round(((validationCost('GET') + validationCost('POST')) / 2) * 1000) / 1000,
    response_validation_cost_get: validationCost('GET'),
    response_validation_cost_post: validationCost('POST'),
    // the same cost as a share of the full stack's CPU per request
    response_validation_cost_cpu_get: cpuCostOf('full-no-response-validation', 'GET'),
    response_validation_cost_cpu_post: cpuCostOf('full-no-response-validation', 'POST'),
    // what /metrics costs (prom-client counters and histogram on every request)
    metrics_cost_get: costOf('full-no-metrics', 'GET'),
    metrics_cost_post: costOf('full-no-metrics', 'POST'),
    metrics_cost_cpu_get: cpuCostOf('full-no-metrics', 'GET'),
    metrics_cost_cpu_post: cpuCostOf('full-no-metrics', 'POST'),
    // what recording Agent liveness costs (a Map.set per poll, one batched write every LIVENESS_FLUSH_MS)
    liveness_cost_get: costOf('full-no-liveness', 'GET'),
    liveness_cost_cpu_get: cpuCostOf('full-no-liveness', 'GET'),
    // CPU per request of a signed request over a token request, same process (target <= 1.3)
    signed_cpu_vs_token_get: ratio(cpu('full-signed GET'), cpu('full GET')),
    signed_cpu_vs_token_post: ratio(cpu('full-signed POST'), cpu('full POST')),
    // CPU per request of the naive reference over ours (above 1: we spend less); steadier than req/s on a shared machine
    get_cpu_vs_naive: ratio(cpu('naive GET'), cpu('full GET')),
    post_cpu_vs_naive: ratio(cpu('naive POST'), cpu('full POST')),
  };
  console.log('\nMedians over the rounds:');
  console.log(`  ${'stack and operation'.padEnd(36)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU µs/req'.padStart(11)} ${'RSS MiB'.padStart(8)} ${'peak MiB'.padStart(9)}`);
  for (const [k, v] of Object.entries(summary)) console.log(`  ${k.padEnd(36)} ${String(v.rps).padStart(7)} ${String(v.p50).padStart(7)} ${String(v.p99).padStart(7)} ${String(v.cpuUsPerRequest).padStart(11)} ${String(v.rssMiB).padStart(8)} ${String(v.peakRssMiB).padStart(9)}`);
  console.log('\nRatios (full stack = auth + request and response validation + SQLite + request id + logging):');
  /** Prints a ratio line only when the full stack and `stack` both ran (--stacks can leave stacks out). */
  const ratioLine = (stack: string, line: string) => (summary['full GET'] && summary[`${stack} GET`] ? console.log(line) : undefined);
  ratioLine('fastify', `  full vs Fastify (same work):     GET ${ratios.get_vs_fastify}x, POST ${ratios.post_vs_fastify}x   (target >= 1.0x, aim 1.3x on GET)`);
  ratioLine('fastify', `  RSS under load, full / Fastify:  GET ${ratios.rss_vs_fastify_get}x, POST ${ratios.rss_vs_fastify_post}x when the load ended; peak GET ${ratios.peak_rss_vs_fastify_get}x, POST ${ratios.peak_rss_vs_fastify_post}x   (target <= 1.2x)`);
  ratioLine('full-signed', `  signed / token, CPU per request: GET ${ratios.signed_cpu_vs_token_get}x, POST ${ratios.signed_cpu_vs_token_post}x   (target <= 1.3x)`);
  ratioLine('naive', `  full vs naive Express+validator: GET ${ratios.get_vs_naive}x, POST ${ratios.post_vs_naive}x   (target >= 1.0x, aim 1.3x)`);
  ratioLine('bare', `  full vs bare node:http:          GET ${ratios.get_vs_node}x, POST ${ratios.post_vs_node}x`);
  ratioLine('naive', `  CPU per request, naive / full:   GET ${ratios.get_cpu_vs_naive}x, POST ${ratios.post_cpu_vs_naive}x   (above 1: the full stack spends less)`);
  ratioLine('full-no-response-validation', `  response validation cost:        ${(ratios.response_validation_cost * 100).toFixed(1)}% of throughput (GET ${(ratios.response_validation_cost_get * 100).toFixed(1)}%, POST ${(ratios.response_validation_cost_post * 100).toFixed(1)}%; target <= 15%)`);
  ratioLine('full-no-response-validation', `                                   ${(ratios.response_validation_cost_cpu_get * 100).toFixed(1)}% / ${(ratios.response_validation_cost_cpu_post * 100).toFixed(1)}% of CPU per request (GET / POST)`);
  ratioLine('full-no-metrics', `  metrics cost:                    GET ${(ratios.metrics_cost_get * 100).toFixed(1)}%, POST ${(ratios.metrics_cost_post * 100).toFixed(1)}% of throughput; ${(ratios.metrics_cost_cpu_get * 100).toFixed(1)}% / ${(ratios.metrics_cost_cpu_post * 100).toFixed(1)}% of CPU per request (target <= 5% on GET)`);
  ratioLine('full-no-liveness', `  liveness cost:                   GET ${(ratios.liveness_cost_get * 100).toFixed(1)}% of throughput; ${(ratios.liveness_cost_cpu_get * 100).toFixed(1)}% of CPU per request`);
  ratioLine('full', `  full stack p99 at ${connections} connections: GET ${summary['full GET']?.p99} ms, POST ${summary['full POST']?.p99} ms (target <= 10 ms)`);
  return { config: { rounds, seconds, connections }, summary, ratios };
}

async function main(): Promise<void> {
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model };
  const result: Record<string, unknown> = { date: new Date().toISOString(), machine };
  if (!values['fleet-only']) Object.assign(result, await throughput());
  if (!values['no-fleet']) {
    const agents = Number(values.agents);
    const intervalMs = Number(values['interval-ms']);
    const fleetSeconds = Number(values['fleet-seconds']);
    console.log(`\nFleet simulation: ${agents} agents polling every ${intervalMs} ms for ${fleetSeconds} s against one instance (SQLite)`);
    const fleet: FleetResult = await runFleet({ agents, intervalMs, seconds: fleetSeconds });
    console.log(`  target ${fleet.targetRate} polls/s, achieved ${fleet.achievedRate}/s; ${fleet.requests} polls, ${fleet.errors} errors${fleet.errors === 0 ? '' : ` (${Object.entries(fleet.errorKinds).map(([kind, n]) => `${n} ${kind}`).join(', ')})`}, ${fleet.commandsDelivered} commands delivered`);
    console.log(`  latency p50 ${fleet.latencyMs.p50} ms, p90 ${fleet.latencyMs.p90} ms, p99 ${fleet.latencyMs.p99} ms, max ${fleet.latencyMs.max} ms`);
    result.fleet = fleet;
  }
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\nwrote bench/results/latest.json');
}

main().catch((err: unknown) => {
  console.error(`bench: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
