/**
 * The server as production runs it: `npm run build` compiles it with tsc, and `npm start` runs
 * `node dist/server/main.js` with no tsx in the process, serving the contract, /docs (every contract, with
 * both changelogs), /metrics (with the process metrics) and /readyz.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';
import { call, commandPath } from '../../harness/http.js';
import { projectRoot, startCompiledServer, startScriptArgs, type Child } from '../../harness/processes.js';

const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };

describe('the compiled server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-compiled-'));
  let server: Child;
  let startupMs: number;

  beforeAll(async () => {
    const built = spawnSync('npm', ['run', '-s', 'build'], { cwd: projectRoot, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const t0 = performance.now();
    server = await startCompiledServer({ DATABASE_URL: `sqlite:${join(dir, 'sms.sqlite')}` });
    startupMs = performance.now() - t0;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is what npm start runs: node dist/server/main.js (young generation capped, old generation grown by half its live size: see docs/performance.md), no tsx in the process or in the production dependencies', () => {
    expect(pkg.scripts.start).toBe('node --max-semi-space-size=4 --heap-growing-percent=50 dist/server/main.js');
    expect(startScriptArgs()).toEqual(['--max-semi-space-size=4', '--heap-growing-percent=50', 'dist/server/main.js']);
    const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(cmdline.slice(1)).toEqual(['--max-semi-space-size=4', '--heap-growing-percent=50', 'dist/server/main.js']);
    const maps = readFileSync(`/proc/${server.pid}/maps`, 'utf8');
    expect(maps).not.toContain('esbuild');
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(lock.packages['node_modules/tsx']?.dev).toBe(true);
    expect(lock.packages['node_modules/esbuild']?.dev).toBe(true);
    expect(pkg.scripts.dev).toBe('tsx watch server/main.ts');
    console.log(`compiled server: spawn to listening in ${startupMs.toFixed(0)} ms`);
  });

  it('serves the contract, /readyz, /docs with every contract and both changelogs, and /metrics with the process metrics', async () => {
    const denied = await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE));
    expect([denied.status, denied.json().error_code]).toEqual([401, 'SMS.9001']);
    expect((await call(server.baseUrl, 'GET', '/readyz')).status).toBe(200);
    const docs = await call(server.baseUrl, 'GET', '/docs');
    expect(docs.status).toBe(200);
    for (const text of ['ShowCommand', 'UpdateCommandResult', 'Agent API changelog', 'Admin API changelog']) expect(docs.text).toContain(text);
    const metrics = await call(server.baseUrl, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds', 'sms_http_requests_total{operation="ShowCommand",status="401"} 1', 'sms_commands{state="pending"} 0']) {
      expect(metrics.text).toContain(name);
    }
  });
});
