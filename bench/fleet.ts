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
  /** The errors by kind: `GET 503 SMS.2012`, `POST ECONNRESET`, ... */
  errorKinds: Record<string, number>;
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
  // `timeout` makes Node's agent honour the server's `Keep-Alive: timeout=5` (it drops an idle socket a second
  // before the server does; without a timeout of its own it ignores the hint and now and then sends a poll
  // on a socket the server is closing: ECONNRESET, in bursts, since sockets opened together idle together)
  const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 60_000 });
  const latencies: number[] = [];
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  /** Counts an error under its kind: the operation, then the status and error code, or the socket error's code. */
  const failed = (method: string, what: string): void => {
    errors++;
    const kind = `${method} ${what}`;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  const answerKind = (r: { status: number; text: string }): string => `${r.status} ${/"error_code":"([^"]+)"/.exec(r.text)?.[1] ?? ''}`.trim();
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
    let method = 'GET';
    try {
      const r = await send('GET', `/v3/sources/agent-${i}/command`);
      latencies.push(performance.now() - t0);
      if (r.status !== 200) failed(method, answerKind(r));
      else if (!r.text.includes('SKIP')) {
        delivered++;
        method = 'POST';
        const rep = await send('POST', `/v3/sources/agent-${i}/command_result`, JSON.stringify({ command_name: 'SYNC', result: 'success', result_detail: {} }));
        if (rep.status !== 200) failed(method, answerKind(rep));
      }
    } catch (err) {
      failed(method, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
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
    const kinds = errors === 0 ? '' : ` (${Object.entries(errorKinds).map(([kind, n]) => `${n} ${kind}`).join(', ')})`;
    console.log(`  ${elapsed.toFixed(0)} s: ${latencies.length} polls (${Math.round(latencies.length / elapsed)}/s), ${errors} errors${kinds}, ${inFlight} in flight`);
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
    errorKinds,
    commandsDelivered: delivered,
    latencyMs: { p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) },
  };
}
