/**
 * Several stateless server processes on one PostgreSQL, many concurrent polling agents, a few hundred
 * commands: every command delivered, each completed exactly once, no acknowledged report lost. Also the
 * admin CLI against PostgreSQL, the admin API and the CLI seeing each other's work, and Agent liveness
 * recorded by one instance seen by every other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeToken } from '../../harness/tokens.js';
import { openStore } from '../../server/store/index.js';
import { type Store } from '../../server/store/types.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres, type TestDatabase } from '../../harness/databases.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { runAdmin, startServerProcess, type Child } from '../../harness/processes.js';

const INSTANCES = 3;
const SOURCES = 10;
const PER_SOURCE = 30;
const AGENTS_PER_SOURCE = 3;

const suite = TEST_DATABASE_URL ? describe : describe.skip;

suite(`several instances on one PostgreSQL${TEST_DATABASE_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  let db: TestDatabase;
  let store: Store;
  const instances: Child[] = [];

  beforeAll(async () => {
    db = await freshPostgres();
    store = await openStore(db.url); // migrates once; the instances find it migrated
    instances.push(...(await Promise.all(Array.from({ length: INSTANCES }, () => startServerProcess({ DATABASE_URL: db.url, LIVENESS_FLUSH_MS: '200' })))));
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await store?.close();
    await db?.drop();
  });

  it(`delivers ${SOURCES * PER_SOURCE} commands through ${INSTANCES} instances to ${SOURCES * AGENTS_PER_SOURCE} agents, each completed once`, async () => {
    const now = new Date();
    const { secret: token } = await storeToken(store, { name: 'fleet', now });
    const sources = Array.from({ length: SOURCES }, (_, i) => `fleet-${i}`);
    for (const s of sources) {
      await store.addSource(s, null, now);
      for (let n = 0; n < PER_SOURCE; n++) await store.enqueueCommand({ serverId: s, name: n % 2 ? 'SYNC' : 'START', taskId: `${s}-task-${n}` }, now);
    }

    const handed: string[] = [];
    const acked: string[] = [];
    const agent = async (source: string, index: number): Promise<void> => {
      let idle = 0;
      let turn = index;
      while (idle < 3) {
        const instance = instances[turn++ % instances.length] as Child;
        const polled = await call(instance.baseUrl, 'GET', commandPath(source), { token });
        expect(polled.status, polled.text).toBe(200);
        const cmd = polled.json() as { command_name: string; command_param?: { task_id?: string } };
        if (cmd.command_name === 'SKIP') {
          idle++;
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        idle = 0;
        handed.push(cmd.command_param?.task_id as string);
        const other = instances[turn++ % instances.length] as Child;
        const reported = await call(other.baseUrl, 'POST', resultPath(source), { token, json: { command_name: cmd.command_name, result: 'success', result_detail: { task: cmd.command_param?.task_id } } });
        expect(reported.status, reported.text).toBe(200);
        acked.push(reported.headers.get('x-request-id') as string);
      }
    };
    await Promise.all(sources.flatMap((s) => Array.from({ length: AGENTS_PER_SOURCE }, (_, i) => agent(s, i))));

    const total = SOURCES * PER_SOURCE;
    expect(handed).toHaveLength(total);
    expect(new Set(handed).size).toBe(total); // never two live leases of one command
    expect(acked).toHaveLength(total);
    let completed = 0;
    const storedIds = new Set<string>();
    const completedBy = new Set<number>();
    for (const s of sources) {
      const commands = await store.listCommands(s);
      expect(commands.every((c) => c.state === 'done' && c.deliveries === 1)).toBe(true);
      const results = await store.listResults(s);
      for (const r of results) {
        storedIds.add(r.requestId);
        if (r.commandId !== null) {
          expect(completedBy.has(r.commandId)).toBe(false); // completed once
          completedBy.add(r.commandId);
          completed++;
        }
      }
      expect(new Set(commands.map((c) => c.resultId)).size).toBe(PER_SOURCE);
    }
    expect(completed).toBe(total);
    expect(acked.filter((id) => !storedIds.has(id))).toEqual([]);
  });

  it('the admin CLI works against PostgreSQL', async () => {
    const env = { DATABASE_URL: db.url };
    expect((await runAdmin(['sources', 'add', 'pg-admin', '--name', 'pg'], env)).code).toBe(0);
    const created = await runAdmin(['tokens', 'create', '--name', 'pg', '--source', 'pg-admin', '--expires-in', '1h'], env);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1) as string;
    expect((await runAdmin(['commands', 'enqueue', 'pg-admin', 'DELETE', '--task-id', 't'], env)).code).toBe(0);
    const polled = await call(instances[0]!.baseUrl, 'GET', commandPath('pg-admin'), { token });
    expect(polled.json()).toEqual({ command_name: 'DELETE', command_param: { task_id: 't' } });
    await call(instances[1]!.baseUrl, 'POST', resultPath('pg-admin'), { token, json: { command_name: 'DELETE', result: 'success', result_detail: {} } });
    const listed = JSON.parse((await runAdmin(['commands', 'list', 'pg-admin', '--json'], env)).stdout) as { commands: Array<{ state: string }> };
    expect(listed.commands.map((c) => c.state)).toEqual(['done']);
    const results = JSON.parse((await runAdmin(['results', 'list', 'pg-admin', '--json'], env)).stdout) as { results: unknown[] };
    expect(results.results).toHaveLength(1);
    const { tokens } = JSON.parse((await runAdmin(['tokens', 'list', '--json'], env)).stdout) as { tokens: Array<{ token_id: string; name: string }> };
    const id = tokens.find((t) => t.name === 'pg')?.token_id as string;
    expect((await runAdmin(['tokens', 'revoke', id], env)).code).toBe(0);
    // Every instance sees the revocation within CACHE_REFRESH_MS (100 ms by default).
    for (const instance of instances) {
      await expect.poll(async () => (await call(instance.baseUrl, 'GET', commandPath('pg-admin'), { token })).status, { timeout: 1000, interval: 20 }).toBe(401);
    }
  });

  it("an Agent polling one instance is alive on every instance's admin API; the admin API and the CLI see each other's work", async () => {
    const env = { DATABASE_URL: db.url };
    const now = new Date();
    const admin = (await storeToken(store, { name: 'orchestrator', kind: 'admin', now })).secret;
    const registered = await call(instances[0]!.baseUrl, 'POST', '/admin/v1/sources', { token: admin, json: { server_id: 'pg-live', name: 'live' } });
    expect(registered.status, registered.text).toBe(201);
    const issued = await call(instances[1]!.baseUrl, 'POST', '/admin/v1/tokens', { token: admin, json: { name: 'agent-live', sources: ['pg-live'] } });
    const agent = issued.json().token as string;
    expect((await runAdmin(['commands', 'enqueue', 'pg-live', 'SYNC', '--bucket', 'logs'], env)).code).toBe(0);
    const viaApi = await call(instances[2]!.baseUrl, 'GET', '/admin/v1/sources/pg-live/commands', { token: admin });
    expect(viaApi.json().commands.map((c: { command_name: string; command_param: object }) => [c.command_name, c.command_param])).toEqual([['SYNC', { bucket: 'logs' }]]);
    await call(instances[2]!.baseUrl, 'POST', '/admin/v1/sources/pg-live/commands', { token: admin, json: { command_name: 'STOP' } });
    const viaCli = JSON.parse((await runAdmin(['commands', 'list', 'pg-live', '--json'], env)).stdout) as { commands: Array<{ command_name: string }> };
    expect(viaCli.commands.map((c) => c.command_name)).toEqual(['SYNC', 'STOP']);

    const polled = await call(instances[1]!.baseUrl, 'GET', commandPath('pg-live'), { token: agent });
    expect(polled.json()).toEqual({ command_name: 'SYNC', command_param: { bucket: 'logs' } });
    const polledAt = Date.now();
    for (const instance of instances) {
      await expect
        .poll(async () => (await call(instance.baseUrl, 'GET', '/admin/v1/sources/pg-live', { token: admin })).json(), { timeout: 3000, interval: 100 })
        .toMatchObject({ last_poll_at: expect.any(String), held_command: { command_name: 'SYNC' } });
    }
    const seen = (await call(instances[0]!.baseUrl, 'GET', '/admin/v1/sources/pg-live', { token: admin })).json();
    expect(Math.abs(Date.parse(seen.last_poll_at) - polledAt)).toBeLessThan(2000);
    const cli = JSON.parse((await runAdmin(['sources', 'show', 'pg-live', '--json'], env)).stdout);
    expect(cli).toMatchObject({ server_id: 'pg-live', last_poll_at: seen.last_poll_at, held_command: { command_name: 'SYNC' } });
  });
});
