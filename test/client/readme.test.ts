/** The README's consumer snippet (under ten lines, against `npm run mock`) runs as written. */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startPrism, type Child } from '../support/processes.js';

describe('README client snippet', () => {
  let mock: Child;
  const file = join(projectRoot, 'test', 'client', `.readme-snippet-${process.pid}.mts`);
  beforeAll(async () => {
    mock = await startPrism({ kind: 'mock' });
  });
  afterAll(async () => {
    rmSync(file, { force: true });
    await mock?.stop();
  });

  it('is under ten lines and prints the seed command from the mock', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The client, for Agent developers'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(snippet.trim().split('\n').length).toBeLessThan(10);
    expect(snippet).toContain("from 'sms-command-client'");
    const runnable = snippet.replace("'sms-command-client'", `'${join(projectRoot, 'client', 'src', 'index.ts')}'`).replace('http://127.0.0.1:4010', mock.baseUrl);
    writeFileSync(file, runnable);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: projectRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("command_name: 'START'");
    expect(r.stdout).toContain('xxxxxxxxxxxxxxxxxxxxxxxx00000001');
  });
});
