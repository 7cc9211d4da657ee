/**
 * scripts/signed-request.ts (`npm run signed`) and the README's signed walkthrough, run as written in bash
 * against the server as a process on a SQLite file with nothing set up (the sealing key file is made by
 * `keys create`): the signed poll hands out the queued STOP, the signed report is stored; a wrong SK is a
 * 401 and exit code 1; missing keys are a usage error.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runAdmin, startServerProcess, type Child } from '../../harness/processes.js';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';

const run = promisify(execFile);

/** The README's signed walkthrough: the sh block after "The same loop signed with an access key". */
function readmeSignedBlock(): string {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf('**The same loop signed with an access key**'));
  return /```sh\n([\s\S]*?)```/.exec(after)?.[1] as string;
}

describe('npm run signed and the README signed walkthrough', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-signed-readme-'));
  const env = { DATABASE_URL: `sqlite:${join(dir, 'sms.sqlite')}` };
  let server: Child;

  beforeAll(async () => {
    server = await startServerProcess(env);
    expect((await runAdmin(['sources', 'add', EXAMPLE_SOURCE, '--name', 'web-01'], env)).code).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written: the signed poll gets the STOP queued, the signed report is stored', async () => {
    const block = readmeSignedBlock().replaceAll('http://127.0.0.1:8080', server.baseUrl);
    expect(block).toContain('keys create');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block], { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 120_000 });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('{"command_name":"STOP","command_param":{}}');
    expect(lines.at(-1)).toBe('{}');
    expect(existsSync(join(dir, 'sms.sqlite.sealing-keys'))).toBe(true);
    const results = await runAdmin(['results', 'list', EXAMPLE_SOURCE], env);
    expect(results.stdout).toMatch(/STOP\s+success\s+\{"msg":"xxx"\}/);
  }, 180_000);

  it('exits 1 with the 401 for a wrong SK, and 2 with what to set when the keys are missing', async () => {
    const created = await runAdmin(['keys', 'create', '--name', 'wrong-sk'], env);
    const [ak] = created.stdout.trim().split('\n').slice(-2) as [string, string];
    const script = ['--import', 'tsx', 'scripts/signed-request.ts', `${server.baseUrl}/v3/sources/${EXAMPLE_SOURCE}/command`];
    const wrong = await run(process.execPath, script, { cwd: projectRoot, env: { ...process.env, SMS_ACCESS_KEY: ak, SMS_SECRET_KEY: 'wrong' } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(wrong).toMatchObject({ code: 1 });
    expect((wrong as { stdout: string }).stdout).toContain('"error_code":"SMS.9009"');
    expect((wrong as { stderr: string }).stderr).toContain('401 Unauthorized');
    const missing = await run(process.execPath, script, { cwd: projectRoot, env: { ...process.env, SMS_ACCESS_KEY: '', SMS_SECRET_KEY: '' } }).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 2 });
    expect((missing as { stderr: string }).stderr).toContain('SMS_ACCESS_KEY and SMS_SECRET_KEY');
  }, 60_000);
});
