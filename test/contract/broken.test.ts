/**
 * The suite catches a server that breaks the contract: run against deliberately broken apps, it fails with
 * messages naming the operation, the status and the field.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCases, runCase } from '../../contract/cases.js';
import type { ContractTarget } from '../../contract/target.js';

type Breakage = 'none' | 'missing-field' | 'wrong-status' | 'html-error' | 'undocumented-status' | 'no-request-id';

/** A tiny imitation of the API with one deliberate contract violation. */
function brokenApp(breakage: Breakage): express.Express {
  const app = express();
  app.use((_req, res, next) => {
    if (breakage !== 'no-request-id') res.setHeader('X-Request-Id', 'req-1');
    next();
  });
  app.use(express.json());
  const unauthorized = (res: express.Response) => {
    if (breakage === 'html-error') return res.status(401).type('html').send('<html><body><h1>401 Unauthorized</h1></body></html>');
    return res.status(401).json({ error_code: 'SMS.9001', error_msg: 'missing token' });
  };
  app.get('/v3/sources/:id/command', (req, res) => {
    if (!req.get('x-auth-token')) return unauthorized(res);
    if (breakage === 'missing-field') return res.json({ command_param: { task_id: 't' } });
    return res.json({ command_name: 'SKIP' });
  });
  app.post('/v3/sources/:id/command_result', (req, res) => {
    if (!req.get('x-auth-token')) return unauthorized(res);
    if (req.body?.result !== 'success' && req.body?.result !== 'fail') {
      if (breakage === 'wrong-status') return res.status(500).json({ error_code: 'SMS.2007', error_msg: 'oops' });
      if (breakage === 'undocumented-status') return res.status(422).json({ error_code: 'SMS.2001', error_msg: 'invalid' });
      return res.status(400).json({ error_code: 'SMS.2001', error_msg: 'invalid' });
    }
    return res.json({});
  });
  return app;
}

async function problemsOf(breakage: Breakage, caseName: RegExp): Promise<string[]> {
  const server: Server = await new Promise((resolve) => {
    const s = brokenApp(breakage).listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const target: ContractTarget = {
      name: `broken-${breakage}`,
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      serverId: 's',
      token: 't',
      unregisteredServerId: 'u',
    };
    const c = contractCases.find((x) => caseName.test(x.name));
    if (!c) throw new Error(`no case ${caseName}`);
    return (await runCase(c, target)).problems;
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe('the contract suite against deliberately broken servers', () => {
  it('names operation, status and field when a 200 body misses a required field', async () => {
    const problems = await problemsOf('missing-field', /answers a valid poll/);
    expect(problems.join('\n')).toMatch(/ShowCommand 200: body .*command_name/);
  });

  it('fails when the server answers 500 instead of 400', async () => {
    const problems = await problemsOf('wrong-status', /result "SUCCESS" is 400/);
    expect(problems.join('\n')).toContain('UpdateCommandResult: expected 400 for result SUCCESS, got 500');
  });

  it('fails on an HTML error page, naming the content type', async () => {
    const problems = await problemsOf('html-error', /ShowCommand without X-Auth-Token/);
    expect(problems.join('\n')).toMatch(/ShowCommand 401: content type "text\/html.*" is not one of application\/json/);
  });

  it('fails on an undocumented status', async () => {
    const problems = await problemsOf('undocumented-status', /result "SUCCESS" is 400/);
    expect(problems.join('\n')).toContain('UpdateCommandResult 422: status 422 is not documented');
  });

  it('fails when X-Request-Id is missing', async () => {
    const problems = await problemsOf('no-request-id', /stores the seed example/);
    expect(problems.join('\n')).toContain('UpdateCommandResult 200: header X-Request-Id is missing');
  });

  it('passes the same cases against the unbroken imitation (the failures above come from the breakage)', async () => {
    for (const name of [/answers a valid poll/, /result "SUCCESS" is 400/, /ShowCommand without X-Auth-Token/, /stores the seed example/]) {
      expect(await problemsOf('none', name), String(name)).toEqual([]);
    }
  });
});

const runCli = async (args: string[]) => {
  const { spawn } = await import('node:child_process');
  const { projectRoot } = await import('../../harness/processes.js');
  return new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'contract/cli.ts', ...args], { cwd: projectRoot });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', (code) => resolve({ code, text }));
  });
};

describe('npm run contract', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = await new Promise((resolve) => {
      const s = brokenApp('missing-field').listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('exits 1 with a readable report against a broken deployment', async () => {
    const out = await runCli(['--base-url', baseUrl, '--token', 't', '--server-id', 's']);
    expect(out.code, out.text).toBe(1);
    expect(out.text).toContain('✗ FAIL  ShowCommand 200');
    expect(out.text).toMatch(/ShowCommand 200: body .*command_name/);
    expect(out.text).toMatch(/\d+ passed, [1-9]\d* failed, \d+ skipped/);
  });
});

describe('npm run contract against the real server', () => {
  it('exits 0 with every case passing', async () => {
    const { startInProcess } = await import('../../harness/inProcess.js');
    const server = await startInProcess();
    try {
      await server.addSource('contract-src');
      await server.addSource('elsewhere');
      const token = (await server.token()).secret;
      const forbidden = (await server.token({ sources: ['elsewhere'] })).secret;
      const admin = (await server.token({ kind: 'admin' })).secret;
      const agentOnly = await runCli(['--base-url', server.baseUrl, '--token', token, '--server-id', 'contract-src', '--forbidden-token', forbidden]);
      expect(agentOnly.code, agentOnly.text).toBe(0);
      expect(agentOnly.text).toMatch(/\b1[0-9] passed, 0 failed, [1-9][0-9] skipped/);
      expect(agentOnly.text).toContain('lacks admin');
      const out = await runCli(['--base-url', server.baseUrl, '--token', token, '--server-id', 'contract-src', '--forbidden-token', forbidden, '--admin-token', admin]);
      expect(out.code, out.text).toBe(0);
      expect(out.text).toMatch(/\b3[0-9] passed, 0 failed, [0-9] skipped/);
      expect(out.text).toContain('✓ pass  CreateCommand 201');
      expect(out.text).not.toContain(token);
      expect(out.text).not.toContain(admin);
    } finally {
      await server.close();
    }
  });

  it('exits 2 with usage when arguments are missing', async () => {
    const out = await runCli(['--base-url', 'http://127.0.0.1:9']);
    expect(out.code).toBe(2);
    expect(out.text).toContain('usage: npm run contract');
  });
});
