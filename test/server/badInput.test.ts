/** Bad input of every kind is a 4xx in the spec's error shape, never a 5xx, never HTML. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { contractProblems } from '../../harness/spec.js';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';

const good = { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } };

describe('bad input', () => {
  let server: InProcessServer;
  let token: string;

  beforeAll(async () => {
    server = await startInProcess();
    await server.addSource(EXAMPLE_SOURCE);
    token = (await server.token()).secret;
  });
  afterAll(async () => server.close());

  const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }, id = EXAMPLE_SOURCE) =>
    call(server.baseUrl, 'POST', resultPath(id), { token, body, headers });

  const expect400 = (r: { status: number; headers: Headers; text: string }, op: 'ShowCommand' | 'UpdateCommandResult', code: string, mentions?: string) => {
    expect(r.status, r.text).toBe(400);
    expect(contractProblems(op, r)).toEqual([]);
    const body = JSON.parse(r.text);
    expect(body.error_code).toBe(code);
    if (mentions) expect(body.error_msg).toContain(mentions);
  };

  it('malformed JSON is 400 SMS.2003', async () => {
    expect400(await post('{"command_name": "START",'), 'UpdateCommandResult', 'SMS.2003', 'not well-formed JSON');
  });

  it('a JSON body that is not an object is 400', async () => {
    const r = await post('"START"');
    expect(r.status).toBe(400);
    expect(contractProblems('UpdateCommandResult', r)).toEqual([]);
  });

  it('a wrong or missing content type is 400 SMS.2005 naming the content type', async () => {
    expect400(await post(JSON.stringify(good), { 'Content-Type': 'text/plain' }), 'UpdateCommandResult', 'SMS.2005', 'text/plain');
    expect400(await post(JSON.stringify(good), { 'Content-Type': 'application/x-www-form-urlencoded' }), 'UpdateCommandResult', 'SMS.2005');
  });

  it('a body over 10,240 bytes is 400 SMS.2004, one at the limit is accepted', async () => {
    const over = JSON.stringify({ ...good, result_detail: { msg: 'x'.repeat(10240) } });
    expect400(await post(over), 'UpdateCommandResult', 'SMS.2004', '10240 bytes');
    const base = JSON.stringify({ ...good, result_detail: { msg: '' } });
    const exact = JSON.stringify({ ...good, result_detail: { msg: 'x'.repeat(10240 - base.length) } });
    expect(Buffer.byteLength(exact)).toBe(10240);
    expect((await post(exact)).status).toBe(200);
  });

  it('each invalid field is named in the message', async () => {
    expect400(await post(JSON.stringify({ ...good, result: 'SUCCESS' })), 'UpdateCommandResult', 'SMS.2001', 'result');
    expect400(await post(JSON.stringify({ ...good, command_name: 'REBOOT' })), 'UpdateCommandResult', 'SMS.2001', 'command_name');
    expect400(await post(JSON.stringify({ command_name: 'START', result: 'success' })), 'UpdateCommandResult', 'SMS.2001', 'result_detail');
    expect400(await post(JSON.stringify({ ...good, extra: 1 })), 'UpdateCommandResult', 'SMS.2001', 'extra');
    expect400(await post(JSON.stringify({ ...good, result_detail: 42 })), 'UpdateCommandResult', 'SMS.2001', 'result_detail');
  });

  it('a server_id of 37 characters is 400, of 36 is accepted', async () => {
    expect400(await call(server.baseUrl, 'GET', commandPath('a'.repeat(37)), { token }), 'ShowCommand', 'SMS.2001', 'server_id');
    expect((await call(server.baseUrl, 'GET', commandPath('a'.repeat(36)), { token })).status).toBe(404);
  });

  it('../, encoded slashes and percent-encoded control characters in server_id are 4xx in the spec shape', async () => {
    for (const raw of ['..', '%2e%2e', '..%2f..%2fetc', 'a%2Fb', '%00', 'abc%0d%0aX-Injected:%201', '%7f', 'a%20b']) {
      const r = await call(server.baseUrl, 'GET', `/v3/sources/${raw}/command`, { token });
      expect(r.status, `${raw}: ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${raw}: ${r.text}`).toBeLessThan(500);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.headers.get('x-injected')).toBeNull();
      expect(JSON.parse(r.text)).toHaveProperty('error_code');
    }
    expect400(await call(server.baseUrl, 'GET', '/v3/sources/..%2f..%2fetc/command', { token }), 'ShowCommand', 'SMS.2001');
    expect400(await call(server.baseUrl, 'GET', '/v3/sources/%00/command', { token }), 'ShowCommand', 'SMS.2001');
  });

  it('__proto__ keys in result_detail are stored as data, not as a prototype', async () => {
    const body = '{"command_name":"START","result":"success","result_detail":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}}';
    const r = await post(body);
    expect(r.status, r.text).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = (await server.store.listResults(EXAMPLE_SOURCE)).at(-1);
    expect(Object.keys(stored?.resultDetail ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(stored?.resultDetail)).toBe(Object.prototype);
  });

  it('a top-level __proto__ key is an unknown field (400), not a prototype change', async () => {
    const r = await post('{"__proto__":{"command_name":"START"},"command_name":"START","result":"success","result_detail":{}}');
    expect400(r, 'UpdateCommandResult', 'SMS.2001', '__proto__');
  });

  it('accepts result_detail as a string of JSON (the SDK samples) and stores the object', async () => {
    const r = await post(JSON.stringify({ ...good, result_detail: '{"msg":"from the Java SDK"}' }));
    expect(r.status, r.text).toBe(200);
    expect((await server.store.listResults(EXAMPLE_SOURCE)).at(-1)?.resultDetail).toEqual({ msg: 'from the Java SDK' });
  });

  it('stores any other result_detail string as that string, exactly as sent (the schema admits every string)', async () => {
    for (const [sent, stored] of [['"done"', 'done'], ['"[1,2]"', '[1,2]'], ['""', ''], ['"{\\"a\\":1"', '{"a":1'], ['"\\u0041 \\n"', 'A \n']] as const) {
      const r = await post(`{"command_name":"START","result":"success","result_detail":${sent}}`);
      expect(r.status, r.text).toBe(200);
      const last = (await server.store.listResults(EXAMPLE_SOURCE)).at(-1);
      expect([last?.resultDetailJson, last?.resultDetail]).toEqual([sent, stored]);
    }
  });

  it('an unknown query parameter is 400', async () => {
    expect400(await call(server.baseUrl, 'GET', `${commandPath(EXAMPLE_SOURCE)}?debug=1`, { token }), 'ShowCommand', 'SMS.2001');
  });

  it('unknown paths get a JSON 404 and a wrong method a JSON 405 with Allow', async () => {
    const nf = await call(server.baseUrl, 'GET', '/v3/sources', { token });
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toMatch(/^application\/json/);
    expect(nf.json().error_code).toBe('SMS.2008');
    expect(nf.headers.get('x-request-id')).toBeTruthy();
    const na = await call(server.baseUrl, 'DELETE', commandPath(EXAMPLE_SOURCE), { token });
    expect(na.status).toBe(405);
    expect(na.headers.get('allow')).toBe('GET');
    expect(na.json().error_code).toBe('SMS.2009');
    const na2 = await call(server.baseUrl, 'GET', resultPath(EXAMPLE_SOURCE), { token });
    expect(na2.status).toBe(405);
    expect(na2.headers.get('allow')).toBe('POST');
    // HEAD is routed to the GET chain by Express; the validator refuses it with its own 405, mapped to JSON
    const head = await fetch(`${server.baseUrl}${commandPath(EXAMPLE_SOURCE)}`, { method: 'HEAD', headers: { 'X-Auth-Token': token } });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    expect(head.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('no error is ever HTML or a stack trace', async () => {
    const responses = await Promise.all([
      post('{'),
      post('x'.repeat(20000)),
      call(server.baseUrl, 'PATCH', resultPath(EXAMPLE_SOURCE), { token }),
      call(server.baseUrl, 'GET', '/nope'),
    ]);
    for (const r of responses) {
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.text).not.toMatch(/<html|<pre>|at .*\.(ts|js):\d+/i);
    }
  });
});
