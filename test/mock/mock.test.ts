/** The Prism mock (`npm run mock`) serves the spec's examples and answers a missing token with 401 in the spec's shape. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, commandPath, resultPath } from '../support/http.js';
import { startPrism, type Child } from '../support/processes.js';
import { contractProblems } from '../support/spec.js';

const SOURCE = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';

describe('prism mock', () => {
  let mock: Child;
  beforeAll(async () => {
    mock = await startPrism({ kind: 'mock' });
  });
  afterAll(async () => mock?.stop());

  it('answers ShowCommand with the seed example', async () => {
    const r = await call(mock.baseUrl, 'GET', commandPath(SOURCE), { token: 'any' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } });
    expect(contractProblems('ShowCommand', r)).toEqual([]);
  });

  it('answers a request without a token with 401 in the spec error shape', async () => {
    const r = await call(mock.baseUrl, 'GET', commandPath(SOURCE));
    expect(r.status).toBe(401);
    expect(contractProblems('ShowCommand', r)).toEqual([]);
    expect(r.json().error_code).toBe('SMS.9001');
  });

  it('answers Prefer: code=403 with the seed 403 body, and UpdateCommandResult with {}', async () => {
    const r = await call(mock.baseUrl, 'GET', commandPath(SOURCE), { token: 'any', headers: { Prefer: 'code=403' } });
    expect(r.status).toBe(403);
    expect(r.json().error_code).toBe('SMS.9004');
    const ok = await call(mock.baseUrl, 'POST', resultPath(SOURCE), { token: 'any', json: { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } } });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({});
  });
});
