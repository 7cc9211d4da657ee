/**
 * Fleet simulation: N agents, each polling its own source server, for D seconds, against one server
 * instance. Like a real Agent, each waits for the answer (and reports a command it got) before it waits
 * T seconds and polls again, starting at a random phase. Reports achieved rate, latency percentiles, errors.
 */
import { Agent, request } from 'node:http';
import { storeToken } from '../harness/tokens.js';
import { openStore } from '../server/store/index.js';
import { ensureBuilt, percentile } from './lib.js';
import { startCompiledServer } from '../harness/processes.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FleetResult {
  agents: number;
  intervalMs: number;
  seconds: number;
  targetRate: number;
  achievedRate: number;
  requests: number;
  errors: number;
  commandsDelivered: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

/** Runs the simulation and returns its figures (progress on stdout). */
export async function runFleet(options: { agents: number; intervalMs: number; seconds: number }): Promise<FleetResult> {
  const databaseUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'sms-fleet-')), 'sms.sqlite')}`;
  const store = await openStore(databaseUrl);
  const now = new Date();
  const started = Date.now();
  for (let i = 0; i < options.agents; i++) {
    await store.addSource(`agent-${i}`, null, now);
    if (i % 10 === 0) await store.enqueueCommand({ serverId: `agent-${i}`, name: 'SYNC', taskId: `t-${i}` }, now);
  }
  const { secret: token } = await storeToken(store, { name: 'fleet', now });
  await store.close();
  console.log(`  registered ${options.agents} source servers in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  ensureBuilt();
  const server = await startCompiledServer({ DATABASE_URL: databaseUrl });
  const { hostname, port } = new URL(server.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let errors = 0;
  let delivered = 0;
  let inFlight = 0;

  const send = (method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(
        { agent, hostname, port, method, path, headers: { 'X-Auth-Token': token, ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const poll = async (i: number): Promise<void> => {
    const t0 = performance.now();
    inFlight++;
    try {
      const r = await send('GET', `/v3/sources/agent-${i}/command`);
      latencies.push(performance.now() - t0);
      if (r.status !== 200) errors++;
      else if (!r.text.includes('SKIP')) {
        delivered++;
        const rep = await send('POST', `/v3/sources/agent-${i}/command_result`, JSON.stringify({ command_name: 'SYNC', result: 'success', result_detail: {} }));
        if (rep.status !== 200) errors++;
      }
    } catch {
      errors++;
    } finally {
      inFlight--;
    }
  };

  const end = Date.now() + options.seconds * 1000;
  const timers: NodeJS.Timeout[] = [];
  const t0 = Date.now();
  for (let i = 0; i < options.agents; i++) {
    const tick = (): void => {
      if (Date.now() >= end) return;
      void poll(i).then(() => {
        timers[i] = setTimeout(tick, options.intervalMs);
      });
    };
    timers[i] = setTimeout(tick, Math.random() * options.intervalMs);
  }
  const progress = setInterval(() => {
    const elapsed = (Date.now() - t0) / 1000;
    console.log(`  ${elapsed.toFixed(0)} s: ${latencies.length} polls (${Math.round(latencies.length / elapsed)}/s), ${errors} errors, ${inFlight} in flight`);
  }, 10_000);
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  clearInterval(progress);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
  timers.forEach(clearTimeout);
  agent.destroy();
  await server.stop();

  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    agents: options.agents,
    intervalMs: options.intervalMs,
    seconds: options.seconds,
    targetRate: Math.round((options.agents * 1000) / options.intervalMs),
    achievedRate: Math.round(latencies.length / options.seconds),
    requests: latencies.length,
    errors,
    commandsDelivered: delivered,
    latencyMs: { p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) },
  };
}
