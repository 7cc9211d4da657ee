/**
 * The server as a real process (as `npm start` runs it): durability across SIGKILL, clean SIGTERM
 * shutdown, configuration errors, health, spec and docs endpoints, and the admin CLI end to end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/index.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { projectRoot, runAdmin, startServerProcess, type Child } from '../../harness/processes.js';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';


describe('server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-proc-'));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'sms.sqlite')}` };
  let server: Child | undefined;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('admin CLI end to end against a running server: register, issue token, enqueue, poll, report, list', async () => {
    server = await startServerProcess(env);
    expect((await runAdmin(['sources', 'add', EXAMPLE_SOURCE, '--name', 'web-01'], env)).code).toBe(0);
    const created = await runAdmin(['tokens', 'create', '--name', 'agent', '--source', EXAMPLE_SOURCE], env);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1) as string;
    expect(token).toMatch(/^sms_/);
    const queued = await runAdmin(['commands', 'enqueue', EXAMPLE_SOURCE, 'START', '--task-id', 'xxxxxxxxxxxxxxxxxxxxxxxx00000001'], env);
    expect(queued.code, queued.stderr).toBe(0);

    const polled = await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token });
    expect(polled.json()).toEqual({ command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } });
    const reported = await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token, json: { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } } });
    expect(reported.status).toBe(200);

    const results = await runAdmin(['results', 'list', EXAMPLE_SOURCE, '--json'], env);
    expect(results.code).toBe(0);
    const rows = JSON.parse(results.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ command: 'START', result: 'success', result_detail: { msg: 'xxx' }, unsolicited: false, request_id: reported.headers.get('x-request-id') });
    const commands = JSON.parse((await runAdmin(['commands', 'list', EXAMPLE_SOURCE, '--json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(commands[0]).toMatchObject({ command: 'START', state: 'done', deliveries: 1 });
    const sources = JSON.parse((await runAdmin(['sources', 'list', '--json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(sources).toEqual([expect.objectContaining({ server_id: EXAMPLE_SOURCE, name: 'web-01' })]);
    const table = await runAdmin(['tokens', 'list'], env);
    expect(table.stdout).toContain('active');
    expect(table.stdout).not.toContain(token);

    const tokenId = (JSON.parse((await runAdmin(['tokens', 'list', '--json'], env)).stdout) as Array<{ token_id: string }>)[0]?.token_id as string;
    expect((await runAdmin(['tokens', 'revoke', tokenId], env)).code).toBe(0);
    // The server caches token lookups; it sees the revocation within CACHE_REFRESH_MS (100 ms by default).
    await expect.poll(async () => (await call(server!.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token })).status, { timeout: 1000, interval: 20 }).toBe(401);
  });

  it('admin CLI errors go to stderr with exit code 1', async () => {
    const unknown = await runAdmin(['commands', 'enqueue', 'no-such-source', 'START'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('not registered');
    const badName = await runAdmin(['commands', 'enqueue', EXAMPLE_SOURCE, 'REBOOT'], env);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('START, STOP, DELETE, SYNC');
    const badId = await runAdmin(['sources', 'add', 'x'.repeat(37)], env);
    expect(badId.code).toBe(1);
    const dup = await runAdmin(['sources', 'add', EXAMPLE_SOURCE], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already registered');
    const revoke = await runAdmin(['tokens', 'revoke', 'tok_nope'], env);
    expect(revoke.code).toBe(1);
    const listUnknown = await runAdmin(['results', 'list', 'no-such-source'], env);
    expect(listUnknown.code).toBe(1);
    const badExpiry = await runAdmin(['tokens', 'create', '--name', 'x', '--expires-in', 'soon'], env);
    expect(badExpiry.code).toBe(1);
    expect(badExpiry.stderr).toContain('30d');
  });

  it('serves /healthz, /openapi.json and /docs beside the contract', async () => {
    const health = await call(server!.baseUrl, 'GET', '/healthz');
    expect(health.json()).toEqual({ status: 'ok', database: 'sqlite', readCache: { epoch: expect.any(Number), checkedMsAgo: expect.any(Number) } });
    expect(health.json().readCache.checkedMsAgo).toBeLessThan(1000); // checked every CACHE_REFRESH_MS (100 ms)
    const spec = await call(server!.baseUrl, 'GET', '/openapi.json');
    expect(spec.json().openapi).toBe('3.1.0');
    const docs = await call(server!.baseUrl, 'GET', '/docs');
    expect([200, 404]).toContain(docs.status);
    if (docs.status === 200) expect(docs.text).toContain('ShowCommand');
  });

  it('a report acknowledged with 200 survives SIGKILL and restart', async () => {
    const created = await runAdmin(['tokens', 'create', '--name', 'durable'], env);
    const token = created.stdout.trim().split('\n').at(-1) as string;
    const acked: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await call(server!.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token, json: { command_name: 'SYNC', result: 'success', result_detail: { n: i } } });
      if (r.status === 200) acked.push(r.headers.get('x-request-id') as string);
    }
    expect(acked).toHaveLength(25);
    await server!.stop('SIGKILL');
    server = await startServerProcess(env);
    const store = await openStore(env.DATABASE_URL);
    const stored = new Set((await store.listResults(EXAMPLE_SOURCE)).map((r) => r.requestId));
    await store.close();
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
  });

  it('stops cleanly on SIGTERM: exit code 0, database closed', async () => {
    const code = await server!.stop('SIGTERM');
    expect(code).toBe(0);
    expect(server!.output()).toContain('"msg":"stopped"');
    server = undefined;
  });

  it('CACHE_REFRESH_MS=0 turns the read cache off', async () => {
    const plain = await startServerProcess({ ...env, CACHE_REFRESH_MS: '0' });
    try {
      expect((await call(plain.baseUrl, 'GET', '/healthz')).json()).toEqual({ status: 'ok', database: 'sqlite', readCache: null });
    } finally {
      await plain.stop();
    }
  });

  it('refuses a bad configuration with exit code 1 and a clear message', () => {
    for (const [name, value, expected] of [
      ['PORT', 'eighty', 'PORT must be a whole number'],
      ['LEASE_SECONDS', '0', 'LEASE_SECONDS must be a whole number from 1'],
      ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be sqlite:PATH'],
      ['VALIDATE_RESPONSES', 'maybe', 'VALIDATE_RESPONSES must be true or false'],
      ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of'],
      ['BODY_LIMIT_BYTES', '-5', 'BODY_LIMIT_BYTES must be a whole number'],
      ['CACHE_REFRESH_MS', '100000', 'CACHE_REFRESH_MS must be a whole number from 0 to 60000'],
    ] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: projectRoot, env: { ...process.env, ...env, [name]: value }, encoding: 'utf8', timeout: 20000 });
      expect(r.status, `${name}=${value}`).toBe(1);
      expect(r.stderr).toContain(expected);
    }
  });
});
