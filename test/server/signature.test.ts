/**
 * server/signature.ts: the canonical request and signature equal what Huawei Cloud's official SDK core
 * (its AKSKSigner, the oracle) computes for the same request, for paths with encoded characters, query
 * strings, bodies and GET with and without Content-Type; and every way a request can differ from what
 * was signed, or a header be malformed, is refused with its own error.
 */
import { describe, expect, it } from 'vitest';
import { SmsError } from '../../server/errors.js';
import {
  bodyHash,
  canonicalQuery,
  canonicalUri,
  checkSignature,
  checkSigningTime,
  claimsSignature,
  MAX_CLOCK_SKEW_MS,
  parseAuthorization,
  parseSdkDate,
  percentEncode,
  sha256Hex,
  type SignedRequest,
} from '../../server/signature.js';
import { AKSKSigner } from '../../harness/huaweiSdk.js';

const AK = 'AKSMSTESTKEY000000001';
const SK = 'Q8vYk2bN5rT1wZ7mC4xD9fH3jL6pS0aE2gU5iO8e';
const credential = { getAk: () => AK, getSk: () => SK };

/** A request as the SDK signs it, and as it arrives at the server (lower-cased headers, the path and query as sent, the body's bytes). */
function signedBySdk(input: { method: string; path: string; query?: Record<string, string | string[]>; wireQuery?: string; headers?: Record<string, string>; data?: unknown; body?: string }): SignedRequest {
  const headers = AKSKSigner.sign(
    { endpoint: `http://127.0.0.1:8080${input.path}`, method: input.method, headers: { ...input.headers }, ...(input.query ? { queryParams: input.query } : {}), ...(input.data === undefined ? {} : { data: input.data }) },
    credential,
  );
  const arrived: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) arrived[name.toLowerCase()] = String(value);
  const body = input.body ?? (input.data === undefined ? '' : JSON.stringify(input.data));
  return { method: input.method, url: `${input.path}${input.wireQuery ? `?${input.wireQuery}` : ''}`, headers: arrived, body: Buffer.from(body) };
}

const verifies = (request: SignedRequest, secretKey = SK): void => checkSignature(parseAuthorization(request.headers.authorization as string), request, secretKey);
const refusal = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (err) {
    if (err instanceof SmsError) return `${err.code} ${err.kind}`;
    throw err;
  }
  return undefined;
};
const report = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx', 'ü': ['é', 1e3] } };

describe('signatures equal the official SDK signer', () => {
  const cases: Array<[string, Parameters<typeof signedBySdk>[0]]> = [
    ['a poll with Content-Type (as the SDK sends it) and its {} body', { method: 'GET', path: '/v3/sources/f32ab4d6-d150-4fb3-aa55-edbb5cf9947f/command', headers: { 'content-type': 'application/json', 'X-Project-Id': 'p1' }, data: {} }],
    ['a poll without Content-Type or body', { method: 'GET', path: '/v3/sources/abc/command', headers: { 'X-Domain-Id': 'd1' } }],
    ['a report with a UTF-8 body', { method: 'POST', path: '/v3/sources/abc/command_result', headers: { 'content-type': 'application/json;charset=UTF-8', 'X-Project-Id': 'p1' }, data: report }],
    ['a path with encoded characters', { method: 'GET', path: '/v3/sources/a%20b%2Fc%E4%B8%AD~_.-/command', headers: {} }],
    // not `'`: the SDK's url.parse escapes it before signing, and the wire (WHATWG URL) does not, so the SDK's own such requests never verify
    ['a path with characters the SDK encodes', { method: 'GET', path: '/v3/sources/a!b*c(e)/command', headers: {} }],
    ['a query string, keys sorted, a repeated key sorted by value, encoded values', { method: 'GET', path: '/v3/sources/abc/command', query: { b: '2', a: 'x y/ü', c: ['z', 'y'] }, wireQuery: 'b=2&a=x%20y%2F%C3%BC&c=z&c=y', headers: {} }],
    ['a path ending with /', { method: 'GET', path: '/v3/sources/abc/command/', headers: {} }],
    ['X-Sdk-Content-Sha256 signed with the body hash', { method: 'POST', path: '/v3/sources/abc/command_result', headers: { 'content-type': 'application/json', 'X-Sdk-Content-Sha256': sha256Hex(JSON.stringify(report)) }, data: report }],
    ['a security token header', { method: 'GET', path: '/v3/sources/abc/command', headers: { 'X-Security-Token': 'temporary-token' } }],
  ];
  for (const [name, input] of cases) {
    it(`verifies ${name}`, () => {
      const request = signedBySdk(input);
      expect(refusal(() => verifies(request))).toBeUndefined();
      expect(refusal(() => verifies(request, `${SK}x`))).toBe('SMS.9009 signatureMismatch');
    });
  }

  it('encodes as the SDK: unreserved characters kept, every other UTF-8 byte %XX in upper case', () => {
    expect(percentEncode("aZ09-_.~ !*'()/%é中")).toBe('aZ09-_.~%20%21%2A%27%28%29%2F%25%C3%A9%E4%B8%AD');
    expect(canonicalUri('/v3/sources/a%2Fb/command')).toBe('/v3/sources/a%252Fb/command/');
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalQuery('')).toBe('');
    expect(canonicalQuery('b=2&a&c=%zz&&a=1')).toBe('a=&a=1&b=2&c=%25zz');
    expect(canonicalQuery('k=b&k=a&j=z')).toBe('j=z&k=a&k=b');
  });
});

describe('what a signature refuses', () => {
  const poll = () => signedBySdk({ method: 'GET', path: '/v3/sources/abc/command', headers: { 'content-type': 'application/json' } });
  const post = () => signedBySdk({ method: 'POST', path: '/v3/sources/abc/command_result', headers: { 'content-type': 'application/json' }, data: report });

  it('a request changed after signing: method, path, query, a signed header, the body', () => {
    const changed: Array<[string, (r: SignedRequest) => SignedRequest]> = [
      ['method', (r) => ({ ...r, method: 'DELETE' })],
      ['path', (r) => ({ ...r, url: r.url.replace('abc', 'abd') })],
      ['query', (r) => ({ ...r, url: `${r.url}?limit=1` })],
      ['signed header', (r) => ({ ...r, headers: { ...r.headers, host: 'elsewhere:8080' } })],
      ['signed header removed', (r) => ({ ...r, headers: { ...r.headers, 'content-type': undefined } })],
      ['body', (r) => ({ ...r, body: Buffer.from(r.body.toString().replace('success', 'fail')) })],
      ['date', (r) => ({ ...r, headers: { ...r.headers, 'x-sdk-date': '20200101T000000Z' } })],
    ];
    for (const [what, change] of changed) expect(refusal(() => verifies(change(post()))), what).toBe('SMS.9009 signatureMismatch');
    expect(refusal(() => verifies({ ...post(), headers: { ...post().headers, 'user-agent': 'another' } }))).toBeUndefined(); // not signed
  });

  it('X-Sdk-Content-Sha256 that is not the body hash, or UNSIGNED-PAYLOAD with a body', () => {
    const declared = (value: string, data: unknown) => signedBySdk({ method: 'POST', path: '/v3/sources/abc/command_result', headers: { 'X-Sdk-Content-Sha256': value }, ...(data === undefined ? {} : { data }) });
    expect(refusal(() => verifies(declared(sha256Hex('{}'), report)))).toBe('SMS.9009 signatureMismatch');
    expect(refusal(() => verifies(declared('UNSIGNED-PAYLOAD', report)))).toBe('SMS.9009 signatureMismatch');
    expect(refusal(() => verifies(declared('UNSIGNED-PAYLOAD', undefined)))).toBeUndefined();
    expect(refusal(() => verifies(declared(sha256Hex(JSON.stringify(report)).toUpperCase(), report)))).toBeUndefined(); // the same hash in upper case, signed as given
    const unsigned = post();
    expect(bodyHash({ ...unsigned, headers: { ...unsigned.headers, 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' } }, ['host', 'x-sdk-date'])).toBe(sha256Hex(unsigned.body)); // not signed: ignored
  });

  it('a malformed Authorization header, each with its reason', () => {
    const signature = 'a'.repeat(64);
    const malformed: string[] = [
      'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date',
      `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=${'A'.repeat(64)}`,
      `SDK-HMAC-SHA256 Access=A K, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
      `SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host;x-sdk-date, Signature=${signature}`,
      `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=${signature} `,
      `SDK-HMAC-SHA256 Access=${'A'.repeat(65)}, SignedHeaders=host;x-sdk-date, Signature=${signature}`,
    ];
    for (const header of malformed) expect(refusal(() => parseAuthorization(header)), header).toBe('SMS.9005 malformedSignature');
    expect(() => parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date;host, Signature=${signature}`)).toThrow(/sorted/);
    expect(() => parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;host;x-sdk-date, Signature=${signature}`)).toThrow(/once each/);
    expect(() => parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;x-sdk-date, Signature=${signature}`)).toThrow(/include host and x-sdk-date \(it lacks host\)/);
    expect(() => parseAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host, Signature=${signature}`)).toThrow(/it lacks x-sdk-date/);
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=AK_1-x, SignedHeaders=content-type;host;x-sdk-date,Signature=${signature}`)).toEqual({ accessKey: 'AK_1-x', signedHeaders: ['content-type', 'host', 'x-sdk-date'], signature });
  });

  it('claims a signature only for the SDK-HMAC-SHA256 scheme', () => {
    expect([claimsSignature('SDK-HMAC-SHA256 Access=x'), claimsSignature('Bearer x'), claimsSignature('SDK-HMAC-SHA256'), claimsSignature(undefined)]).toEqual([true, false, false, false]);
  });

  it('reads X-Sdk-Date as UTC, refuses a malformed or impossible one, and a time more than 15 minutes either way', () => {
    expect(parseSdkDate('20261202T235959Z')).toEqual(new Date('2026-12-02T23:59:59Z'));
    expect(parseSdkDate('20240229T000000Z')).toEqual(new Date('2024-02-29T00:00:00Z'));
    for (const bad of [undefined, '', '2026-12-02T00:00:00Z', '20261202T000000', '20261202t000000Z', '20230229T000000Z', '20261232T000000Z', '20261202T240000Z', '20261202T006000Z', '20261202T000060Z', '20261302T000000Z']) {
      expect(refusal(() => parseSdkDate(bad)), String(bad)).toBe('SMS.9005 malformedSignature');
    }
    const now = new Date('2026-12-02T12:00:00Z');
    expect(refusal(() => checkSigningTime(new Date(now.getTime() - MAX_CLOCK_SKEW_MS), 'd', now))).toBeUndefined();
    expect(refusal(() => checkSigningTime(new Date(now.getTime() + MAX_CLOCK_SKEW_MS), 'd', now))).toBeUndefined();
    expect(refusal(() => checkSigningTime(new Date(now.getTime() - MAX_CLOCK_SKEW_MS - 1000), 'd', now))).toBe('SMS.9006 staleSignature');
    expect(refusal(() => checkSigningTime(new Date(now.getTime() + MAX_CLOCK_SKEW_MS + 1000), 'd', now))).toBe('SMS.9006 staleSignature');
    expect(() => checkSigningTime(new Date(0), '19700101T000000Z', now)).toThrow("X-Sdk-Date 19700101T000000Z is more than 15 minutes from the server's clock (2026-12-02T12:00:00.000Z)");
    expect(MAX_CLOCK_SKEW_MS).toBe(900_000);
  });

  it('signs repeated headers as Node joins them, trimmed', () => {
    const request = poll();
    const claim = parseAuthorization(request.headers.authorization as string);
    expect(refusal(() => checkSignature(claim, { ...request, headers: { ...request.headers, 'content-type': ['application/json'] as never } }, SK))).toBeUndefined();
    expect(refusal(() => checkSignature(claim, { ...request, headers: { ...request.headers, 'content-type': ['application/json', 'x'] as never } }, SK))).toBe('SMS.9009 signatureMismatch');
    expect(refusal(() => checkSignature({ ...claim, signature: claim.signature.slice(0, 62) }, request, SK))).toBe('SMS.9009 signatureMismatch');
  });
});
