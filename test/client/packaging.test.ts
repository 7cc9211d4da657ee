/**
 * The client installs on its own: `npm pack` it, install the tarball into an empty folder, compile a
 * consumer under `tsc --strict`, load it at runtime, and find no server or dev dependency in the tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../harness/processes.js';

const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { ...r, all: `${r.stdout}\n${r.stderr}` };
};

const consumer = `
import { createSmsClient, runAgent, SmsApiError, SmsForbiddenError, type Command, type CommandBody } from 'sms-command-client';

const client = createSmsClient({ baseUrl: 'http://127.0.0.1:4010', token: async () => 'token', timeoutMs: 5000 });

export async function once(): Promise<string> {
  const command: Command = await client.showCommand('f32ab4d6-d150-4fb3-aa55-edbb5cf9947f');
  const report: CommandBody = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } };
  // @ts-expect-error the spec only allows success | fail
  const wrong: CommandBody = { command_name: 'START', result: 'SUCCESS', result_detail: {} };
  void wrong;
  try {
    await client.updateCommandResult('f32ab4d6-d150-4fb3-aa55-edbb5cf9947f', report);
  } catch (err) {
    if (err instanceof SmsForbiddenError) return err.encodedAuthorizationMessage ?? '';
    if (err instanceof SmsApiError) return \`\${err.status} \${err.errorCode} \${err.requestId}\`;
    throw err;
  }
  return command.command_name;
}

export const agent = (signal: AbortSignal) =>
  runAgent({ client, serverId: 's', signal, handlers: { START: (p) => ({ task: p.task_id ?? null }) } });
`;

describe('client package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-client-pack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs, installs alone, compiles under tsc --strict and loads', () => {
    const packed = run('npm', ['pack', '--pack-destination', dir, '--json'], join(projectRoot, 'client'));
    expect(packed.status, packed.all).toBe(0);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/generated/schema.d.ts');
    expect(files.filter((f) => f.startsWith('dist/client/'))).toEqual([]); // built from its own folder, not the repository root
    expect(files.filter((f) => f.includes('examples') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);

    const app = join(dir, 'consumer');
    spawnSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const installed = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, info[0]!.filename)], app);
    expect(installed.status, installed.all).toBe(0);

    writeFileSync(join(app, 'consumer.ts'), consumer);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [], outDir: 'out', skipLibCheck: false }, files: ['consumer.ts'] }),
    );
    const tsc = run(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app);
    expect(tsc.status, tsc.all).toBe(0);
    const loaded = run(process.execPath, ['-e', "import('./out/consumer.js').then(m => console.log(typeof m.once, typeof m.agent))"], app);
    expect(loaded.stdout.trim(), loaded.all).toBe('function function');

    const tree = readdirSync(join(app, 'node_modules')).filter((d) => !d.startsWith('.'));
    expect(tree.sort()).toEqual(['openapi-fetch', 'openapi-typescript-helpers', 'sms-command-client']);
    for (const forbidden of ['express', 'better-sqlite3', 'pg', 'pino', 'vitest', 'typescript', '@redocly', '@stoplight', 'express-openapi-validator']) {
      expect(tree).not.toContain(forbidden);
    }
  });
});
