/**
 * Queue semantics through the HTTP API, with an injected clock: FIFO, SKIP when idle, lease expiry and
 * redelivery, STOP while START is leased, unsolicited reports, and no two live leases of one command.
 * Runs on SQLite and (with TEST_DATABASE_URL) on PostgreSQL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { fakeClock } from '../support/clock.js';
import { databaseKinds, type TestDatabase } from '../../harness/databases.js';
import { call, commandPath, resultPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';

for (const db of databaseKinds) {
  const suite = db.skip ? describe.skip : describe;
  suite(`command queue on ${db.kind}${db.skip ? ` (${db.skip})` : ''}`, () => {
    const clock = fakeClock();
    let database: TestDatabase;
    let store: Store;
    let server: InProcessServer;
    let token: string;
    let n = 0;
    let source: string;

    beforeAll(async () => {
      database = await db.fresh();
      store = await openStore(database.url);
      server = await startInProcess({ store, clock, leaseSeconds: 600 });
      token = (await server.token()).secret;
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
      await database?.drop();
    });
    beforeEach(async () => {
      source = `src-${db.kind}-${++n}`;
      await server.addSource(source);
    });

    const poll = async (id = source) => {
      const r = await call(server.baseUrl, 'GET', commandPath(id), { token });
      expect(r.status, r.text).toBe(200);
      return r.json() as { command_name: string; command_param?: { task_id?: string; bucket?: string } };
    };
    const report = async (command_name: string, result = 'success', id = source) => {
      const r = await call(server.baseUrl, 'POST', resultPath(id), { token, json: { command_name, result, result_detail: { step: command_name } } });
      expect(r.status, r.text).toBe(200);
      return r;
    };

    it('answers SKIP with no command_param when nothing is queued', async () => {
      expect(await poll()).toEqual({ command_name: 'SKIP' });
    });

    it('hands out commands oldest first with their parameters', async () => {
      await server.enqueue(source, 'START', { taskId: 't-1' });
      await server.enqueue(source, 'SYNC', { taskId: 't-1', bucket: 'b-1' });
      await server.enqueue(source, 'DELETE');
      expect(await poll()).toEqual({ command_name: 'START', command_param: { task_id: 't-1' } });
      expect(await poll()).toEqual({ command_name: 'SYNC', command_param: { task_id: 't-1', bucket: 'b-1' } });
      expect(await poll()).toEqual({ command_name: 'DELETE', command_param: {} });
      expect(await poll()).toEqual({ command_name: 'SKIP' });
    });

    it('redelivers a command whose lease expired without a report, and not before', async () => {
      await server.enqueue(source, 'START', { taskId: 't-2' });
      expect((await poll()).command_name).toBe('START');
      clock.advance(599_000);
      expect((await poll()).command_name).toBe('SKIP');
      clock.advance(1_000);
      expect(await poll()).toEqual({ command_name: 'START', command_param: { task_id: 't-2' } });
      const [cmd] = await store.listCommands(source);
      expect(cmd?.deliveries).toBe(2);
      expect(cmd?.state).toBe('leased');
    });

    it('does not redeliver a command once its result was reported', async () => {
      await server.enqueue(source, 'START');
      await poll();
      await report('START');
      clock.advance(3_600_000);
      expect((await poll()).command_name).toBe('SKIP');
      const [cmd] = await store.listCommands(source);
      expect(cmd?.state).toBe('done');
      expect(cmd?.resultId).not.toBeNull();
    });

    it('delivers STOP while an earlier START is still leased', async () => {
      await server.enqueue(source, 'START');
      expect((await poll()).command_name).toBe('START');
      await server.enqueue(source, 'STOP');
      expect((await poll()).command_name).toBe('STOP');
      await report('STOP');
      await report('START');
      const cmds = await store.listCommands(source);
      expect(cmds.map((c) => [c.name, c.state])).toEqual([
        ['START', 'done'],
        ['STOP', 'done'],
      ]);
    });

    it('stores reports that match no command as unsolicited, and completes the oldest leased command of that name', async () => {
      await server.enqueue(source, 'SYNC');
      await server.enqueue(source, 'SYNC');
      await poll();
      await poll();
      await report('UPLOAD_LOG');
      await report('RSET_LOG_ACL', 'fail');
      await report('SYNC');
      await report('SYNC');
      await report('SYNC'); // a late duplicate
      const results = await store.listResults(source);
      expect(results.map((r) => [r.commandName, r.result, r.unsolicited])).toEqual([
        ['UPLOAD_LOG', 'success', true],
        ['RSET_LOG_ACL', 'fail', true],
        ['SYNC', 'success', false],
        ['SYNC', 'success', false],
        ['SYNC', 'success', true],
      ]);
      const cmds = await store.listCommands(source);
      expect(cmds.map((c) => c.resultId)).toEqual([results[2]?.id, results[3]?.id]);
      expect(results[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(results[2]?.resultDetail).toEqual({ step: 'SYNC' });
    });

    it('completes each leased command once when reports arrive together (one batch)', async () => {
      for (let i = 0; i < 5; i++) await server.enqueue(source, 'SYNC', { taskId: `t-${i}` });
      for (let i = 0; i < 5; i++) await poll();
      await Promise.all(Array.from({ length: 7 }, () => report('SYNC')));
      const results = await store.listResults(source);
      expect(results).toHaveLength(7);
      expect(results.filter((r) => r.unsolicited)).toHaveLength(2);
      const cmds = await store.listCommands(source);
      expect(cmds.every((c) => c.state === 'done')).toBe(true);
      const completing = cmds.map((c) => c.resultId);
      expect(new Set(completing).size).toBe(5);
      // reports that arrive together may pair with the leased commands in any order, but each command once
      expect(results.filter((r) => !r.unsolicited).map((r) => r.commandId).sort()).toEqual(cmds.map((c) => c.id).sort());
    });

    it('never gives two concurrent polls the same live lease', async () => {
      for (let i = 0; i < 20; i++) await server.enqueue(source, 'SYNC', { taskId: `t-${i}` });
      const polls = await Promise.all(Array.from({ length: 30 }, () => poll()));
      const handed = polls.filter((p) => p.command_name === 'SYNC').map((p) => p.command_param?.task_id);
      expect(handed).toHaveLength(20);
      expect(new Set(handed).size).toBe(20);
      expect(polls.filter((p) => p.command_name === 'SKIP')).toHaveLength(10);
    });

    it('keeps queues of different source servers apart', async () => {
      const other = `${source}-b`;
      await server.addSource(other);
      await server.enqueue(other, 'DELETE');
      expect((await poll()).command_name).toBe('SKIP');
      expect((await poll(other)).command_name).toBe('DELETE');
    });
  });
}
