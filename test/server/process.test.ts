/**
 * The server as a real process (as `npm start` runs it): durability across SIGKILL, clean SIGTERM
 * shutdown, configuration errors, health, spec and docs endpoints, and the admin CLI end to end.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
  const env = { DATABASE_URL: `sqlite:${join(dir, 'sms.sqlite')}`, LIVENESS_FLUSH_MS: '100' };
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
    const page = JSON.parse(results.stdout) as { results: Array<Record<string, unknown>>; next_cursor: string | null };
    expect(page.results).toHaveLength(1);
    expect(page.results[0]).toMatchObject({ command_name: 'START', result: 'success', result_detail: { msg: 'xxx' }, unsolicited: false, request_id: reported.headers.get('x-request-id') });
    const commands = JSON.parse((await runAdmin(['commands', 'list', EXAMPLE_SOURCE, '--json'], env)).stdout) as { commands: Array<Record<string, unknown>> };
    expect(commands.commands[0]).toMatchObject({ command_name: 'START', state: 'done', deliveries: 1 });
    // the server writes the poll within LIVENESS_FLUSH_MS (100 ms here); the CLI, another process, reads it
    await expect
      .poll(async () => JSON.parse((await runAdmin(['sources', 'list', '--json'], env)).stdout).sources, { timeout: 5000, interval: 200 })
      .toEqual([expect.objectContaining({ server_id: EXAMPLE_SOURCE, name: 'web-01', last_poll_at: expect.any(String), last_report_at: expect.any(String), held_command: null })]);
    const table = await runAdmin(['tokens', 'list'], env);
    expect(table.stdout).toContain('active');
    expect(table.stdout).not.toContain(token);

    const tokenId = (JSON.parse((await runAdmin(['tokens', 'list', '--json'], env)).stdout) as { tokens: Array<{ token_id: string }> }).tokens[0]?.token_id as string;
    expect((await runAdmin(['tokens', 'revoke', tokenId], env)).code).toBe(0);
    // The server caches token lookups; it sees the revocation within CACHE_REFRESH_MS (100 ms by default).
    await expect.poll(async () => (await call(server!.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token })).status, { timeout: 1000, interval: 20 }).toBe(401);
  });

  it('writes a request\'s log line within a second at low traffic, not only when 4 KiB of lines have gathered', async () => {
    const r = await call(server!.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE));
    expect(r.status).toBe(401);
    const requestId = r.headers.get('x-request-id') as string;
    await expect.poll(() => server!.output().includes(requestId), { timeout: 3000, interval: 50 }).toBe(true);
    const line = server!.output().split('\n').find((l) => l.includes(requestId)) as string;
    expect(JSON.parse(line)).toMatchObject({ msg: 'request', status: 401, errorCode: 'SMS.9001', method: 'GET' });
  });

  it('admin CLI errors go to stderr with exit code 1 (every error: admin/program.test.ts)', async () => {
    const unknown = await runAdmin(['commands', 'enqueue', 'no-such-source', 'START'], env);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('admin: Source server no-such-source is not registered');
    const badName = await runAdmin(['commands', 'enqueue', EXAMPLE_SOURCE, 'REBOOT'], env);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('START, STOP, DELETE, SYNC');
  });

  it('admin backup copies the database while the server takes reports, and a server started on the copy serves it', async () => {
    const created = await runAdmin(['tokens', 'create', '--name', 'agent-backup', '--source', EXAMPLE_SOURCE], env);
    const token = created.stdout.trim().split('\n').at(-1) as string;
    const report = { command_name: 'SYNC', result: 'success', result_detail: { msg: 'during the backup' } };
    const post = async () => (await call(server!.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token, json: report })).status;
    expect(await post()).toBe(200);
    const live = await openStore(env.DATABASE_URL, { create: false });
    const before = (await live.listResults(EXAMPLE_SOURCE)).length;
    await live.close();
    // reports keep arriving (and being acknowledged) for as long as the backup runs
    let running = true;
    const acknowledged: number[] = [];
    const load = (async () => {
      while (running) acknowledged.push(...(await Promise.all(Array.from({ length: 10 }, post))));
    })();
    const copyFile = join(dir, 'backups', 'sms-copy.sqlite');
    mkdirSync(join(dir, 'backups'));
    const backup = await runAdmin(['backup', copyFile], env);
    running = false;
    await load;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain('backup: 100% (');
    expect(backup.stdout).toMatch(new RegExp(`^backed up \\d+ pages \\(\\d+\\.\\d MiB\\) to ${copyFile}\\n$`));
    expect(acknowledged.every((status) => status === 200)).toBe(true);

    // the copy holds every report acknowledged before the backup started; a server on it takes the same token
    const restored = await startServerProcess({ DATABASE_URL: `sqlite:${copyFile}` });
    try {
      const polled = await call(restored.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token });
      expect(polled.status).toBe(200);
      const copy = await openStore(`sqlite:${copyFile}`, { create: false });
      const held = await copy.listResults(EXAMPLE_SOURCE);
      await copy.close();
      expect(held.length).toBeGreaterThanOrEqual(before);
      expect(held.length).toBeLessThanOrEqual(before + acknowledged.length);
    } finally {
      await restored.stop();
    }

    const again = await runAdmin(['backup', copyFile], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists: a backup never overwrites a file');
    const postgres = await runAdmin(['backup', join(dir, 'pg.sqlite')], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toContain('DATABASE_URL names PostgreSQL: back it up with pg_dump');
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

  it('refuses a bad configuration with exit code 1 and the ConfigError on stderr (every rule: config.test.ts)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: projectRoot, env: { ...process.env, ...env, PORT: 'eighty' }, encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('configuration error: PORT must be a whole number from 0 to 65535 (got "eighty")');
  });
});
