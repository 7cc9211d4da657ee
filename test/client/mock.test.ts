/** The client agrees with the Prism mock: both calls return the spec's examples. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsApiError, createSmsClient } from '../../client/src/index.js';
import { startPrism, type Child } from '../support/processes.js';
import { bundled } from '../support/spec.js';

type J = Record<string, any>;
const examples = (bundled as J).paths['/v3/sources/{server_id}/command'].get.responses['200'].content['application/json'].examples as J;

describe('client against the Prism mock', () => {
  let mock: Child;
  beforeAll(async () => {
    mock = await startPrism({ kind: 'mock' });
  });
  afterAll(async () => mock?.stop());

  it('showCommand returns the spec example; updateCommandResult resolves on the example 200', async () => {
    const client = createSmsClient({ baseUrl: mock.baseUrl, token: 'any' });
    expect(await client.showCommand('f32ab4d6-d150-4fb3-aa55-edbb5cf9947f')).toEqual(examples.Start.value);
    await expect(client.updateCommandResult('f32ab4d6-d150-4fb3-aa55-edbb5cf9947f', { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } })).resolves.toBeUndefined();
  });

  it('named examples and error examples come through the raw client and the error classes', async () => {
    const client = createSmsClient({ baseUrl: mock.baseUrl, token: 'any' });
    const skip = await client.raw.GET('/v3/sources/{server_id}/command', { params: { path: { server_id: 's' } }, headers: { Prefer: 'example=Skip' } });
    expect(skip.data).toEqual(examples.Skip.value);
    const forbidden = createSmsClient({ baseUrl: mock.baseUrl, token: 'any', fetch: (input, init) => {
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
