/**
 * The Agent's workflows (spec/workflows/*.arazzo.yaml) as contract, run by `npm run workflows` (redocly
 * respect): they pass against the server as a child process and against `npm run mock:stateful`, and fail,
 * naming the workflow and the step, against deliberately broken servers. The mock's three curl lines run
 * one cycle, and the example Agent runs against it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SOURCE, EXAMPLE_TASK_ID } from '../../harness/fixtures.js';
import { call, commandPath } from '../../harness/http.js';
import { projectRoot, startServerProcess, startStatefulMock, type Child } from '../../harness/processes.js';
import { storeToken } from '../../harness/tokens.js';
import { openStore } from '../../server/store/index.js';

const WORKFLOWS = ['start-report-skip', 'start-report-sdk-string', 'stop-while-start-leased', 'lease-expiry-redelivers', 'unregistered-source-is-404', 'missing-token-is-401', 'token-of-another-source-is-403'];

/** Runs `npm run workflows -- …` to completion. */
function runWorkflows(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/workflows.ts', ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const tokensOf = (url: string, agent: string, admin: string) => ['--server-url', url, '--agent-token', agent, '--admin-token', admin];

describe('npm run workflows against the server as a child process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-workflows-'));
  let server: Child;
  let agent: string;
  let admin: string;

  beforeAll(async () => {
    const databaseUrl = `sqlite:${join(dir, 'sms.sqlite')}`;
    server = await startServerProcess({ DATABASE_URL: databaseUrl, LEASE_SECONDS: '2' });
    const store = await openStore(databaseUrl);
    agent = (await storeToken(store, { name: 'workflows-agent' })).secret;
    admin = (await storeToken(store, { name: 'workflows-admin', kind: 'admin' })).secret;
    await store.close();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every workflow', async () => {
    const run = await runWorkflows(tokensOf(server.baseUrl, agent, admin));
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(`${WORKFLOWS.length} of ${WORKFLOWS.length} workflows passed`);
    expect(run.out).not.toContain(agent);
    expect(run.out).not.toContain(admin);
  });
});

describe('npm run mock:stateful', () => {
  let mock: Child;
  const agent = 'dev-agent-token';
  const admin = 'dev-admin-token';
  const [AK, SK] = ['AKDEVAGENT', 'dev-secret-key'];

  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: projectRoot, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    mock = await startStatefulMock(['--lease-seconds', '2', '--agent-token', agent, '--admin-token', admin, '--access-key', `${AK}:${SK}`, '--source', 'second-source']);
  });
  afterAll(async () => mock?.stop());

  it('listens on loopback only, prints its tokens, and its three curl lines run one cycle', async () => {
    expect(mock.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const banner = mock.output();
    expect(banner).toContain(`Agent token:    ${agent}`);
    expect(banner).toContain(`admin token:    ${admin}`);
    expect(banner).toContain(`source servers: ${EXAMPLE_SOURCE}, second-source`);
    const curls = banner.split('\n').filter((l) => l.startsWith('curl '));
    expect(curls).toHaveLength(3);
    const outputs = curls.map((line) => {
      const r = spawnSync('bash', ['-c', line], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    });
    expect(outputs[0]).toMatchObject({ command_name: 'START', command_param: { task_id: EXAMPLE_TASK_ID }, state: 'pending' });
    expect(outputs[1]).toEqual({ command_name: 'START', command_param: { task_id: EXAMPLE_TASK_ID } });
    expect(outputs[2]).toEqual({});
    expect((await call(mock.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: agent })).json()).toEqual({ command_name: 'SKIP' });
  });

  it('answers like the real service: 404 for an unregistered source server, 401 for a missing or wrong token', async () => {
    const unregistered = await call(mock.baseUrl, 'GET', commandPath('never-registered'), { token: agent });
    const missing = await call(mock.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE));
    const wrong = await call(mock.baseUrl, 'GET', '/admin/v1/sources', { token: 'not-the-admin-token' });
    expect([unregistered.status, unregistered.json().error_code]).toEqual([404, 'SMS.2006']);
    expect([missing.status, missing.json().error_code]).toEqual([401, 'SMS.9001']);
    expect([wrong.status, wrong.json().error_code]).toEqual([401, 'SMS.9002']);
    expect((await call(mock.baseUrl, 'GET', commandPath('second-source'), { token: agent })).status).toBe(200);
  });

  it('passes every workflow', async () => {
    const run = await runWorkflows(tokensOf(mock.baseUrl, agent, admin));
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(`${WORKFLOWS.length} of ${WORKFLOWS.length} workflows passed`);
  });

  it('runs the example Agent: it takes the queued command, reports it, and stops at SKIP', async () => {
    const queued = await call(mock.baseUrl, 'POST', `/admin/v1/sources/${EXAMPLE_SOURCE}/commands`, { token: admin, json: { command_name: 'SYNC', command_param: { task_id: 'agent-task', bucket: 'logs' } } });
    expect(queued.status).toBe(201);
    const run = spawnSync('npm', ['run', '-s', 'agent', '--', '--base-url', mock.baseUrl, '--server-id', EXAMPLE_SOURCE, '--token', agent, '--once', '--interval-ms', '0'], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('would synchronize increments');
    const results = (await call(mock.baseUrl, 'GET', `/admin/v1/sources/${EXAMPLE_SOURCE}/results?limit=1`, { token: admin })).json();
    expect(results.results[0]).toMatchObject({ command_name: 'SYNC', result: 'success', command_id: queued.json().command_id, result_detail: { task_id: 'agent-task', bucket: 'logs' } });
  });

  it('runs the example Agent with an access key: every request signed, the queued command reported', async () => {
    const queued = await call(mock.baseUrl, 'POST', `/admin/v1/sources/${EXAMPLE_SOURCE}/commands`, { token: admin, json: { command_name: 'STOP', command_param: { task_id: 'signed-task' } } });
    expect(queued.status).toBe(201);
    const run = spawnSync('npm', ['run', '-s', 'agent', '--', '--base-url', mock.baseUrl, '--server-id', EXAMPLE_SOURCE, '--access-key', AK, '--secret-key', SK, '--once', '--interval-ms', '0'], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('would stop migrating');
    const results = (await call(mock.baseUrl, 'GET', `/admin/v1/sources/${EXAMPLE_SOURCE}/results?limit=1`, { token: admin })).json();
    expect(results.results[0]).toMatchObject({ command_name: 'STOP', result: 'success', command_id: queued.json().command_id });
    const wrong = spawnSync('npm', ['run', '-s', 'agent', '--', '--base-url', mock.baseUrl, '--server-id', EXAMPLE_SOURCE, '--access-key', AK, '--once'], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('--access-key and --secret-key');
  });
});

describe('npm run workflows against a deliberately broken server', () => {
  let mock: Child;
  let proxy: Server;
  let proxyUrl: string;
  let breakage: 'drops-task-id' | 'skips-while-leased' = 'drops-task-id';

  beforeAll(async () => {
    mock = await startStatefulMock(['--lease-seconds', '2', '--agent-token', 'a-token', '--admin-token', 'b-token']);
    // A proxy in front of the mock that breaks one thing of ShowCommand's answers.
    proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const upstream = await fetch(`${mock.baseUrl}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)) as Array<[string, string]>),
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      let text = await upstream.text();
      if (req.method === 'GET' && /\/command$/.test(req.url ?? '') && upstream.status === 200) {
        const command = JSON.parse(text) as { command_name: string; command_param?: { task_id?: string } };
        if (breakage === 'drops-task-id') delete command.command_param?.task_id;
        if (breakage === 'skips-while-leased' && command.command_name === 'STOP') text = JSON.stringify({ command_name: 'SKIP' });
        else text = JSON.stringify(command);
      }
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json', 'X-Request-Id': upstream.headers.get('x-request-id') ?? 'r' });
      res.end(text);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise((r) => proxy?.close(r));
    await mock?.stop();
  });

  it('exits 1 naming the workflow and the step when the poll loses its task_id', async () => {
    breakage = 'drops-task-id';
    const run = await runWorkflows([...tokensOf(proxyUrl, 'a-token', 'b-token'), '--workflow', 'start-report-skip', '--workflow', 'unregistered-source-is-404']);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toContain('1 of 2 workflows passed');
    expect(run.out).toMatch(/FAIL command-cycle\.arazzo\.yaml workflow start-report-skip, step poll-start: .*command_param\/task_id == 'xxxxxxxxxxxxxxxxxxxxxxxx00000001'/);
  });

  it('exits 1 naming the workflow and the step when STOP is not delivered while START is leased', async () => {
    breakage = 'skips-while-leased';
    const run = await runWorkflows([...tokensOf(proxyUrl, 'a-token', 'b-token'), '--workflow', 'stop-while-start-leased']);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toMatch(/FAIL stop-while-start\.arazzo\.yaml workflow stop-while-start-leased, step poll-stop: .*command_name == 'STOP'/);
  });

  it('exits 2 with usage when an argument is missing, and names a workflow that does not exist', async () => {
    const missing = await runWorkflows(['--server-url', proxyUrl]);
    expect([missing.code, missing.out.includes('usage: npm run workflows')]).toEqual([2, true]);
    const unknown = await runWorkflows([...tokensOf(proxyUrl, 'a', 'b'), '--workflow', 'no-such-workflow']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('no workflow no-such-workflow in spec/workflows/');
  });
});
