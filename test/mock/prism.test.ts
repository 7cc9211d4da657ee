/**
 * The Prism mock (`npm run mock`), one instance for every check of it: the contract suite's shape checks,
 * the spec's examples, the client against it, and the README's client snippet as written.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SmsApiError, createSmsClient } from '../../client/src/index.js';
import { EXAMPLE_REPORT, EXAMPLE_SOURCE, EXAMPLE_TASK_ID, UNREGISTERED_SOURCE } from '../../harness/fixtures.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { projectRoot, startPrism, type Child } from '../../harness/processes.js';
import { bundled, contractProblems } from '../../harness/spec.js';
import { contractSuite } from '../contract/suite.js';

type J = Record<string, any>;
const examples = (bundled as J).paths['/v3/sources/{server_id}/command'].get.responses['200'].content['application/json'].examples as J;

let started: Promise<Child> | undefined;
/** The one mock of this file, started on first use. */
const mock = (): Promise<Child> => (started ??= startPrism({ kind: 'mock' }));
afterAll(async () => void (await (await started)?.stop()));

contractSuite({
  name: 'prism mock',
  open: async () => ({
    target: {
      name: 'prism-mock',
      baseUrl: (await mock()).baseUrl,
      serverId: EXAMPLE_SOURCE,
      token: 'any-token',
      unregisteredServerId: UNREGISTERED_SOURCE,
      prefersCode: true,
    },
    close: async () => {},
  }),
});

describe('prism mock: the spec examples', () => {
  it('answers ShowCommand with the seed example', async () => {
    const r = await call((await mock()).baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: 'any' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ command_name: 'START', command_param: { task_id: EXAMPLE_TASK_ID } });
    expect(contractProblems('ShowCommand', r)).toEqual([]);
  });

  it('answers a request without a token with 401 in the spec error shape', async () => {
    const r = await call((await mock()).baseUrl, 'GET', commandPath(EXAMPLE_SOURCE));
    expect(r.status).toBe(401);
    expect(contractProblems('ShowCommand', r)).toEqual([]);
    expect(r.json().error_code).toBe('SMS.9001');
  });

  it('answers Prefer: code=403 with the seed 403 body, and UpdateCommandResult with {}', async () => {
    const { baseUrl } = await mock();
    const r = await call(baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { token: 'any', headers: { Prefer: 'code=403' } });
    expect(r.status).toBe(403);
    expect(r.json().error_code).toBe('SMS.9004');
    const ok = await call(baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: 'any', json: EXAMPLE_REPORT });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({});
  });
});

describe('prism mock: the client', () => {
  it('showCommand returns the spec example; updateCommandResult resolves on the example 200', async () => {
    const client = createSmsClient({ baseUrl: (await mock()).baseUrl, token: 'any' });
    expect(await client.showCommand(EXAMPLE_SOURCE)).toEqual(examples.Start.value);
    await expect(client.updateCommandResult(EXAMPLE_SOURCE, EXAMPLE_REPORT)).resolves.toBeUndefined();
  });

  it('named examples and error examples come through the raw client and the error classes', async () => {
    const { baseUrl } = await mock();
    const client = createSmsClient({ baseUrl, token: 'any' });
    const skip = await client.raw.GET('/v3/sources/{server_id}/command', { params: { path: { server_id: 's' } }, headers: { Prefer: 'example=Skip' } });
    expect(skip.data).toEqual(examples.Skip.value);
    const forbidden = createSmsClient({
      baseUrl,
      token: 'any',
      fetch: (input, init) => {
        const request = new Request(input, init);
        request.headers.set('Prefer', 'code=403');
        return fetch(request);
      },
    });
    const err = await forbidden.showCommand('s').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsApiError);
    expect(err).toMatchObject({ status: 403, errorCode: 'SMS.9004', encodedAuthorizationMessage: 'XXXXXX' });
  });
});

describe('prism mock: the README client snippet', () => {
  const file = join(projectRoot, 'test', 'mock', `.readme-snippet-${process.pid}.mts`);
  afterAll(() => rmSync(file, { force: true }));

  it('is under ten lines and prints the seed command from the mock', async () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The client, for Agent developers'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(snippet.trim().split('\n').length).toBeLessThan(10);
    expect(snippet).toContain("from 'sms-command-client'");
    const runnable = snippet.replace("'sms-command-client'", `'${join(projectRoot, 'client', 'src', 'index.ts')}'`).replace('http://127.0.0.1:4010', (await mock()).baseUrl);
    writeFileSync(file, runnable);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: projectRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("command_name: 'START'");
    expect(r.stdout).toContain(EXAMPLE_TASK_ID);
  });
});
