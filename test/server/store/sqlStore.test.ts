/**
 * server/store/sqlStore.ts and its queries (server/store/queries/), on SQLite and (with TEST_DATABASE_URL)
 * PostgreSQL: the operator's reads and writes behave the same on both, pages cover every row once, a
 * cancel and a lease never both win, and a poll time never moves back whatever order batches arrive in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../server/store/index.js';
import type { Store } from '../../../server/store/types.js';
import { databaseKinds, type TestDatabase } from '../../../harness/databases.js';
import { storeAccessKey, storeToken, testSealer } from '../../../harness/tokens.js';

const t0 = new Date('2026-01-28T00:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

for (const db of databaseKinds) {
  const suite = db.skip ? describe.skip : describe;
  suite(`SqlStore on ${db.kind}${db.skip ? ` (${db.skip})` : ''}`, () => {
    let database: TestDatabase;
    let store: Store;
    let n = 0;
    let source: string;

    beforeAll(async () => {
      database = await db.fresh();
      store = await openStore(database.url);
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });
    beforeEach(async () => {
      source = `s-${String(++n).padStart(3, '0')}`;
      await store.addSource(source, `name ${n}`, t0);
    });

    it('shows a source server with no liveness, then its poll, the command it holds and its last report', async () => {
      expect(await store.getSource(source, t0)).toEqual({ serverId: source, name: `name ${n}`, createdAt: t0, lastPollAt: null, lastReportAt: null, heldCommand: null });
      const queued = await store.enqueueCommand({ serverId: source, name: 'START', taskId: 't' }, t0);
      await store.leaseNextCommand(source, at(1), 60_000);
      await store.recordPolls([{ serverId: source, at: at(1).getTime() }]);
      expect(await store.getSource(source, at(2))).toMatchObject({ lastPollAt: at(1), lastReportAt: null, heldCommand: { id: queued.id, name: 'START', leaseExpiresAt: at(61) } });
      // the lease ended: nothing is held, though the command waits to be handed out again
      expect((await store.getSource(source, at(61)))?.heldCommand).toBeNull();
      await store.recordResult({ serverId: source, commandName: 'START', result: 'success', resultDetailJson: '{}', receivedAt: at(5), requestId: 'r1' });
      expect(await store.getSource(source, at(6))).toMatchObject({ lastReportAt: at(5), heldCommand: null });
      expect(await store.getSource('nobody', at(6))).toBeNull();
    });

    it('keeps the newest poll whatever order batches arrive in (another instance may write an older one later)', async () => {
      await store.recordPolls([{ serverId: source, at: at(10).getTime() }]);
      await store.recordPolls([{ serverId: source, at: at(4).getTime() }]);
      expect((await store.getSource(source, at(11)))?.lastPollAt).toEqual(at(10));
      await store.recordPolls([{ serverId: source, at: at(12).getTime() }]);
      expect((await store.getSource(source, at(13)))?.lastPollAt).toEqual(at(12));
    });

    it('writes a batch of exactly one statement of polls (500)', async () => {
      const full = Array.from({ length: 500 }, (_, i) => `full-${db.kind}-${i}`);
      for (const id of full) await store.addSource(id, null, t0);
      await store.recordPolls(full.map((serverId) => ({ serverId, at: at(7).getTime() })));
      expect((await store.getSource(full[499] as string, t0))?.lastPollAt).toEqual(at(7));
    });

    it('writes a batch of more polls than one statement takes', async () => {
      const many = Array.from({ length: 1201 }, (_, i) => `poll-${db.kind}-${i}`);
      for (const id of many) await store.addSource(id, null, t0);
      await store.recordPolls(many.map((serverId, i) => ({ serverId, at: at(i).getTime() })));
      expect((await store.getSource(many[1200] as string, t0))?.lastPollAt).toEqual(at(1200));
      expect((await store.getSource(many[0] as string, t0))?.lastPollAt).toEqual(at(0));
    });

    it('pages source servers by server_id, each once', async () => {
      const all: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.listSources({ now: t0, limit: 7, ...(after ? { after } : {}) });
        all.push(...page.map((s) => s.serverId));
        if (page.length < 7) break;
        after = page.at(-1)?.serverId;
      }
      expect(all).toEqual([...all].sort());
      expect(new Set(all).size).toBe(all.length);
      expect(all).toContain(source);
    });

    it('lists commands oldest first, by state, a page after a command', async () => {
      const ids = [];
      for (const name of ['START', 'SYNC', 'STOP', 'DELETE'] as const) ids.push((await store.enqueueCommand({ serverId: source, name }, t0)).id);
      await store.leaseNextCommand(source, t0, 60_000);
      await store.cancelCommand(source, ids[2] as number, t0);
      expect((await store.listCommands(source)).map((c) => [c.name, c.state])).toEqual([
        ['START', 'leased'],
        ['SYNC', 'pending'],
        ['STOP', 'cancelled'],
        ['DELETE', 'pending'],
      ]);
      expect((await store.listCommands(source, { state: 'pending' })).map((c) => c.name)).toEqual(['SYNC', 'DELETE']);
      expect((await store.listCommands(source, { state: 'cancelled' })).map((c) => c.name)).toEqual(['STOP']);
      expect((await store.listCommands(source, { state: 'done' })).map((c) => c.name)).toEqual([]);
      expect((await store.listCommands(source, { after: ids[0] as number, limit: 2 })).map((c) => c.name)).toEqual(['SYNC', 'STOP']);
      expect(await store.commandCounts(t0)).toMatchObject({ cancelled: expect.any(Number) });
    });

    it('cancels only a pending command of that source server, and a cancelled one is never handed out', async () => {
      const start = await store.enqueueCommand({ serverId: source, name: 'START' }, t0);
      const sync = await store.enqueueCommand({ serverId: source, name: 'SYNC' }, t0);
      await store.addSource(`${source}-b`, null, t0);
      expect(await store.cancelCommand(`${source}-b`, sync.id, at(1))).toEqual({ kind: 'not-found' });
      expect(await store.cancelCommand(source, sync.id, at(1))).toEqual({ kind: 'cancelled', command: { ...sync, state: 'cancelled', cancelledAt: at(1) } });
      expect(await store.cancelCommand(source, sync.id, at(2))).toMatchObject({ kind: 'not-pending', command: { state: 'cancelled', cancelledAt: at(1) } });
      await store.leaseNextCommand(source, at(3), 60_000);
      expect(await store.cancelCommand(source, start.id, at(4))).toMatchObject({ kind: 'not-pending', command: { state: 'leased' } });
      expect(await store.leaseNextCommand(source, at(120), 60_000)).toMatchObject({ kind: 'leased', command: { id: start.id } }); // START again, never SYNC
      expect(await store.cancelCommand(source, 987_654_321, at(5))).toEqual({ kind: 'not-found' });
    });

    it('never lets a cancel and a lease of the same command both win', async () => {
      for (let round = 0; round < 20; round++) {
        const id = `${source}-race-${round}`;
        await store.addSource(id, null, t0);
        const command = await store.enqueueCommand({ serverId: id, name: 'START' }, t0);
        const [cancelled, leased] = await Promise.all([store.cancelCommand(id, command.id, at(1)), store.leaseNextCommand(id, at(1), 60_000)]);
        expect([cancelled.kind === 'cancelled', leased.kind === 'leased'].filter(Boolean)).toHaveLength(1);
        const [after] = await store.listCommands(id);
        expect(after?.state).toBe(cancelled.kind === 'cancelled' ? 'cancelled' : 'leased');
      }
    });

    it('pages reports newest first, older than a report', async () => {
      for (let i = 1; i <= 5; i++) await store.recordResult({ serverId: source, commandName: 'UPLOAD_LOG', result: 'success', resultDetailJson: `{"n":${i}}`, receivedAt: at(i), requestId: `r${i}` });
      const first = await store.recentResults(source, { limit: 2 });
      expect(first.map((r) => r.requestId)).toEqual(['r5', 'r4']);
      const next = await store.recentResults(source, { limit: 10, before: first.at(-1)?.id as number });
      expect(next.map((r) => r.requestId)).toEqual(['r3', 'r2', 'r1']);
      expect((await store.listResults(source)).map((r) => r.requestId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    });

    it('stores admin tokens apart from Agent tokens, and keeps the first revocation time', async () => {
      const adminToken = await storeToken(store, { name: `admin-${n}`, kind: 'admin', now: t0 });
      const agentToken = await storeToken(store, { name: `agent-${n}`, now: t0 });
      const tokens = await store.listTokens();
      expect(tokens.find((x) => x.id === adminToken.id)).toMatchObject({ kind: 'admin', sources: null, actions: [] });
      expect(tokens.find((x) => x.id === agentToken.id)).toMatchObject({ kind: 'agent', actions: ['sms:server:getCommand', 'sms:server:updateCommandResult'] });
      expect(await store.revokeToken(adminToken.id, at(1))).toMatchObject({ id: adminToken.id, revokedAt: at(1) });
      expect(await store.revokeToken(adminToken.id, at(2))).toMatchObject({ revokedAt: at(1) });
      expect(await store.revokeToken('tok_nobody', at(2))).toBeNull();
    });

    it('stores an access key with its SK sealed, finds it by AK exactly as stored, lists it, keeps the first revocation, and reseals it', async () => {
      const sealer = testSealer();
      const key = await storeAccessKey(store, sealer, { name: `key-${n}`, sources: [source], actions: ['sms:server:getCommand'], expiresAt: at(3600), now: t0 });
      const found = await store.findAccessKey(key.accessKey);
      expect(found).toEqual({ accessKey: key.accessKey, name: `key-${n}`, sealedSecret: expect.stringMatching(/^v1\./), sources: [source], actions: ['sms:server:getCommand'], expiresAt: at(3600), revokedAt: null, createdAt: t0 });
      expect(found?.sealedSecret).not.toContain(key.secretKey);
      expect(sealer.open(found?.sealedSecret as string, key.accessKey)).toBe(key.secretKey);
      expect((await store.listAccessKeys()).map((k) => k.accessKey)).toContain(key.accessKey);
      expect(await store.findAccessKey('AKNOBODY')).toBeNull();
      const resealed = sealer.seal(key.secretKey, key.accessKey);
      await store.resealAccessKey(key.accessKey, resealed);
      expect((await store.findAccessKey(key.accessKey))?.sealedSecret).toBe(resealed);
      expect(await store.revokeAccessKey(key.accessKey, at(1))).toMatchObject({ accessKey: key.accessKey, revokedAt: at(1) });
      expect(await store.revokeAccessKey(key.accessKey, at(2))).toMatchObject({ revokedAt: at(1) });
      expect(await store.revokeAccessKey('AKNOBODY', at(2))).toBeNull();
    });

    it('lists access keys oldest first, an unlimited one with null sources', async () => {
      const later = await storeAccessKey(store, testSealer(), { name: `later-${n}`, now: at(20) });
      const earlier = await storeAccessKey(store, testSealer(), { name: `earlier-${n}`, now: at(10) });
      const listed = (await store.listAccessKeys()).map((k) => k.accessKey);
      expect(listed.indexOf(earlier.accessKey)).toBeLessThan(listed.indexOf(later.accessKey));
      expect(await store.findAccessKey(later.accessKey)).toMatchObject({ sources: null, expiresAt: null, actions: ['sms:server:getCommand', 'sms:server:updateCommandResult'] });
    });

    it('refuses a source server registered twice, and a command for one never registered, with the error table', async () => {
      await expect(store.addSource(source, null, t0)).rejects.toMatchObject({ kind: 'sourceAlreadyRegistered' });
      await expect(store.enqueueCommand({ serverId: 'nobody', name: 'START' }, t0)).rejects.toMatchObject({ kind: 'sourceNotFound' });
    });
  });
}
