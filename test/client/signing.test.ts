/**
 * client/src/signing.ts: our client's signatures equal Huawei Cloud's official SDK signer's for the same
 * request (paths with encoded characters, a query string, a body, GET with and without Content-Type), and
 * createSmsClient signs every request when given an access key instead of a token.
 */
import { describe, expect, it } from 'vitest';
import { SmsInputError, createSmsClient, signRequest } from '../../client/src/index.js';
import { canonicalQuery, canonicalUri, percentEncode, sdkDate } from '../../client/src/signing.js';
import { AKSKSigner } from '../../harness/huaweiSdk.js';

const key = { accessKey: 'AKSMSCLIENT000000001', secretKey: 'Q8vYk2bN5rT1wZ7mC4xD9fH3jL6pS0aE2gU5iO8e' };
const at = new Date('2026-12-02T12:34:56.789Z');
const BASE = 'http://127.0.0.1:8080';

/** The Authorization the official signer makes for the same request, at the same time. */
function officialAuthorization(input: { method: string; path: string; query?: Record<string, string | string[]>; contentType?: string; data?: unknown }): string {
  const headers: Record<string, string> = { 'X-Sdk-Date': sdkDate(at) };
  if (input.contentType) headers['content-type'] = input.contentType;
  const signed = AKSKSigner.sign({ endpoint: `${BASE}${input.path}`, method: input.method, headers, ...(input.query ? { queryParams: input.query } : {}), ...(input.data === undefined ? {} : { data: input.data }) }, { getAk: () => key.accessKey, getSk: () => key.secretKey });
  return signed.Authorization as string;
}

describe('the client signer equals the official SDK signer', () => {
  const body = { command_name: 'START', result: 'success', result_detail: { msg: 'ü 中', n: [1, 2.5] } };
  const cases: Array<[string, { method: string; path: string; wire?: string; query?: Record<string, string | string[]>; contentType?: string; data?: unknown }]> = [
    ['GET without Content-Type', { method: 'GET', path: '/v3/sources/f32ab4d6-d150-4fb3-aa55-edbb5cf9947f/command' }],
    ['GET with Content-Type', { method: 'GET', path: '/v3/sources/abc/command', contentType: 'application/json' }],
    ['POST with a UTF-8 JSON body', { method: 'POST', path: '/v3/sources/abc/command_result', contentType: 'application/json', data: body }],
    ['a path with encoded characters', { method: 'GET', path: '/v3/sources/a%20b%2Fc%E4%B8%AD/command' }],
    ['a query string', { method: 'GET', path: '/v3/sources/abc/command', wire: '?b=2&a=x%20y%2F%C3%BC&c=z&c=y', query: { b: '2', a: 'x y/ü', c: ['z', 'y'] } }],
  ];
  for (const [name, input] of cases) {
    it(name, async () => {
      const init: RequestInit = { method: input.method, headers: input.contentType ? { 'Content-Type': input.contentType } : {} };
      if (input.data !== undefined) init.body = JSON.stringify(input.data);
      const signed = await signRequest(new Request(`${BASE}${input.path}${input.wire ?? ''}`, init), key, at);
      expect(signed.headers.get('authorization')).toBe(officialAuthorization(input));
      expect(signed.headers.get('x-sdk-date')).toBe('20261202T123456Z');
      if (input.data !== undefined) expect(await signed.text()).toBe(JSON.stringify(input.data)); // the body is still there to send
    });
  }

  it('encodes as the SDK: unreserved characters kept, every other UTF-8 byte %XX in upper case', () => {
    expect(percentEncode("aZ09-_.~ !*'()/%é")).toBe('aZ09-_.~%20%21%2A%27%28%29%2F%25%C3%A9');
    expect(canonicalUri('/a/b/')).toBe('/a/b/');
    expect(canonicalUri('/a%2Fb')).toBe('/a%252Fb/');
    expect([canonicalQuery(''), canonicalQuery('?'), canonicalQuery('?k=b&k=a&&j')]).toEqual(['', '', 'j=&k=a&k=b']);
    expect(sdkDate(new Date('2027-01-02T03:04:05.006Z'))).toBe('20270102T030405Z');
  });
});

describe('createSmsClient with an access key', () => {
  /** A fetch that answers 200 and keeps each request it was given. */
  const recording = () => {
    const seen: Request[] = [];
    const fetch = async (input: RequestInfo | URL): Promise<Response> => {
      seen.push(input as Request);
      const command = (input as Request).method === 'GET' ? { command_name: 'SKIP' } : {};
      return new Response(JSON.stringify(command), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    return { seen, fetch: fetch as typeof globalThis.fetch };
  };

  it('signs both operations (and sends no token), dated by its clock, with the User-Agent unsigned', async () => {
    const { seen, fetch } = recording();
    const client = createSmsClient({ baseUrl: `${BASE}/`, accessKey: key, fetch, now: () => at, userAgent: 'agent/1' });
    await client.showCommand('abc');
    await client.updateCommandResult('abc', { command_name: 'START', result: 'success', result_detail: { msg: 'x' } });
    const [poll, report] = seen as [Request, Request];
    expect(poll.headers.get('x-auth-token')).toBeNull();
    expect(poll.headers.get('user-agent')).toBe('agent/1');
    expect(poll.headers.get('authorization')).toBe(officialAuthorization({ method: 'GET', path: '/v3/sources/abc/command' }));
    expect(report.headers.get('authorization')).toBe(officialAuthorization({ method: 'POST', path: '/v3/sources/abc/command_result', contentType: 'application/json', data: { command_name: 'START', result: 'success', result_detail: { msg: 'x' } } }));
    expect(report.headers.get('authorization')).toMatch(/^SDK-HMAC-SHA256 Access=AKSMSCLIENT000000001, SignedHeaders=content-type;host;x-sdk-date, Signature=[0-9a-f]{64}$/);
  });

  it('dates each request by the system clock when given none', async () => {
    const { seen, fetch } = recording();
    const before = sdkDate(new Date(Date.now() - 1000));
    await createSmsClient({ baseUrl: BASE, accessKey: key, fetch }).showCommand('abc');
    const date = (seen[0] as Request).headers.get('x-sdk-date') as string;
    expect(date >= before && date <= sdkDate(new Date(Date.now() + 1000))).toBe(true);
  });

  it('takes exactly one credential: a token or an access key', () => {
    expect(() => createSmsClient({ baseUrl: BASE })).toThrow(SmsInputError);
    expect(() => createSmsClient({ baseUrl: BASE, token: 't', accessKey: key })).toThrow('createSmsClient takes one credential: `token` (X-Auth-Token) or `accessKey` ({ accessKey, secretKey }: signed requests).');
  });

  it('still sends the token, and no signature, when given a token', async () => {
    const { seen, fetch } = recording();
    await createSmsClient({ baseUrl: BASE, token: 'tok', fetch, userAgent: 'agent/1' }).showCommand('abc');
    expect([(seen[0] as Request).headers.get('x-auth-token'), (seen[0] as Request).headers.get('authorization'), (seen[0] as Request).headers.get('user-agent')]).toEqual(['tok', null, 'agent/1']);
  });
});
