/**
 * The read cache (server/store/cached.ts) on SQLite and PostgreSQL: what it serves from memory, and that
 * every change made elsewhere (a second connection stands for the admin CLI or another instance) is seen
 * at the next change-epoch check; nothing is served when checks fail or are late.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, verifyToken } from '../../server/auth.js';
import { storeToken } from '../../harness/tokens.js';
import { withReadCache, type CachedStore } from '../../server/store/cached.js';
import { openStore } from '../../server/store/index.js';
import { type Store } from '../../server/store/types.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres, type TestDatabase } from '../../harness/databases.js';
import { borrowed, faultyStore } from '../../harness/storeDoubles.js';

const REFRESH_MS = 50;
const LEASE_MS = 600_000;

const kinds: Array<{ kind: string; skip?: string; fresh(): Promise<TestDatabase> }> = [
  {
    kind: 'sqlite',
    fresh: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sms-cache-'));
      return { url: `sqlite:${join(dir, 'sms.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  { kind: 'postgres', ...(TEST_DATABASE_URL ? {} : { skip: PG_SKIP_REASON }), fresh: () => freshPostgres() },
];

for (const db of kinds) {
  const suite = db.skip ? describe.skip : describe;
  suite(`read cache on ${db.kind}${db.skip ? ` (${db.skip})` : ''}`, () => {
    let database: TestDatabase;
    let raw: Store;
    /** A second connection: the admin CLI or another instance. */
    let other: Store;
    let spy: ReturnType<typeof faultyStore>;
    let cache: CachedStore;
    let monotonic = 0;
    let n = 0;
    const now = new Date('2026-01-28T00:00:00Z');

    beforeAll(async () => {
      database = await db.fresh();
      raw = await openStore(database.url);
      other = await openStore(database.url);
    });
    afterAll(async () => {
      await raw?.close();
      await other?.close();
      await database?.drop();
    });
    afterEach(async () => {
      await cache?.close();
    });

    async function setUp(): Promise<{ source: string; secret: string; tokenId: string }> {
      spy = faultyStore(raw);
      monotonic = 0;
      // close() of the cache closes its store: give it one that keeps the shared connection open
      cache = withReadCache(borrowed(spy.store), { refreshMs: REFRESH_MS, monotonicNow: () => monotonic, autoRefresh: false });
      await cache.refresh();
      const source = `src-${db.kind}-${++n}`;
      await other.addSource(source, null, now);
      const { secret, id } = await storeToken(other, { name: 't', now });
      await cache.refresh();
      return { source, secret, tokenId: id };
    }

    it('serves repeated token lookups and idle polls from memory', async () => {
      const { source, secret } = await setUp();
      for (let i = 0; i < 5; i++) {
        expect((await verifyToken(cache, secret, now)).tokenHash).toBe(hashToken(secret));
        expect(await cache.leaseNextCommand(source, now, LEASE_MS)).toEqual({ kind: 'idle', idleUntil: null });
      }
      expect(spy.calls.findTokenByHash).toBe(1);
      expect(spy.calls.leaseNextCommand).toBe(1);
    });

    it('does not cache unknown tokens or unknown sources (a new one works at once)', async () => {
      const { secret } = await setUp();
      expect(await cache.findTokenByHash(hashToken(`${secret}x`))).toBeNull();
      expect(await cache.findTokenByHash(hashToken(`${secret}x`))).toBeNull();
      expect(spy.calls.findTokenByHash).toBe(2);
      const newcomer = `nobody-yet-${db.kind}-${n}`;
      expect((await cache.leaseNextCommand(newcomer, now, LEASE_MS)).kind).toBe('unknown-source');
      await other.addSource(newcomer, null, now);
      expect((await cache.leaseNextCommand(newcomer, now, LEASE_MS)).kind).toBe('idle');
    });

    it('sees a token revoked by another connection at the next check', async () => {
      const { secret, tokenId } = await setUp();
      await verifyToken(cache, secret, now);
      expect(await other.revokeToken(tokenId, now)).toMatchObject({ id: tokenId, revokedAt: now });
      monotonic += REFRESH_MS;
      await cache.refresh();
      await expect(verifyToken(cache, secret, now)).rejects.toMatchObject({ code: 'SMS.9002' });
    });

    it('sees a command queued by another connection at the next check', async () => {
      const { source } = await setUp();
      expect((await cache.leaseNextCommand(source, now, LEASE_MS)).kind).toBe('idle');
      await other.enqueueCommand({ serverId: source, name: 'START', taskId: 't1' }, now);
      monotonic += REFRESH_MS;
      await cache.refresh();
      const leased = await cache.leaseNextCommand(source, now, LEASE_MS);
      expect(leased).toMatchObject({ kind: 'leased', command: { name: 'START', taskId: 't1' } });
    });

    it('drops everything at once when this process writes through it', async () => {
      const { source, secret, tokenId } = await setUp();
      await verifyToken(cache, secret, now);
      expect((await cache.leaseNextCommand(source, now, LEASE_MS)).kind).toBe('idle');
      await cache.enqueueCommand({ serverId: source, name: 'STOP' }, now);
      expect((await cache.leaseNextCommand(source, now, LEASE_MS)).kind).toBe('leased');
      // the token is cached again (a second lookup does not reach the database) when it is revoked
      await verifyToken(cache, secret, now);
      const lookups = spy.calls.findTokenByHash;
      await verifyToken(cache, secret, now);
      expect(spy.calls.findTokenByHash).toBe(lookups);
      await cache.revokeToken(tokenId, now);
      await expect(verifyToken(cache, secret, now)).rejects.toMatchObject({ code: 'SMS.9002' });
    });

    it('keeps an idle poll only until the earliest lease ends, then redelivers', async () => {
      const { source } = await setUp();
      await other.enqueueCommand({ serverId: source, name: 'SYNC', bucket: 'b' }, now);
      await cache.refresh();
      expect((await cache.leaseNextCommand(source, now, LEASE_MS)).kind).toBe('leased');
      const idle = await cache.leaseNextCommand(source, now, LEASE_MS);
      expect(idle).toEqual({ kind: 'idle', idleUntil: new Date(now.getTime() + LEASE_MS) });
      const later = new Date(now.getTime() + LEASE_MS - 1);
      expect((await cache.leaseNextCommand(source, later, LEASE_MS)).kind).toBe('idle');
      const calls = spy.calls.leaseNextCommand;
      const expired = new Date(now.getTime() + LEASE_MS);
      expect(await cache.leaseNextCommand(source, expired, LEASE_MS)).toMatchObject({ kind: 'leased', command: { name: 'SYNC', deliveries: 2 } });
      expect(spy.calls.leaseNextCommand).toBe((calls ?? 0) + 1);
    });

    it('serves nothing from memory while the change epoch cannot be checked, and recovers', async () => {
      const statuses: boolean[] = [];
      const { secret } = await setUp();
      await cache.close();
      cache = withReadCache(borrowed(spy.store), { refreshMs: REFRESH_MS, monotonicNow: () => monotonic, autoRefresh: false, onStatus: (s) => statuses.push(s.ok) });
      await cache.refresh();
      await verifyToken(cache, secret, now);
      spy.fail(true);
      await cache.refresh();
      await expect(verifyToken(cache, secret, now)).rejects.toThrow(/injected backend failure in findTokenByHash/);
      spy.fail(false);
      await cache.refresh();
      await verifyToken(cache, secret, now);
      await verifyToken(cache, secret, now);
      expect(spy.calls.findTokenByHash).toBe(3); // first read, the one during the outage, the first after it
      expect(statuses).toEqual([false, true]);
      expect(cache.cacheStatus().epoch).toEqual(expect.any(Number));
    });

    it('serves nothing from memory when the last check is older than 3 x refreshMs', async () => {
      const { secret } = await setUp();
      await verifyToken(cache, secret, now);
      monotonic += 3 * REFRESH_MS + 1; // the timer did not run (a stalled event loop)
      await verifyToken(cache, secret, now);
      expect(spy.calls.findTokenByHash).toBe(2);
      await cache.refresh();
      await verifyToken(cache, secret, now);
      expect(spy.calls.findTokenByHash).toBe(2);
    });

    it('does not keep a read that was in flight while the cache was dropped', async () => {
      const { secret, tokenId } = await setUp();
      const held = spy.hold();
      const inFlight = cache.findTokenByHash(hashToken(secret));
      await held.answered; // the database answered before the revocation below
      await other.revokeToken(tokenId, now);
      monotonic += REFRESH_MS;
      await cache.refresh(); // epoch moved: drop
      held.release();
      expect((await inFlight)?.revokedAt).toBeNull(); // the old answer, to the request that asked before
      await expect(verifyToken(cache, secret, now)).rejects.toMatchObject({ code: 'SMS.9002' }); // not kept
    });

    it('the change epoch moves with tokens, sources and queued commands, not with leases and reports', async () => {
      const { source, tokenId } = await setUp();
      const epoch = () => raw.changeEpoch();
      let e = await epoch();
      const moved = async () => {
        const next = await epoch();
        const changed = next !== e;
        e = next;
        return changed;
      };
      await other.enqueueCommand({ serverId: source, name: 'START' }, now);
      expect(await moved()).toBe(true);
      await other.leaseNextCommand(source, now, LEASE_MS);
      await other.recordResult({ serverId: source, commandName: 'START', result: 'success', resultDetailJson: '{}', receivedAt: now, requestId: 'r1' });
      await other.recordResult({ serverId: source, commandName: 'STOP', result: 'success', resultDetailJson: '{}', receivedAt: now, requestId: 'r2' });
      expect(await moved()).toBe(false);
      await other.revokeToken(tokenId, now);
      expect(await moved()).toBe(true);
      await other.addSource(`${source}-b`, null, now);
      expect(await moved()).toBe(true);
      await storeToken(other, { name: 'u', now });
      expect(await moved()).toBe(true);
    });
  });
}
