/**
 * server/mock/service.ts in-process: the stateful mock `npm run mock:stateful` starts (its process is tested
 * in test/workflows/workflows.test.ts). The tokens it is given, the source servers it registers, the cycle
 * its banner prints, and closing.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TOKEN_LENGTH } from '../../../server/auth.js';
import { banner, checkFixedToken, EXAMPLE_SOURCE_SERVER, startMock, type RunningMock } from '../../../server/mock/service.js';
import { call } from '../../../harness/http.js';
import { createSmsClient } from '../../../client/src/index.js';

const quiet = pino({ level: 'silent' });

describe('stateful mock service', () => {
  let mock: RunningMock | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  it('registers the example and the given source servers once each, with the tokens it was given', async () => {
    mock = await startMock({ port: 0, sources: ['web-01', EXAMPLE_SOURCE_SERVER, 'web-01'], agentToken: 'agent-secret', adminToken: 'admin-secret', leaseSeconds: 7, logger: quiet });
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.sources).toEqual([EXAMPLE_SOURCE_SERVER, 'web-01']);
    expect([mock.agentToken, mock.adminToken, mock.leaseSeconds]).toEqual(['agent-secret', 'admin-secret', 7]);
    const listed = (await call(mock.url, 'GET', '/admin/v1/sources', { token: 'admin-secret' })).json();
    expect(listed.sources.map((s: { server_id: string; name: string | null }) => [s.server_id, s.name])).toEqual([
      [EXAMPLE_SOURCE_SERVER, 'the docs example'],
      ['web-01', null],
    ]);
    // each token does its own job only
    expect((await call(mock.url, 'GET', '/admin/v1/sources', { token: 'agent-secret' })).status).toBe(403);
    expect((await call(mock.url, 'GET', `/v3/sources/web-01/command`, { token: 'admin-secret' })).status).toBe(403);
    expect((await call(mock.url, 'GET', `/v3/sources/web-01/command`, { token: 'agent-secret' })).json()).toEqual({ command_name: 'SKIP' });
  });

  it('runs the cycle its banner prints: queue START, poll it within the lease, report it', async () => {
    mock = await startMock({ port: 0, sources: [], leaseSeconds: 30, logger: quiet });
    expect(mock.agentToken).not.toBe(mock.adminToken);
    const lines = banner(mock);
    expect(lines[0]).toBe(`SMS command service, stateful mock: ${mock.url} (state in memory, gone when it stops; lease 30 s)`);
    expect(lines).toContain(`  source servers: ${EXAMPLE_SOURCE_SERVER}`);
    expect(lines.join('\n')).toContain(`X-Auth-Token: ${mock.agentToken}`);
    expect(lines.join('\n')).toContain(`X-Auth-Token: ${mock.adminToken}`);
    // the three curl lines, sent as written: each names a method-less URL with or without -d
    const curls = lines.filter((l) => l.startsWith('curl '));
    expect(curls).toHaveLength(3);
    const answers = [];
    for (const line of curls) {
      const token = /X-Auth-Token: (\S+)'/.exec(line)?.[1] as string;
      const body = /-d '([^']+)'/.exec(line)?.[1];
      const url = new URL(line.split(' ').at(-1) as string);
      answers.push(await call(mock.url, body ? 'POST' : 'GET', url.pathname, { token, ...(body ? { body, headers: { 'Content-Type': 'application/json' } } : {}) }));
    }
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200]);
    expect(answers[1]?.json()).toEqual({ command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } });
    const commands = (await call(mock.url, 'GET', `/admin/v1/sources/${EXAMPLE_SOURCE_SERVER}/commands`, { token: mock.adminToken })).json();
    expect(commands.commands.map((c: { state: string }) => c.state)).toEqual(['done']);
  });

  it('accepts the access key it was given (or a random one it prints) for signed Agent requests, and no other', async () => {
    mock = await startMock({ port: 0, sources: ['web-01'], accessKey: { accessKey: 'AKDEV', secretKey: 'dev-secret' }, leaseSeconds: 30, logger: quiet });
    expect([mock.accessKey, mock.secretKey]).toEqual(['AKDEV', 'dev-secret']);
    const signedPoll = (accessKey: string, secretKey: string) => createSmsClient({ baseUrl: mock?.url as string, accessKey: { accessKey, secretKey }, retry: false }).showCommand('web-01');
    expect(await signedPoll('AKDEV', 'dev-secret')).toEqual({ command_name: 'SKIP' });
    await expect(signedPoll('AKDEV', 'wrong')).rejects.toMatchObject({ status: 401, errorCode: 'SMS.9009' });
    await expect(signedPoll('AKOTHER', 'dev-secret')).rejects.toMatchObject({ status: 401, errorCode: 'SMS.9007' });
    await mock.close();
    mock = await startMock({ port: 0, sources: [], leaseSeconds: 30, logger: quiet });
    expect(mock.accessKey).toMatch(/^AKSMS[A-Z0-9]{15}$/);
    expect(banner(mock)).toContain(`  access key:     AK ${mock.accessKey}  SK ${mock.secretKey}   (SDK-HMAC-SHA256 signatures of the Agent operations)`);
  });

  it('refuses the same token for the Agent and the operator', async () => {
    await expect(startMock({ port: 0, sources: [], agentToken: 'same', adminToken: 'same', leaseSeconds: 30, logger: quiet })).rejects.toThrow('--agent-token and --admin-token must differ');
  });

  it('closes: the port no longer answers', async () => {
    const running = await startMock({ port: 0, sources: [], leaseSeconds: 30, logger: quiet });
    await running.close();
    await expect(call(running.url, 'GET', '/healthz')).rejects.toThrow();
  });

  it('takes a token a client can send, and names the option of one it cannot', () => {
    expect(checkFixedToken('--agent-token', 'a')).toBe('a');
    expect(checkFixedToken('--agent-token', 'x'.repeat(MAX_TOKEN_LENGTH))).toBe('x'.repeat(MAX_TOKEN_LENGTH));
    for (const bad of ['', 'x'.repeat(MAX_TOKEN_LENGTH + 1), 'has space', 'tab\t', 'é']) {
      expect(() => checkFixedToken('--admin-token', bad), JSON.stringify(bad)).toThrow(`--admin-token is 1 to ${MAX_TOKEN_LENGTH} visible ASCII characters, no spaces (got ${JSON.stringify(bad.slice(0, 40))})`);
    }
  });
});
