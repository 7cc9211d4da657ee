/**
 * AK/SK signatures through the whole server (issue 32), on SQLite and PostgreSQL, with the fast path in
 * front and with Express alone: Huawei Cloud's official SDK core, unchanged, calls ShowCommand and
 * UpdateCommandResult with BasicCredentials and GlobalCredentials and gets 200; every tampering case is a
 * 401 with its code; the order of checks holds as for tokens; a token wins over a signature; access keys
 * are issued, listed and revoked over the Admin API; and the SK is nowhere in the database, the logs or
 * an error body.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsClient, runAgent } from '../../client/src/index.js';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { databaseKinds, type TestDatabase } from '../../harness/databases.js';
import { EXAMPLE_REPORT, EXAMPLE_SOURCE, OTHER_SOURCE, UNREGISTERED_SOURCE } from '../../harness/fixtures.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { AKSKSigner, sdkError, sdkSmsClient, type CredentialType } from '../../harness/huaweiSdk.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { contractProblems } from '../../harness/spec.js';
import { fakeClock } from '../support/clock.js';

const CREDENTIAL_TYPES: CredentialType[] = ['BasicCredentials', 'GlobalCredentials'];

for (const db of databaseKinds) {
  for (const fastPath of [true, false]) {
    const suite = db.skip ? describe.skip : describe;
    suite(`signed requests on ${db.kind}, ${fastPath ? 'fast path in front' : 'Express alone'}${db.skip ? ` (${db.skip})` : ''}`, () => {
      let database: TestDatabase;
      let store: Store;
      let server: InProcessServer;
      let key: { accessKey: string; secretKey: string };
      let admin: string;
      const clock = fakeClock(new Date());
      const dir = mkdtempSync(join(tmpdir(), 'sms-signed-'));

      beforeAll(async () => {
        database = db.kind === 'sqlite' ? { url: `sqlite:${join(dir, 'sms.sqlite')}`, drop: async () => {} } : await db.fresh();
        store = await openStore(database.url);
        server = await startInProcess({ store, fastPath, clock });
        await server.addSource(EXAMPLE_SOURCE);
        await server.addSource(OTHER_SOURCE);
        key = await server.accessKey();
        admin = (await server.token({ kind: 'admin' })).secret;
      });
      afterAll(async () => {
        await server?.close();
        await store?.close();
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      });

      /** Headers the official signer makes for a request to this server, signed now (the fake clock) with this AK/SK. */
      const sign = (method: string, path: string, options: { body?: string; headers?: Record<string, string>; ak?: string; sk?: string; at?: Date } = {}): Record<string, string> => {
        const sdkDate = (options.at ?? clock.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
        return AKSKSigner.sign(
          { endpoint: `${server.baseUrl}${path}`, method, headers: { 'X-Sdk-Date': sdkDate, 'content-type': 'application/json', 'X-Project-Id': 'p1', ...options.headers }, ...(options.body === undefined ? {} : { data: JSON.parse(options.body) }) },
          { getAk: () => options.ak ?? key.accessKey, getSk: () => options.sk ?? key.secretKey },
        );
      };
      /** Sends a request with the signature's headers (and the body, exactly as signed unless `send` says otherwise). */
      const signed = (method: string, path: string, options: Parameters<typeof sign>[2] & { send?: string; sendPath?: string; extra?: Record<string, string> } = {}) => {
        const headers = sign(method, path, options);
        delete headers.host; // fetch sends the same Host itself
        const body = options.send ?? options.body;
        return call(server.baseUrl, method, options.sendPath ?? path, { headers: { ...headers, ...options.extra }, ...(body === undefined ? {} : { body }) });
      };
      const report = JSON.stringify(EXAMPLE_REPORT);
      const expectError = (r: Awaited<ReturnType<typeof call>>, op: 'ShowCommand' | 'UpdateCommandResult', status: number, code: string): void => {
        expect(r.status, r.text).toBe(status);
        expect(r.json().error_code, r.text).toBe(code);
        expect(contractProblems(op, r)).toEqual([]);
      };

      for (const type of CREDENTIAL_TYPES) {
        it(`lets the official SDK core (${type}) poll and report: 200, the command handed out, the report stored exactly as sent`, async () => {
          const taskId = `sdk-${type}-${fastPath}`.padEnd(32, '0').slice(0, 32);
          await server.enqueue(EXAMPLE_SOURCE, 'START', { taskId });
          const sdk = sdkSmsClient(server.baseUrl, type, key.accessKey, key.secretKey);
          const polled = await sdk.showCommand(EXAMPLE_SOURCE);
          expect(polled).toEqual({ command_name: 'START', command_param: { task_id: taskId }, httpStatusCode: 200 });
          const detail = { msg: `done by ${type}`, 'ü': [1.5, null] };
          expect(await sdk.updateCommandResult(EXAMPLE_SOURCE, { command_name: 'START', result: 'success', result_detail: detail })).toMatchObject({ httpStatusCode: 200 });
          const stored = (await store.listResults(EXAMPLE_SOURCE)).at(-1);
          expect(stored?.resultDetailJson).toBe(JSON.stringify(detail));
          const commands = await store.listCommands(EXAMPLE_SOURCE, { state: 'done' });
          expect(commands.map((c) => c.taskId)).toContain(taskId);
        });

        it(`answers the SDK (${type}) signing with a wrong SK 401 SMS.9009, and its unknown AK 401 SMS.9007`, async () => {
          const wrong = sdkSmsClient(server.baseUrl, type, key.accessKey, `${key.secretKey}x`);
          expect(sdkError(await wrong.showCommand(EXAMPLE_SOURCE).catch((e: unknown) => e))).toMatchObject({ status: 401, errorCode: 'SMS.9009' });
          const unknown = sdkSmsClient(server.baseUrl, type, 'AKSMSNOBODY', key.secretKey);
          expect(sdkError(await unknown.updateCommandResult(EXAMPLE_SOURCE, EXAMPLE_REPORT).catch((e: unknown) => e))).toMatchObject({ status: 401, errorCode: 'SMS.9007' });
        });
      }

      it('lets our client with an access key run the Agent loop: START handed out, run, reported, then SKIP', async () => {
        const taskId = `client-${fastPath}`.padEnd(32, '0');
        await server.enqueue(OTHER_SOURCE, 'START', { taskId });
        const client = createSmsClient({ baseUrl: server.baseUrl, accessKey: key, now: () => clock.now() });
        const stop = new AbortController();
        const ran: string[] = [];
        const polling = { ...client, showCommand: async (id: string) => {
          const command = await client.showCommand(id);
          if (command.command_name === 'SKIP') stop.abort();
          return command;
        } };
        const before = server.fastPathAnswered();
        await runAgent({ client: polling, serverId: OTHER_SOURCE, pollIntervalMs: 1, signal: stop.signal, handlers: { START: (param) => (ran.push(param.task_id as string), { msg: 'started' }) } });
        expect(ran).toEqual([taskId]);
        expect((await store.listResults(OTHER_SOURCE)).at(-1)).toMatchObject({ commandName: 'START', result: 'success', resultDetailJson: '{"msg":"started"}' });
        expect(server.fastPathAnswered() - before).toBe(fastPath ? 3 : 0); // poll, report, poll: all signed, all on the fast path
      });

      it('answers a poll signed without Content-Type and without a body (as our client sends it) 200', async () => {
        const headers = sign('GET', commandPath(EXAMPLE_SOURCE));
        delete headers['content-type'];
        const resigned = AKSKSigner.sign({ endpoint: `${server.baseUrl}${commandPath(EXAMPLE_SOURCE)}`, method: 'GET', headers: { 'X-Sdk-Date': headers['X-Sdk-Date'] as string } }, { getAk: () => key.accessKey, getSk: () => key.secretKey });
        delete resigned.host;
        const before = server.fastPathAnswered();
        const r = await call(server.baseUrl, 'GET', commandPath(EXAMPLE_SOURCE), { headers: resigned });
        expect(r.status, r.text).toBe(200);
        expect(server.fastPathAnswered() - before).toBe(fastPath ? 1 : 0);
      });

      it('answers a report changed after signing 401 SMS.9009: its body, its path, its method, a signed header, the date', async () => {
        const path = resultPath(EXAMPLE_SOURCE);
        expectError(await signed('POST', path, { body: report, send: report.replace('success', 'fail') }), 'UpdateCommandResult', 401, 'SMS.9009');
        expectError(await signed('POST', path, { body: report, sendPath: resultPath(OTHER_SOURCE) }), 'UpdateCommandResult', 401, 'SMS.9009');
        expectError(await signed('GET', commandPath(EXAMPLE_SOURCE), { extra: { 'X-Project-Id': 'p2' } }), 'ShowCommand', 401, 'SMS.9009');
        const headers = sign('POST', path, { body: report });
        delete headers.host;
        expectError(await call(server.baseUrl, 'POST', path, { headers: { ...headers, 'X-Sdk-Date': headers['X-Sdk-Date']?.replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10)) as string }, body: report }), 'UpdateCommandResult', 401, 'SMS.9009');
        const sent = await store.listResults(EXAMPLE_SOURCE);
        expect(sent.some((r) => r.result === 'fail')).toBe(false);
      });

      it('answers a stale or future X-Sdk-Date 401 SMS.9006, and one a minute off 200', async () => {
        const path = commandPath(EXAMPLE_SOURCE);
        expectError(await signed('GET', path, { at: new Date(clock.now().getTime() - 16 * 60_000) }), 'ShowCommand', 401, 'SMS.9006');
        expectError(await signed('GET', path, { at: new Date(clock.now().getTime() + 16 * 60_000) }), 'ShowCommand', 401, 'SMS.9006');
        expect((await signed('GET', path, { at: new Date(clock.now().getTime() - 60_000) })).status).toBe(200);
      });

      it('answers a malformed signature 401 SMS.9005, saying what is wrong', async () => {
        const path = commandPath(EXAMPLE_SOURCE);
        const headers = sign('GET', path);
        delete headers.host;
        const authorization = headers.Authorization as string;
        const noHost = authorization.replace('content-type;host;x-project-id;x-sdk-date', 'content-type;x-project-id;x-sdk-date');
        const r = await call(server.baseUrl, 'GET', path, { headers: { ...headers, Authorization: noHost } });
        expectError(r, 'ShowCommand', 401, 'SMS.9005');
        expect(r.json().error_msg).toContain('SignedHeaders must include host and x-sdk-date (it lacks host)');
        expectError(await call(server.baseUrl, 'GET', path, { headers: { ...headers, Authorization: `${authorization}, Extra=1` } }), 'ShowCommand', 401, 'SMS.9005');
        const noDate: Record<string, string> = { ...headers };
        delete noDate['X-Sdk-Date'];
        expectError(await call(server.baseUrl, 'GET', path, { headers: noDate }), 'ShowCommand', 401, 'SMS.9005');
      });

      it('answers a revoked access key 401 SMS.9007 and an expired one 401 SMS.9008; issued, listed and revoked over the Admin API', async () => {
        const issued = await call(server.baseUrl, 'POST', '/admin/v1/access_keys', { token: admin, json: { name: 'admin-issued', sources: [EXAMPLE_SOURCE], expires_in_seconds: 3600 } });
        expect(issued.status, issued.text).toBe(201);
        const { access_key: ak, secret_key: sk } = issued.json();
        expect(issued.json()).toMatchObject({ name: 'admin-issued', sources: [EXAMPLE_SOURCE], status: 'active', revoked_at: null });
        const path = commandPath(EXAMPLE_SOURCE);
        expect((await signed('GET', path, { ak, sk })).status).toBe(200);
        const listed = await call(server.baseUrl, 'GET', '/admin/v1/access_keys', { token: admin });
        expect(listed.status).toBe(200);
        expect(listed.json().access_keys.find((k: { access_key: string }) => k.access_key === ak)).toMatchObject({ name: 'admin-issued', status: 'active' });
        expect(listed.text).not.toContain(sk);
        clock.advance(3600_000);
        await server.refreshCache();
        try {
          expectError(await signed('GET', path, { ak, sk }), 'ShowCommand', 401, 'SMS.9008');
        } finally {
          clock.advance(-3600_000);
        }
        const revoked = await call(server.baseUrl, 'DELETE', `/admin/v1/access_keys/${ak}`, { token: admin });
        expect(revoked.json()).toMatchObject({ access_key: ak, status: 'revoked' });
        expectError(await signed('GET', path, { ak, sk }), 'ShowCommand', 401, 'SMS.9007');
        expect((await call(server.baseUrl, 'DELETE', '/admin/v1/access_keys/AKSMSNOBODY', { token: admin })).json()).toMatchObject({ error_code: 'SMS.2017' });
      });

      it('answers a valid signature without the grant 403 SMS.9004, as a token; checks 401, then 403, then 400, then 404', async () => {
        const issued = await server.accessKey({ sources: [OTHER_SOURCE], actions: ['sms:server:getCommand'] });
        const limited = { ak: issued.accessKey, sk: issued.secretKey };
        const forbidden = await signed('GET', commandPath(EXAMPLE_SOURCE), limited);
        expectError(forbidden, 'ShowCommand', 403, 'SMS.9004');
        expect(forbidden.json().error_param[0]).toContain(`access key ${issued.accessKey} is not issued for this source server`);
        expectError(await signed('POST', resultPath(OTHER_SOURCE), { ...limited, body: report }), 'UpdateCommandResult', 403, 'SMS.9004');
        const invalid = JSON.stringify({ ...EXAMPLE_REPORT, result: 'maybe' });
        expectError(await signed('POST', resultPath(OTHER_SOURCE), { body: invalid, sk: 'wrong' }), 'UpdateCommandResult', 401, 'SMS.9009');
        expectError(await signed('POST', resultPath(OTHER_SOURCE), { ...limited, body: invalid }), 'UpdateCommandResult', 403, 'SMS.9004');
        expectError(await signed('POST', resultPath(UNREGISTERED_SOURCE), { body: invalid }), 'UpdateCommandResult', 400, 'SMS.2001');
        expectError(await signed('POST', resultPath(UNREGISTERED_SOURCE), { body: report }), 'UpdateCommandResult', 404, 'SMS.2006');
      });

      it('checks a request with X-Auth-Token by its token alone: a valid token with a bad signature is 200, a bad token with a valid signature 401 SMS.9002', async () => {
        const token = (await server.token()).secret;
        const path = commandPath(EXAMPLE_SOURCE);
        expect((await signed('GET', path, { sk: 'wrong', extra: { 'X-Auth-Token': token } })).status).toBe(200);
        expectError(await signed('GET', path, { extra: { 'X-Auth-Token': `${token}x` } }), 'ShowCommand', 401, 'SMS.9002');
      });

      it('reads a signed body as sent: over the limit 400 SMS.2004, compressed 400 SMS.2005, not JSON 400 SMS.2005 once the signature holds', async () => {
        const path = resultPath(EXAMPLE_SOURCE);
        const big = JSON.stringify({ ...EXAMPLE_REPORT, result_detail: { msg: 'x'.repeat(11_000) } });
        expectError(await signed('POST', path, { body: big }), 'UpdateCommandResult', 400, 'SMS.2004');
        expectError(await signed('POST', path, { body: report, extra: { 'Content-Encoding': 'gzip' } }), 'UpdateCommandResult', 400, 'SMS.2005');
        const headers = sign('POST', path, { body: report, headers: { 'content-type': 'text/plain' } });
        delete headers.host;
        expectError(await call(server.baseUrl, 'POST', path, { headers, body: report }), 'UpdateCommandResult', 400, 'SMS.2005');
      });

      it('keeps the Admin API for admin tokens: an access key signature there is 401 SMS.9001', async () => {
        expectError(await signed('GET', '/admin/v1/sources'), 'ShowCommand', 401, 'SMS.9001');
      });

      it('keeps the SK nowhere in plain text: not in the database, not in the logs, not in an error body', async () => {
        const errors = [await signed('GET', commandPath(EXAMPLE_SOURCE), { sk: 'wrong' }), await signed('GET', commandPath(UNREGISTERED_SOURCE))];
        for (const r of errors) expect(r.text).not.toContain(key.secretKey);
        expect(server.logs.join('\n')).not.toContain(key.secretKey);
        expect(server.logs.join('\n')).toContain(key.accessKey); // which key acted is logged: the AK is no secret
        if (db.kind === 'sqlite') {
          await store.close();
          store = await openStore(database.url);
          const bytes = readFileSync(join(dir, 'sms.sqlite')).toString('latin1') + readFileSync(join(dir, 'sms.sqlite-wal')).toString('latin1');
          expect(bytes).toContain(key.accessKey);
          expect(bytes).not.toContain(key.secretKey);
        } else {
          const client = new pg.Client({ connectionString: database.url });
          await client.connect();
          try {
            const dump = JSON.stringify((await client.query('SELECT * FROM access_keys')).rows);
            expect(dump).toContain(key.accessKey);
            expect(dump).not.toContain(key.secretKey);
          } finally {
            await client.end();
          }
        }
      });
    });
  }
}
