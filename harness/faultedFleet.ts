/**
 * A fleet of simulated Agents and an operator against a deployment (harness/topology.ts) while faults hit
 * it, and the ledger that proves what the service promises: every acknowledged report stored, no command
 * completed twice, none handed to a second poll while its lease held, every command completed in the end,
 * and the Agents' errors only during the faults, each fault over within its bound.
 *
 * Each Agent polls its own source server (a few have a twin, as a cloned VM does, so that two polls race
 * for one queue), reports every command it gets, and retries a report until it is acknowledged. The
 * operator enqueues commands over the Admin API through nginx, each with a task_id of its own; one whose
 * answer was lost is looked up before it is sent again. What was stored is read back over the Admin API.
 */
import { Agent, request } from 'node:http';
import { openStore } from '../server/store/index.js';
import { storeToken } from './tokens.js';
import { startTopology, type Topology } from './topology.js';

/** One fault of the schedule. */
export type FaultKind = 'kill' | 'drain' | 'postgres-restart';

export interface FleetOptions {
  agents: number;
  /** The share of source servers polled by a second Agent (a twin). */
  twins: number;
  /** How long an Agent waits between polls. */
  intervalMs: number;
  /** How long the operator enqueues and the faults run. */
  seconds: number;
  /** Commands the operator enqueues per second. */
  enqueuePerSecond: number;
  /** The instances' LEASE_SECONDS (a lease the ledger checks polls against). */
  leaseSeconds: number;
  /** The faults, at seconds since the topology started. */
  faults: Array<{ at: number; kind: FaultKind; instance?: number }>;
  /** How long PostgreSQL stays down in a restart. */
  postgresDownSeconds: number;
  /** How long the fleet may take, after the last fault, to complete every command. */
  settleSeconds: number;
  agentToken: string;
  adminToken: string;
  /** The source servers' IDs, registered beforehand. */
  sources: string[];
  /** Restarts the database (stop, wait, start); required when a fault is `postgres-restart`. */
  restartPostgres?: (downSeconds: number) => Promise<void>;
  log: (line: string) => void;
}

/** What one fault did to the fleet. */
export interface FaultOutcome {
  kind: FaultKind;
  instance: number | null;
  at_seconds: number;
  /** Agent errors attributed to it (from its start until the next fault, or its window's end). */
  agent_errors: number;
  /** Until the fleet was served again: its last attributed error, in seconds after it began (0: none). */
  recovery_seconds: number;
  /** What docs/operations.md promises for it. */
  bound_seconds: number;
}

export interface FleetSummary {
  agents: number;
  twins: number;
  instances: number;
  seconds: number;
  enqueued: number;
  /** Enqueues the operator saw acknowledged (201) that are not in the queue listing: must be 0. */
  enqueues_lost: number;
  handed_out: number;
  /** ShowCommand's hand-outs by the server's count (above handed_out when an answer was lost in a fault). */
  deliveries: number;
  completed: number;
  acknowledged: number;
  stored: number;
  lost: number;
  completed_twice: number;
  double_leased: number;
  redelivered: number;
  /** Stored reports that completed nothing (a retried report whose first attempt had been stored). */
  unsolicited: number;
  agent_errors: Record<string, number>;
  agent_errors_outside_faults: number;
  /** Polls sent a second time after a network error (the client's retry), by the first error's kind. */
  polls_retried: Record<string, number>;
  operator_errors: Record<string, number>;
  polls: number;
  recovery_seconds: FaultOutcome[];
  /** Each invariant of docs/operations.md, true when it held. */
  invariants: Record<string, boolean>;
  ok: boolean;
}

interface Answer {
  status: number;
  text: string;
  requestId: string | undefined;
}

/** How long one request may take before the Agent gives up on it. */
const REQUEST_TIMEOUT_MS = 10_000;
/** After its window a fault's errors are no longer its own. */
const FAULT_WINDOW_S = 10;
/** docs/operations.md: an instance killed or drained is out of the Agents' way within 5 s. */
const INSTANCE_FAULT_BOUND_S = 5;

/** Runs the fleet and the faults, settles, reads back what was stored, and returns the summary. */
export async function runFaultedFleet(topology: Topology, options: FleetOptions): Promise<FleetSummary> {
  const { hostname, port } = new URL(topology.url);
  // below nginx's keepalive_timeout (60 s), so a client never sends on a connection nginx is closing
  const http = new Agent({ keepAlive: true, maxSockets: 512, timeout: 30_000 });
  const t0 = topology.startedAt; // one clock for the fleet, the faults and the topology's events
  const now = (): number => (Date.now() - t0) / 1000;

  const send = (method: 'GET' | 'POST', path: string, token: string, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { 'X-Auth-Token': token };
      if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      const req = request({ agent: http, hostname, port, method, path, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, requestId: res.headers['x-request-id'] as string | undefined }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  const kindOf = (method: string, r: Answer): string => `${method} ${r.status} ${/"error_code":"([^"]+)"/.exec(r.text)?.[1] ?? ''}`.trim();
  const errorKind = (method: string, err: unknown): string => `${method} ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;

  // --- the Agents
  const agentErrors: Array<{ t: number; kind: string }> = [];
  const handouts = new Map<string, Array<{ sent: number; received: number }>>();
  const acknowledged = new Set<string>();
  let polls = 0;
  let handedOut = 0;
  let running = true;
  let inFlight = 0;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Reports a command until it is acknowledged (or the run ends): an answer lost in a fault is sent again. */
  const report = async (source: string, commandName: string): Promise<void> => {
    const body = JSON.stringify({ command_name: commandName, result: 'success', result_detail: { by: 'faulted fleet' } });
    for (let attempt = 0; running || attempt === 0; attempt++) {
      try {
        const r = await send('POST', `/v3/sources/${source}/command_result`, options.agentToken, body);
        if (r.status === 200 && r.requestId) return void acknowledged.add(r.requestId);
        agentErrors.push({ t: now(), kind: kindOf('POST', r) });
        if (r.status >= 400 && r.status < 500) return; // the contract says it will not succeed
      } catch (err) {
        agentErrors.push({ t: now(), kind: errorKind('POST', err) });
      }
      await pause(500);
    }
  };

  const retried: Array<{ t: number; kind: string }> = [];
  /**
   * A poll, sent once more after a network error, as the client's retry policy does for ShowCommand
   * (a kept-alive connection nginx closed as the poll went out, when it reloads its upstream); the first
   * failure is counted in `retried`, only the second is the Agent's error.
   */
  const poll = async (source: string): Promise<Answer> => {
    const path = `/v3/sources/${source}/command`;
    try {
      return await send('GET', path, options.agentToken);
    } catch (err) {
      retried.push({ t: now(), kind: errorKind('GET', err) });
      await pause(100);
      return send('GET', path, options.agentToken);
    }
  };

  const agent = async (source: string): Promise<void> => {
    await pause(Math.random() * options.intervalMs);
    while (running) {
      inFlight++;
      const sent = now();
      try {
        const r = await poll(source);
        polls++;
        if (r.status !== 200) agentErrors.push({ t: now(), kind: kindOf('GET', r) });
        else {
          const command = JSON.parse(r.text) as { command_name: string; command_param?: { task_id?: string } };
          if (command.command_name !== 'SKIP') {
            handedOut++;
            const task = command.command_param?.task_id ?? `(no task_id: ${r.text})`;
            const seen = handouts.get(task) ?? [];
            seen.push({ sent, received: now() });
            handouts.set(task, seen);
            await report(source, command.command_name);
          }
        }
      } catch (err) {
        agentErrors.push({ t: now(), kind: errorKind('GET', err) });
      } finally {
        inFlight--;
      }
      await pause(options.intervalMs);
    }
  };
  const twinCount = Math.round(options.sources.length * options.twins);
  const pollers = [...options.sources, ...options.sources.slice(0, twinCount)];
  const agents = pollers.map((s) => agent(s));

  // --- the operator
  const operatorErrors: Record<string, number> = {};
  const operatorError = (kind: string): void => void (operatorErrors[kind] = (operatorErrors[kind] ?? 0) + 1);
  const enqueuedAcks = new Set<string>();
  const unconfirmed: Array<{ source: string; task: string; name: string }> = [];
  let taskNumber = 0;
  const names = ['START', 'SYNC', 'STOP'];
  const enqueue = async (source: string, task: string, name: string): Promise<void> => {
    try {
      const r = await send('POST', `/admin/v1/sources/${source}/commands`, options.adminToken, JSON.stringify({ command_name: name, command_param: { task_id: task } }));
      if (r.status === 201) return void enqueuedAcks.add(task);
      operatorError(kindOf('POST', r));
    } catch (err) {
      operatorError(errorKind('POST', err));
    }
    unconfirmed.push({ source, task, name });
  };
  /** An enqueue whose answer was lost: enqueued again only if the queue does not hold it. */
  const confirm = async (item: { source: string; task: string; name: string }): Promise<void> => {
    try {
      const listed = await listAll<{ command_param: { task_id?: string } }>(`/admin/v1/sources/${item.source}/commands`, 'commands');
      if (listed.some((c) => c.command_param.task_id === item.task)) return;
      await enqueue(item.source, item.task, item.name);
    } catch (err) {
      operatorError(`GET ${(err as Error).message}`);
      unconfirmed.push(item);
    }
  };
  const operator = (async () => {
    const every = 1000 / options.enqueuePerSecond;
    while (now() < options.seconds) {
      const source = options.sources[Math.floor(Math.random() * options.sources.length)] as string;
      void enqueue(source, `fleet-task-${++taskNumber}`, names[taskNumber % names.length] as string);
      const retry = unconfirmed.shift();
      if (retry) void confirm(retry);
      await pause(every);
    }
    while (unconfirmed.length > 0) await confirm(unconfirmed.shift() as (typeof unconfirmed)[number]);
  })();

  /** Every item of an Admin API list, page by page (through nginx; a failed page is asked again, 20 times at most). */
  async function listAll<T>(path: string, field: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let failures = 0; ; ) {
      const page = `${path}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      let r: Answer | undefined;
      try {
        r = await send('GET', page, options.adminToken);
      } catch {
        r = undefined;
      }
      if (r?.status !== 200) {
        if (++failures > 20) throw new Error(`${page}: ${r ? kindOf('GET', r) : 'no answer'}`);
        await pause(250);
        continue;
      }
      const body = JSON.parse(r.text) as Record<string, unknown> & { next_cursor: string | null };
      items.push(...(body[field] as T[]));
      if (body.next_cursor === null) return items;
      cursor = body.next_cursor;
    }
  }

  // --- progress
  const progress = setInterval(() => {
    const kinds = summarise(agentErrors.map((e) => e.kind));
    options.log(`  ${now().toFixed(0)} s: ${polls} polls, ${handedOut} hand-outs, ${acknowledged.size} reports acknowledged, ${enqueuedAcks.size} enqueued, ${agentErrors.length} Agent errors${agentErrors.length ? ` ${JSON.stringify(kinds)}` : ''}, ${inFlight} in flight`);
  }, 5000);

  // --- the faults
  const faultsDone: Array<{ kind: FaultKind; instance: number | null; at: number; windowEnd: number; bound: number }> = [];
  for (const fault of options.faults) {
    await pause(Math.max(0, fault.at - now()) * 1000);
    const at = now();
    const instance = fault.kind === 'postgres-restart' ? null : (fault.instance ?? 0) % topology.instances.length;
    if (fault.kind === 'kill') await topology.kill(instance as number);
    else if (fault.kind === 'drain') await topology.drain(instance as number);
    else {
      if (!options.restartPostgres) throw new Error('a postgres-restart fault needs restartPostgres');
      options.log(`  ${at.toFixed(1)} s: PostgreSQL stopped for ${options.postgresDownSeconds} s`);
      await options.restartPostgres(options.postgresDownSeconds);
      options.log(`  ${now().toFixed(1)} s: PostgreSQL started again`);
    }
    const bound = fault.kind === 'postgres-restart' ? options.postgresDownSeconds + INSTANCE_FAULT_BOUND_S : INSTANCE_FAULT_BOUND_S;
    // its window: while it is applied (a restart, PostgreSQL down), then FAULT_WINDOW_S more
    faultsDone.push({ kind: fault.kind, instance, at, windowEnd: now() + FAULT_WINDOW_S, bound });
  }
  await operator;
  await pause(Math.max(0, options.seconds - now()) * 1000);

  // --- settle: the fleet keeps polling until every enqueued command is done (a lease lost in a fault ends first)
  options.log(`  ${now().toFixed(1)} s: faults over; the fleet runs on until every command is done (at most ${options.settleSeconds} s)`);
  const settleEnd = now() + options.settleSeconds;
  let open = options.sources;
  while (now() < settleEnd && open.length > 0) {
    await pause(1000);
    const listed = await mapLimit(open, 16, (s) => listAll<{ state: string }>(`/admin/v1/sources/${s}/commands`, 'commands'));
    open = open.filter((_, i) => (listed[i] as Array<{ state: string }>).some((c) => c.state !== 'done'));
  }
  running = false;
  clearInterval(progress);
  await Promise.all(agents);

  // --- read back
  options.log(`  ${now().toFixed(1)} s: reading back every command and result over the Admin API`);
  const commands = (await mapLimit(options.sources, 16, (s) => listAll<{ state: string; deliveries: number; command_param: { task_id?: string } }>(`/admin/v1/sources/${s}/commands`, 'commands'))).flat();
  const results = (await mapLimit(options.sources, 16, (s) => listAll<{ request_id: string; command_id: number | null; unsolicited: boolean }>(`/admin/v1/sources/${s}/results`, 'results'))).flat();
  http.destroy();

  return {
    agents: options.sources.length,
    twins: twinCount,
    instances: topology.instances.length,
    seconds: options.seconds,
    ...tally({ commands, results, acknowledged, enqueuedAcks, handouts, leaseSeconds: options.leaseSeconds, faults: faultsDone, agentErrors }),
    handed_out: handedOut,
    polls_retried: summarise(retried.map((e) => e.kind)),
    operator_errors: operatorErrors,
    polls,
  };
}

/** What the fleet saw and what the Admin API read back: everything the invariants are judged on. */
export interface Ledger {
  /** The queue listings of every source server, after the run. */
  commands: Array<{ state: string; deliveries: number; command_param: { task_id?: string } }>;
  /** The stored results of every source server, after the run. */
  results: Array<{ request_id: string; command_id: number | null; unsolicited: boolean }>;
  /** Request IDs of the reports the server acknowledged (200). */
  acknowledged: ReadonlySet<string>;
  /** Task IDs of the enqueues the Admin API acknowledged (201). */
  enqueuedAcks: ReadonlySet<string>;
  /** Per task ID, every poll that was handed it: when it was sent and when its answer arrived (seconds). */
  handouts: ReadonlyMap<string, ReadonlyArray<{ sent: number; received: number }>>;
  leaseSeconds: number;
  /** The faults applied: when each began, when its window ended, and its bound (seconds). */
  faults: ReadonlyArray<{ kind: FaultKind; instance: number | null; at: number; windowEnd: number; bound: number }>;
  /** Every error an Agent saw (after its own retries), when and of which kind. */
  agentErrors: ReadonlyArray<{ t: number; kind: string }>;
}

/** The ledger's counts and invariants (a pure function: the tests break each invariant on purpose). */
export function tally(ledger: Ledger): Omit<FleetSummary, 'agents' | 'twins' | 'instances' | 'seconds' | 'handed_out' | 'polls_retried' | 'operator_errors' | 'polls'> {
  const { commands, results, acknowledged, enqueuedAcks, handouts, leaseSeconds: leaseS, faults: faultsDone, agentErrors } = ledger;
  const storedIds = new Set(results.map((r) => r.request_id));
  const perCommand = new Map<number, number>();
  for (const r of results) if (r.command_id !== null) perCommand.set(r.command_id, (perCommand.get(r.command_id) ?? 0) + 1);
  const listedTasks = new Set(commands.map((c) => c.command_param.task_id));
  let doubleLeased = 0;
  let redelivered = 0;
  for (const seen of handouts.values()) {
    for (let i = 1; i < seen.length; i++) {
      const previous = seen[i - 1] as { sent: number; received: number };
      const next = seen[i] as { sent: number; received: number };
      // certain only when the second answer arrived before the first lease could have ended at its earliest
      if (next.received < previous.sent + leaseS) doubleLeased++;
      else redelivered++;
    }
  }
  const outcomes: FaultOutcome[] = faultsDone.map((f, i) => {
    const end = Math.min(f.windowEnd, faultsDone[i + 1]?.at ?? Infinity);
    const own = agentErrors.filter((e) => e.t >= f.at && e.t < end);
    const last = own.at(-1);
    return { kind: f.kind, instance: f.instance, at_seconds: round(f.at), agent_errors: own.length, recovery_seconds: last ? round(last.t - f.at) : 0, bound_seconds: f.bound };
  });
  const outside = agentErrors.filter((e) => !faultsDone.some((f, i) => e.t >= f.at && e.t < Math.min(f.windowEnd, faultsDone[i + 1]?.at ?? Infinity)));
  const lost = [...acknowledged].filter((id) => !storedIds.has(id)).length;
  const completedTwice = [...perCommand.values()].filter((n) => n > 1).length;
  const completed = commands.filter((c) => c.state === 'done').length;
  const invariants = {
    no_acknowledged_report_lost: lost === 0,
    no_acknowledged_enqueue_lost: [...enqueuedAcks].every((t) => listedTasks.has(t)),
    no_command_completed_twice: completedTwice === 0,
    no_command_leased_twice: doubleLeased === 0,
    every_command_completed: commands.length > 0 && completed === commands.length,
    agent_errors_only_during_faults: outside.length === 0,
    every_fault_recovered_within_its_bound: outcomes.every((o) => o.recovery_seconds <= o.bound_seconds),
  };
  return {
    enqueued: commands.length,
    enqueues_lost: [...enqueuedAcks].filter((t) => !listedTasks.has(t)).length,
    deliveries: commands.reduce((n, c) => n + c.deliveries, 0),
    completed,
    acknowledged: acknowledged.size,
    stored: results.length,
    lost,
    completed_twice: completedTwice,
    double_leased: doubleLeased,
    redelivered,
    unsolicited: results.filter((r) => r.unsolicited).length,
    agent_errors: summarise(agentErrors.map((e) => e.kind)),
    agent_errors_outside_faults: outside.length,
    recovery_seconds: outcomes,
    invariants,
    ok: Object.values(invariants).every(Boolean),
  };
}

/** Counts of each value. */
function summarise(kinds: string[]): Record<string, number> {
  return kinds.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  }));
  return out;
}

/** Every `every` seconds one fault until `seconds`: instances killed, the third a drain, the fourth a database restart (when it can be). */
export function faultSchedule(seconds: number, every: number, withPostgres: boolean): FleetOptions['faults'] {
  const kinds: FaultKind[] = ['kill', 'kill', 'drain', withPostgres ? 'postgres-restart' : 'kill'];
  const faults: FleetOptions['faults'] = [];
  for (let n = 0, at = every; at < seconds; n++, at += every) faults.push({ at, kind: n < kinds.length ? (kinds[n] as FaultKind) : 'kill', instance: n });
  return faults;
}

export interface ScenarioOptions extends Omit<FleetOptions, 'agentToken' | 'adminToken' | 'sources'> {
  databaseUrl: string;
  instances: number;
  /** nginx's files and the instances' logs. */
  dir: string;
}

/**
 * The whole scenario: source servers registered and tokens issued on the (migrated) database, the
 * topology started, the fleet run against it with the faults, the topology stopped.
 */
export async function runScenario(options: ScenarioOptions): Promise<FleetSummary> {
  const store = await openStore(options.databaseUrl);
  const registeredAt = new Date();
  const sources = Array.from({ length: options.agents }, (_, i) => `fleet-agent-${i}`);
  try {
    for (const source of sources) await store.addSource(source, null, registeredAt);
    const agentToken = (await storeToken(store, { name: 'fleet agents', now: registeredAt })).secret;
    const adminToken = (await storeToken(store, { name: 'fleet operator', kind: 'admin', now: registeredAt })).secret;
    options.log(`  ${sources.length} source servers registered`);
    const env = { LEASE_SECONDS: String(options.leaseSeconds) };
    const topology = await startTopology({ databaseUrl: options.databaseUrl, instances: options.instances, dir: options.dir, env, log: options.log });
    try {
      return await runFaultedFleet(topology, { ...options, sources, agentToken, adminToken });
    } finally {
      await topology.stop();
    }
  } finally {
    await store.close();
  }
}
