/** The client against the real server in-process: both calls, and every error status mapped to SmsApiError. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_ID_RULE, SmsApiError, SmsForbiddenError, SmsInputError, createSmsClient, isSmsApiError, type CommandBody } from '../../client/src/index.js';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { faultyStore } from '../../harness/storeDoubles.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { bundled } from '../../harness/spec.js';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';

const report: CommandBody = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } };

async function rejection(p: Promise<unknown>): Promise<SmsApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SmsApiError);
  return err as SmsApiError;
}

describe('client against the server', () => {
  let inner: Store;
  let faults: ReturnType<typeof faultyStore>;
  let server: InProcessServer;
  let token: string;

  beforeAll(async () => {
    inner = await openStore('sqlite::memory:');
    faults = faultyStore(inner);
    server = await startInProcess({ store: faults.store });
    await server.addSource(EXAMPLE_SOURCE);
    await server.addSource('other');
    token = (await server.token()).secret;
  });
  afterAll(async () => {
    await server.close();
    await inner.close();
  });

  it('polls and reports', async () => {
    const client = createSmsClient({ baseUrl: server.baseUrl, token });
    await server.enqueue(EXAMPLE_SOURCE, 'START', { taskId: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' });
    expect(await client.showCommand(EXAMPLE_SOURCE)).toEqual({ command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } });
    await expect(client.updateCommandResult(EXAMPLE_SOURCE, report)).resolves.toBeUndefined();
    expect(await client.showCommand(EXAMPLE_SOURCE)).toEqual({ command_name: 'SKIP' });
    const [stored] = await server.store.listResults(EXAMPLE_SOURCE);
    expect(stored).toMatchObject({ commandName: 'START', result: 'success', resultDetail: { msg: 'xxx' }, unsolicited: false });
  });

  it('takes the token from an async function, per request', async () => {
    let calls = 0;
    const client = createSmsClient({ baseUrl: server.baseUrl, token: async () => (++calls, token) });
    await client.showCommand(EXAMPLE_SOURCE);
    await client.showCommand(EXAMPLE_SOURCE);
    expect(calls).toBe(2);
  });

  it('keeps the raw openapi-fetch client reachable', async () => {
    const client = createSmsClient({ baseUrl: server.baseUrl, token });
    const { data, error, response } = await client.raw.GET('/v3/sources/{server_id}/command', { params: { path: { server_id: EXAMPLE_SOURCE } } });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data?.command_name).toBe('SKIP');
  });

  it('maps 400 to SmsApiError with the code, message and requestId', async () => {
    const client = createSmsClient({ baseUrl: server.baseUrl, token });
    const err = await rejection(client.updateCommandResult(EXAMPLE_SOURCE, { ...report, result: 'SUCCESS' } as unknown as CommandBody));
    expect(err).toMatchObject({ status: 400, errorCode: 'SMS.2001', operation: 'UpdateCommandResult' });
    expect(err.errorMsg).toContain('result');
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toContain(err.requestId);
  });

  it('maps 401', async () => {
    const client = createSmsClient({ baseUrl: server.baseUrl, token: 'sms_wrong' });
    const err = await rejection(client.showCommand(EXAMPLE_SOURCE));
    expect(err).toMatchObject({ status: 401, errorCode: 'SMS.9002' });
    expect(err.requestId).toBeTruthy();
  });

  it('maps 403 to SmsForbiddenError with the authorization fields', async () => {
    const scoped = (await server.token({ sources: ['other'] })).secret;
    const client = createSmsClient({ baseUrl: server.baseUrl, token: scoped });
    const err = await rejection(client.showCommand(EXAMPLE_SOURCE));
    expect(err).toBeInstanceOf(SmsForbiddenError);
    expect(err).toMatchObject({ status: 403, errorCode: 'SMS.9004' });
    expect(err.encodedAuthorizationMessage).toBeTypeOf('string');
    expect(err.errorParam?.[0]).toContain(EXAMPLE_SOURCE);
    expect(err.details?.[0]).toMatchObject({ errorCode: 'SMS.9004' });
  });

  it('maps 404', async () => {
    const client = createSmsClient({ baseUrl: server.baseUrl, token });
    const err = await rejection(client.showCommand('not-registered'));
    expect(err).toMatchObject({ status: 404, errorCode: 'SMS.2006' });
    expect(isSmsApiError(err)).toBe(true);
    expect(isSmsApiError(err, 404)).toBe(true);
    expect(isSmsApiError(err, 401)).toBe(false);
    expect(isSmsApiError(new Error('x'))).toBe(false);
  });

  it('maps 500 (after the retries it is allowed)', async () => {
    const retries: number[] = [];
    const client = createSmsClient({ baseUrl: server.baseUrl, token, retry: { retries: 2, baseDelayMs: 1 }, onRetry: (i) => retries.push(i.attempt) });
    faults.fail(true);
    await server.refreshCache(); // the read cache notices the outage at its next check; make that now
    try {
      const err = await rejection(client.showCommand(EXAMPLE_SOURCE));
      expect(err).toMatchObject({ status: 500, errorCode: 'SMS.2007' });
      expect(retries).toEqual([1, 2]);
      const once = await rejection(client.updateCommandResult(EXAMPLE_SOURCE, report));
      expect(once.status).toBe(500);
      expect(retries).toEqual([1, 2]); // UpdateCommandResult is not retried by default
    } finally {
      faults.fail(false);
      await server.refreshCache();
    }
  });

  it('refuses a server_id the spec does not allow, without a request', async () => {
    let sent = 0;
    const client = createSmsClient({ baseUrl: server.baseUrl, token, fetch: async (...a) => (sent++, fetch(...a)) });
    await expect(client.showCommand('x'.repeat(37))).rejects.toBeInstanceOf(SmsInputError);
    await expect(client.showCommand('')).rejects.toBeInstanceOf(SmsInputError);
    await expect(client.updateCommandResult('../etc', report)).rejects.toThrow(/server_id/);
    expect(sent).toBe(0);
  });

  it('checks server_id by the same rule the spec states', () => {
    const schema = (bundled as { components: { parameters: { ServerId: { schema: { minLength: number; maxLength: number; pattern: string } } } } }).components.parameters.ServerId.schema;
    expect(SERVER_ID_RULE.minLength).toBe(schema.minLength);
    expect(SERVER_ID_RULE.maxLength).toBe(schema.maxLength);
    expect(SERVER_ID_RULE.pattern.source).toBe(schema.pattern);
  });
});
