/**
 * What a hostile probe of the landed server found (issue 34), each case on SQLite and PostgreSQL, with the
 * fast path and with Express alone: tampered cursors, numbers and duplicate keys read back, lone
 * surrogates, HTTP framing node:http lets through (no Host, a transfer coding, an absolute-form target),
 * echoes of huge ids in error bodies, and paths the contract does not have.
 */
import { testSealer } from '../../harness/tokens.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../server/admin/program.js';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { databaseKinds, type TestDatabase } from '../../harness/databases.js';
import { EXAMPLE_REPORT, EXAMPLE_SOURCE, OTHER_SOURCE } from '../../harness/fixtures.js';
import { call, commandPath, rawExchange, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { borrowed } from '../../harness/storeDoubles.js';

/** The report the probe sent: numbers JSON.parse cannot keep, and a duplicate key. */
const EXACT_DETAIL = '{"n":1e999,"z":-0,"i":12345678901234567890123,"a":1,"a":2}';

for (const db of databaseKinds) {
  for (const fastPath of [true, false]) {
    const suite = db.skip ? describe.skip : describe;
    suite(`hostile requests on ${db.kind}, ${fastPath ? 'fast path in front' : 'Express alone'}${db.skip ? ` (${db.skip})` : ''}`, () => {
      let database: TestDatabase;
      let store: Store;
      let server: InProcessServer;
      let agent: string;
      let otherAgent: string;
      let admin: string;
      const host = (): string => new URL(server.baseUrl).host;

      beforeAll(async () => {
        database = await db.fresh();
        store = await openStore(database.url);
        server = await startInProcess({ store, fastPath });
        await server.addSource(EXAMPLE_SOURCE);
        await server.addSource(OTHER_SOURCE);
        agent = (await server.token()).secret;
        otherAgent = (await server.token({ sources: [OTHER_SOURCE] })).secret;
        admin = (await server.token({ kind: 'admin' })).secret;
      });
      afterAll(async () => {
        await server?.close();
        await store?.close();
        await database?.drop();
      });

      it.each([
        ['s: and U+0000 (PostgreSQL refused the query: a 500)', Buffer.from('s:\u0000').toString('base64url')],
        ['bytes that are not UTF-8', Buffer.from([0x73, 0x3a, 0xff, 0xfe]).toString('base64url')],
        ['a key no server_id can be', Buffer.from('s:a/b').toString('base64url')],
      ])('refuses a sources cursor holding %s with the 400 of a cursor it did not give out, in the API and the CLI', async (_what, cursor) => {
        const r = await call(server.baseUrl, 'GET', `/admin/v1/sources?cursor=${cursor}`, { token: admin });
        expect(r.status, r.text).toBe(400);
        expect(r.json()).toEqual({ error_code: 'SMS.2001', error_msg: 'Invalid request: query.cursor is not a cursor this API gave out; start again without it.' });
        const program = buildProgram({ openStore: async () => borrowed(store), out: () => {}, err: () => {}, now: () => new Date(), sealer: testSealer, database: 'test', backup: async () => ({}) as never });
        await expect(program.parseAsync(['sources', 'list', '--cursor', cursor], { from: 'user' })).rejects.toMatchObject({ kind: 'invalidCursor', status: 400 });
      });

      it('still pages with the cursors it gives out', async () => {
        const first = await call(server.baseUrl, 'GET', '/admin/v1/sources?limit=1', { token: admin });
        const next = await call(server.baseUrl, 'GET', `/admin/v1/sources?limit=1&cursor=${first.json().next_cursor}`, { token: admin });
        expect(next.status, next.text).toBe(200);
        expect(next.json().sources).toHaveLength(1);
        expect(next.json().sources[0].server_id).not.toBe(first.json().sources[0].server_id);
      });

      it('reads a stored result_detail back exactly as sent (1e999, -0, a 23-digit integer, a duplicate key), in the API and the CLI', async () => {
        const sent = `{"command_name":"START","result":"success","result_detail":${EXACT_DETAIL}}`;
        const r = await call(server.baseUrl, 'POST', resultPath(EXAMPLE_SOURCE), { token: agent, body: sent, headers: { 'Content-Type': 'application/json' } });
        expect(r.status, r.text).toBe(200);
        const listed = await call(server.baseUrl, 'GET', `/admin/v1/sources/${EXAMPLE_SOURCE}/results?limit=1`, { token: admin });
        expect(listed.status, listed.text).toBe(200);
        expect(listed.text).toContain(`"result_detail":${EXACT_DETAIL},`);
        const out: string[] = [];
        const cli = (...args: string[]) =>
          buildProgram({ openStore: async () => borrowed(store), out: (l) => out.push(l), err: () => {}, now: () => new Date(), sealer: testSealer, database: 'test', backup: async () => ({}) as never }).parseAsync(args, { from: 'user' });
        await cli('results', 'list', EXAMPLE_SOURCE, '--limit', '1', '--json');
        expect(out[0]).toContain(`"result_detail": ${EXACT_DETAIL},`);
        await cli('results', 'list', EXAMPLE_SOURCE, '--limit', '1');
        expect(out[1]).toContain(EXACT_DETAIL);
      });

      it.each([
        ['a source server name', 'POST', '/admin/v1/sources', '{"server_id":"uni5","name":"a\\ud800b"}', 'body.name'],
        ['a token name', 'POST', '/admin/v1/tokens', '{"name":"t\\udfff"}', 'body.name'],
        ['a task_id', 'POST', `/admin/v1/sources/${EXAMPLE_SOURCE}/commands`, '{"command_name":"START","command_param":{"task_id":"t\\ud800"}}', 'body.command_param.task_id'],
        ['a key of result_detail', 'POST', resultPath(EXAMPLE_SOURCE), '{"command_name":"START","result":"success","result_detail":{"\\udc00":1}}', 'a key of body.result_detail'],
      ])('refuses a lone surrogate in %s with a 400 that says where, and stores nothing', async (_what, method, path, body, where) => {
        const token = path.startsWith('/admin') ? admin : agent;
        const before = (await store.listResults(EXAMPLE_SOURCE)).length;
        const r = await call(server.baseUrl, method, path, { token, body, headers: { 'Content-Type': 'application/json' } });
        expect(r.status, r.text).toBe(400);
        expect(r.json().error_code).toBe('SMS.2003');
        expect(r.json().error_msg).toContain(`${where} holds a lone surrogate`);
        expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        expect((await store.listResults(EXAMPLE_SOURCE)).length).toBe(before);
        expect(await store.getSource('uni5', new Date())).toBeNull();
      });

      it('keeps a surrogate pair (an emoji sent escaped) exactly', async () => {
        const r = await call(server.baseUrl, 'POST', '/admin/v1/sources', { token: admin, body: '{"server_id":"uni6","name":"a\\ud83d\\ude00b"}', headers: { 'Content-Type': 'application/json' } });
        expect(r.status, r.text).toBe(201);
        expect((await call(server.baseUrl, 'GET', '/admin/v1/sources/uni6', { token: admin })).json().name).toBe('a😀b');
      });

      it('answers an HTTP/1.1 request without Host with the JSON 400 and a request id (node:http sent an empty chunked 400)', async () => {
        const r = await rawExchange(server.baseUrl, `GET ${commandPath(EXAMPLE_SOURCE)} HTTP/1.1\r\nX-Auth-Token: ${agent}\r\n\r\n`);
        expect(r.status).toBe(400);
        expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(r.headers['transfer-encoding']).toBeUndefined();
        expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(JSON.parse(r.body)).toEqual({ error_code: 'SMS.2001', error_msg: "The request has no Host header, which HTTP/1.1 requires; send Host: with the server's name and port." });
      });

      it('serves an HTTP/1.0 request without Host (Host is HTTP/1.1)', async () => {
        const r = await rawExchange(server.baseUrl, `GET ${commandPath(EXAMPLE_SOURCE)} HTTP/1.0\r\nX-Auth-Token: ${agent}\r\n\r\n`);
        expect(r.status, r.body).toBe(200);
        expect(JSON.parse(r.body)).toEqual({ command_name: 'SKIP' });
      });

      it('refuses Transfer-Encoding: gzip, chunked with a JSON 400 (the coding was ignored: a 200), and stores nothing', async () => {
        const before = (await store.listResults(EXAMPLE_SOURCE)).length;
        const body = JSON.stringify(EXAMPLE_REPORT);
        const chunked = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
        const r = await rawExchange(
          server.baseUrl,
          `POST ${resultPath(EXAMPLE_SOURCE)} HTTP/1.1\r\nHost: ${host()}\r\nX-Auth-Token: ${agent}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${chunked}`,
        );
        expect(r.status, r.body).toBe(400);
        expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(JSON.parse(r.body)).toMatchObject({ error_code: 'SMS.2005', error_msg: expect.stringContaining('Transfer-Encoding: gzip, chunked is not supported') });
        expect((await store.listResults(EXAMPLE_SOURCE)).length).toBe(before);
      });

      it('still takes a chunked report', async () => {
        const body = JSON.stringify(EXAMPLE_REPORT);
        const r = await rawExchange(
          server.baseUrl,
          `POST ${resultPath(EXAMPLE_SOURCE)} HTTP/1.1\r\nHost: ${host()}\r\nX-Auth-Token: ${agent}\r\nContent-Type: application/json\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
        );
        expect(r.status, r.body).toBe(200);
      });

      it('serves an absolute-form request target as its path (it was a 404)', async () => {
        const poll = await rawExchange(server.baseUrl, `GET http://${host()}${commandPath(EXAMPLE_SOURCE)} HTTP/1.1\r\nHost: ${host()}\r\nX-Auth-Token: ${agent}\r\nConnection: close\r\n\r\n`);
        expect(poll.status, poll.body).toBe(200);
        expect(JSON.parse(poll.body)).toEqual({ command_name: 'SKIP' });
        const listed = await rawExchange(server.baseUrl, `GET HTTP://${host()}/admin/v1/sources?limit=1 HTTP/1.1\r\nHost: elsewhere\r\nX-Auth-Token: ${admin}\r\nConnection: close\r\n\r\n`);
        expect(listed.status, listed.body).toBe(200);
        expect(JSON.parse(listed.body).sources).toHaveLength(1);
      });

      it('bounds what a 403 echoes of a 120,000-character server_id (it sent 305 KB)', async () => {
        const id = 'x'.repeat(120_000);
        const r = await call(server.baseUrl, 'GET', commandPath(id), { token: otherAgent });
        expect(r.status, r.text.slice(0, 300)).toBe(403);
        expect(r.text.length).toBeLessThan(2048);
        const body = r.json();
        expect(body.error_code).toBe('SMS.9004');
        expect(body.error_param[0]).toMatch(new RegExp(`source server ${'x'.repeat(127)}…: `));
        expect(body.details[0].error_msg).toBe(body.error_param[0]);
        expect(Buffer.from(body.encoded_authorization_message, 'base64').toString()).toContain(`sms:server:${'x'.repeat(127)}…`);
      });

      it.each([
        ['a trailing slash', `${commandPath(EXAMPLE_SOURCE)}/`, 'agent'],
        ['an upper-case V3', `/V3/sources/${EXAMPLE_SOURCE}/command`, 'agent'],
        ['an upper-case segment of the admin API', '/admin/v1/Sources', 'admin'],
        ['a trailing slash on the admin API', '/admin/v1/sources/', 'admin'],
      ])('answers a path with %s (Express served it) with the JSON 404: the contract has it exactly', async (_what, path, who) => {
        const r = await call(server.baseUrl, 'GET', path, { token: who === 'admin' ? admin : agent });
        expect(r.status, r.text).toBe(404);
        expect(r.json().error_code).toBe('SMS.2008');
      });
    });
  }
}
