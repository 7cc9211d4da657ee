/**
 * Reports are stored exactly as sent, on every store: deep nesting (inside the body limit), numbers that
 * JavaScript cannot hold, the SDKs' string form; and a body that is not UTF-8 is refused, not mangled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, type TestDatabase } from '../../harness/databases.js';
import { EXAMPLE_SOURCE } from '../../harness/fixtures.js';
import { call, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { contractProblems } from '../../harness/spec.js';

for (const db of databaseKinds) {
  describe.skipIf(Boolean(db.skip))(`hostile report bodies on ${db.kind}${db.skip ? ` (skipped: ${db.skip})` : ''}`, () => {
    let database: TestDatabase;
    let server: InProcessServer;
    let token: string;
    beforeAll(async () => {
      database = await db.fresh();
      server = await startInProcess({ databaseUrl: database.url });
      await server.addSource(EXAMPLE_SOURCE);
      token = (await server.token()).secret;
    });
    afterAll(async () => {
      await server?.close();
      await database?.drop();
    });

    /** Sends `body` as is and returns the response and what was stored under its request id. */
    async function report(body: string) {
      const r = await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token, body, headers: { 'Content-Type': 'application/json' } });
      expect(contractProblems('UpdateCommandResult', r)).toEqual([]);
      const stored = (await server.store.listResults(EXAMPLE_SOURCE)).find((x) => x.requestId === r.headers.get('x-request-id'));
      return { r, stored };
    }

    it('stores result_detail nested 5,000 arrays deep (10,066 bytes) exactly, as an object and as the SDKs string', async () => {
      const detail = `{"d":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const body = `{"command_name":"START","result":"success","result_detail":${detail}}`;
      expect(Buffer.byteLength(body)).toBe(10_066);
      const { r, stored } = await report(body);
      expect(r.status, r.text).toBe(200);
      expect(stored?.resultDetailJson).toBe(detail);
      const asString = await report(JSON.stringify({ command_name: 'START', result: 'success', result_detail: `{"d":${'['.repeat(4000)}${']'.repeat(4000)}}` }));
      expect(asString.r.status, asString.r.text).toBe(200);
      expect(asString.stored?.resultDetailJson).toBe(`{"d":${'['.repeat(4000)}${']'.repeat(4000)}}`);
    });

    it('keeps numbers as sent: 1e999 is not stored as null, a 23-digit integer keeps its digits', async () => {
      const detail = '{"huge":1e999,"id":12345678901234567890123,"tiny":1e-400,"exact":0.1000000000000000055511151231257827}';
      const { r, stored } = await report(`{"command_name":"SYNC","result":"fail","result_detail":${detail}}`);
      expect(r.status).toBe(200);
      expect(stored?.resultDetailJson).toBe(detail);
    });

    it('refuses a body that is not valid UTF-8 with 400 SMS.2005, storing nothing', async () => {
      const before = (await server.store.listResults(EXAMPLE_SOURCE)).length;
      const bytes = Buffer.concat([Buffer.from('{"command_name":"START","result":"success","result_detail":{"msg":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}')]);
      const res = await fetch(`${server.baseUrl}${resultPath(EXAMPLE_SOURCE)}`, { method: 'POST', headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' }, body: bytes });
      const text = await res.text();
      expect(contractProblems('UpdateCommandResult', { status: res.status, headers: res.headers, text })).toEqual([]);
      expect(res.status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ error_code: 'SMS.2005', error_msg: expect.stringContaining('not valid UTF-8') });
      expect((await server.store.listResults(EXAMPLE_SOURCE)).length).toBe(before);
    });
  });
}
