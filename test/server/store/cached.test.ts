/**
 * The read cache (server/store/cached.ts) on SQLite and PostgreSQL: what it serves from memory, and that
 * every change made elsewhere (a second connection stands for the admin CLI or another instance) is seen
 * at the next change-epoch check; nothing is served when checks fail or are late.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, verifyToken } from '../../../server/auth.js';
import { storeAccessKey, storeToken, testSealer } from '../../../harness/tokens.js';
import { withReadCache, type CachedStore } from '../../../server/store/cached.js';
import { openStore } from '../../../server/store/index.js';
import { type Store } from '../../../server/store/types.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres, type TestDatabase } from '../../../harness/databases.js';
import { borrowed, faultyStore } from '../../../harness/storeDoubles.js';

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

    it('serves repeated access key lookups from memory, and sees one revoked by another connection at the next check', async () => {
      await setUp();
      const { accessKey } = await storeAccessKey(other, testSealer(), { name: 'k', now });
      monotonic += REFRESH_MS;
      await cache.refresh();
      const first = await cache.findAccessKey(accessKey);
      expect(await cache.findAccessKey(accessKey)).toBe(first);
      expect(cache.peekAccessKey(accessKey)).toBe(first);
      expect(Object.isFrozen(first) && Object.isFrozen(first?.actions)).toBe(true);
      expect(spy.calls.findAccessKey).toBe(1);
      expect(await cache.findAccessKey('AKNOBODY')).toBeNull();
      expect(cache.peekAccessKey('AKNOBODY')).toBeUndefined();
      await other.revokeAccessKey(accessKey, now);
      monotonic += REFRESH_MS;
      await cache.refresh();
      expect(cache.peekAccessKey(accessKey)).toBeUndefined();
      expect((await cache.findAccessKey(accessKey))?.revokedAt).toEqual(now);
    });

    it('the change epoch moves with access keys: issued, revoked, resealed', async () => {
      await setUp();
      const sealer = testSealer();
      let e = await raw.changeEpoch();
      const moved = async () => {
        const next = await raw.changeEpoch();
        const changed = next !== e;
        e = next;
        return changed;
      };
      const { accessKey, secretKey } = await storeAccessKey(other, sealer, { name: 'e', now });
      expect(await moved()).toBe(true);
      await other.resealAccessKey(accessKey, sealer.seal(secretKey, accessKey));
      expect(await moved()).toBe(true);
      await other.revokeAccessKey(accessKey, now);
      expect(await moved()).toBe(true);
    });
  });
}

describe('read cache bookkeeping', () => {
  let inner: Store;
  beforeAll(async () => {
    inner = await openStore('sqlite::memory:');
    await inner.addSource('s1', null, new Date());
    await inner.addSource('s2', null, new Date());
  });
  afterAll(async () => inner?.close());

  it('refuses a refresh interval below 1 ms', () => {
    expect(() => withReadCache(borrowed(inner), { refreshMs: 0, autoRefresh: false })).toThrow(new RangeError('refreshMs must be at least 1 (got 0)'));
    expect(() => withReadCache(borrowed(inner), { refreshMs: Number.NaN, autoRefresh: false })).toThrow(RangeError);
  });

  it('reports every check (reached, dropped), and its status: the epoch seen and how long ago', async () => {
    const checks: Array<{ ok: boolean; dropped: boolean }> = [];
    let t = 1000;
    const spy = faultyStore(inner);
    const cache = withReadCache(borrowed(spy.store), { refreshMs: 100, autoRefresh: false, monotonicNow: () => t, onCheck: (c) => checks.push(c) });
    try {
      expect(cache.cacheStatus()).toEqual({ epoch: null, checkedMsAgo: null });
      await cache.refresh(); // the first check: the epoch is new, nothing was cached
      await cache.refresh();
      t += 40;
      expect(cache.cacheStatus()).toEqual({ epoch: await inner.changeEpoch(), checkedMsAgo: 40 });
      await inner.addSource('s3', null, new Date());
      await cache.refresh();
      spy.fail(true);
      await cache.refresh();
      expect(checks).toEqual([
        { ok: true, dropped: true },
        { ok: true, dropped: false },
        { ok: true, dropped: true },
        { ok: false, dropped: true },
      ]);
      expect(cache.cacheStatus()).toEqual({ epoch: null, checkedMsAgo: null });
    } finally {
      spy.fail(false);
      await cache.close();
    }
  });

  it('runs one check at a time, and checks on its own timer unless told not to', async () => {
    const spy = faultyStore(inner);
    const manual = withReadCache(borrowed(spy.store), { refreshMs: 5, autoRefresh: false });
    const [a, b] = [manual.refresh(), manual.refresh()];
    expect(a).toBe(b);
    await a;
    const calls = spy.calls.changeEpoch ?? 0;
    await new Promise((r) => setTimeout(r, 40));
    expect(spy.calls.changeEpoch).toBe(calls); // no timer
    await manual.close();
    const timed = faultyStore(inner);
    const auto = withReadCache(borrowed(timed.store), { refreshMs: 5 });
    await new Promise((r) => setTimeout(r, 60));
    expect(timed.calls.changeEpoch ?? 0).toBeGreaterThan(3);
    await auto.close();
    const after = timed.calls.changeEpoch;
    await new Promise((r) => setTimeout(r, 30));
    expect(timed.calls.changeEpoch).toBe(after); // close() stopped the timer
  });

  it('peeks synchronously only at what it may serve, and keeps cached tokens frozen', async () => {
    let t = 0;
    const spy = faultyStore(inner);
    const cache = withReadCache(borrowed(spy.store), { refreshMs: 100, autoRefresh: false, monotonicNow: () => t });
    try {
      const { secret } = await storeToken(inner, { name: 'peek' });
      const hash = hashToken(secret);
      await cache.refresh();
      expect(cache.peekToken(hash)).toBeUndefined();
      expect(cache.peekIdle('s1', 0)).toBeUndefined();
      const record = await cache.findTokenByHash(hash);
      await cache.leaseNextCommand('s1', new Date(0), LEASE_MS);
      expect(cache.peekToken(hash)).toBe(record);
      expect(Object.isFrozen(record) && Object.isFrozen(record?.actions)).toBe(true);
      expect(cache.peekIdle('s1', 0)).toEqual({ kind: 'idle', idleUntil: null });
      expect(cache.peekIdle('s2', 0)).toBeUndefined();
      t += 300; // the last check is exactly three intervals old: still served
      expect(cache.peekToken(hash)).toBe(record);
      t += 1; // checks late: nothing is served
      expect([cache.peekToken(hash), cache.peekIdle('s1', 0)]).toEqual([undefined, undefined]);
    } finally {
      await cache.close();
    }
  });

  it('keeps an idle state only until the earliest lease ends, and peeks at nothing from then on', async () => {
    const cache = withReadCache(borrowed(inner), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0 });
    try {
      await inner.addSource('leasing', null, new Date(0));
      await inner.enqueueCommand({ serverId: 'leasing', name: 'START' }, new Date(0));
      await cache.refresh();
      await cache.leaseNextCommand('leasing', new Date(1000), 60_000); // leased until 61,000
      expect(await cache.leaseNextCommand('leasing', new Date(2000), 60_000)).toEqual({ kind: 'idle', idleUntil: new Date(61_000) });
      expect(cache.peekIdle('leasing', 60_999)).toEqual({ kind: 'idle', idleUntil: new Date(61_000) });
      expect(cache.peekIdle('leasing', 61_000)).toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it('drops cached access keys when this process issues, revokes or reseals one through it, and keeps sources of a cached key frozen', async () => {
    const sealer = testSealer();
    const cache = withReadCache(borrowed(inner), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0 });
    try {
      await cache.refresh();
      const limited = await storeAccessKey(inner, sealer, { name: 'limited', sources: ['s1'] });
      const held = await cache.findAccessKey(limited.accessKey);
      expect(cache.peekAccessKey(limited.accessKey)).toBe(held);
      expect(Object.isFrozen(held?.sources)).toBe(true);
      const writes: Array<() => Promise<unknown>> = [
        () => storeAccessKey(cache, sealer, { name: 'another' }),
        () => cache.resealAccessKey(limited.accessKey, sealer.seal(limited.secretKey, limited.accessKey)),
        () => cache.revokeAccessKey(limited.accessKey, new Date()),
      ];
      for (const write of writes) {
        await cache.findAccessKey(limited.accessKey);
        expect(cache.peekAccessKey(limited.accessKey)).toBeDefined();
        await write();
        expect(cache.peekAccessKey(limited.accessKey)).toBeUndefined();
      }
      expect((await cache.listAccessKeys()).map((k) => k.name)).toEqual(expect.arrayContaining(['limited', 'another']));
    } finally {
      await cache.close();
    }
  });

  it('starts over when an entry kind is full', async () => {
    const spy = faultyStore(inner);
    const cache = withReadCache(borrowed(spy.store), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0, maxEntries: 2 });
    try {
      await cache.refresh();
      const secrets = [];
      for (let i = 0; i < 3; i++) secrets.push((await storeToken(inner, { name: `full-${i}` })).secret);
      await cache.refresh();
      await cache.findTokenByHash(hashToken(secrets[0] as string));
      await cache.findTokenByHash(hashToken(secrets[1] as string));
      expect([cache.peekToken(hashToken(secrets[0] as string)), cache.peekToken(hashToken(secrets[1] as string))].every(Boolean)).toBe(true); // two fit
      await cache.findTokenByHash(hashToken(secrets[2] as string)); // the third empties the map, then is kept
      expect(cache.peekToken(hashToken(secrets[2] as string))).toBeDefined();
      expect(cache.peekToken(hashToken(secrets[0] as string))).toBeUndefined();
      expect(cache.peekToken(hashToken(secrets[1] as string))).toBeUndefined();
    } finally {
      await cache.close();
    }
  });

  it('passes the change epoch, ping and the command counts through to the store', async () => {
    const spy = faultyStore(inner);
    const cache = withReadCache(borrowed(spy.store), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0 });
    try {
      const now = new Date();
      expect(await cache.changeEpoch()).toBe(await inner.changeEpoch());
      await cache.ping();
      expect(spy.calls.ping).toBe(1);
      expect(await cache.commandCounts(now)).toEqual(await inner.commandCounts(now));
    } finally {
      await cache.close();
    }
  });

  it('tells onStatus once when checks start failing and once when they work again (and recovers without onStatus)', async () => {
    const statuses: boolean[] = [];
    const spy = faultyStore(inner);
    const told = withReadCache(borrowed(spy.store), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0, onStatus: (s) => statuses.push(s.ok) });
    const silent = withReadCache(borrowed(spy.store), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0 });
    try {
      for (const cache of [told, silent]) await cache.refresh(); // the first check, started when it was made
      spy.fail(true);
      for (const cache of [told, silent, told, silent]) await cache.refresh();
      spy.fail(false);
      for (const cache of [told, silent, told, silent]) await cache.refresh();
      expect(statuses).toEqual([false, true]);
      expect(silent.cacheStatus().epoch).toBe(await inner.changeEpoch());
    } finally {
      spy.fail(false);
      await told.close();
      await silent.close();
    }
  });

  // Two tests, each deterministic: with a 1 ms interval on the process clock, entries are stale after 3 ms,
  // which a busy machine can take between two lines (it failed so while the other core was busy)
  it('takes a refresh interval of exactly 1 ms', async () => {
    const cache = withReadCache(borrowed(inner), { refreshMs: 1, autoRefresh: false, monotonicNow: () => 0 });
    try {
      const { secret } = await storeToken(inner, { name: 'one ms' });
      await cache.refresh();
      const record = await cache.findTokenByHash(hashToken(secret));
      expect(cache.peekToken(hashToken(secret))).toBe(record);
    } finally {
      await cache.close();
    }
  });

  it('uses the process clock when given none', async () => {
    const cache = withReadCache(borrowed(inner), { refreshMs: 60_000, autoRefresh: false });
    try {
      const { secret } = await storeToken(inner, { name: 'clock' });
      await cache.refresh();
      const record = await cache.findTokenByHash(hashToken(secret));
      expect(cache.peekToken(hashToken(secret))).toBe(record);
      await new Promise((resolve) => setTimeout(resolve, 25));
      expect(cache.cacheStatus().checkedMsAgo).toBeGreaterThanOrEqual(20);
    } finally {
      await cache.close();
    }
  });

  it('keeps the source servers of a cached token frozen too', async () => {
    const cache = withReadCache(borrowed(inner), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0 });
    try {
      const { secret } = await storeToken(inner, { name: 'scoped', sources: ['s1'] });
      await cache.refresh();
      const record = await cache.findTokenByHash(hashToken(secret));
      expect(record?.sources).toEqual(['s1']);
      expect(Object.isFrozen(record?.sources)).toBe(true);
    } finally {
      await cache.close();
    }
  });

  it('does not keep an idle answer that was read before the cache was dropped', async () => {
    const spy = faultyStore(inner);
    const cache = withReadCache(borrowed(spy.store), { refreshMs: 100, autoRefresh: false, monotonicNow: () => 0 });
    try {
      await cache.refresh();
      const held = spy.hold();
      const lease = cache.leaseNextCommand('s2', new Date(0), LEASE_MS);
      await held.answered; // the database answered "idle"; the answer is held on its way back
      await inner.addSource(`dropped-${Date.now()}`, null, new Date(0)); // another writer moves the epoch
      await cache.refresh(); // the check sees it and drops the cache
      held.release();
      expect(await lease).toEqual({ kind: 'idle', idleUntil: null });
      expect(cache.peekIdle('s2', 0)).toBeUndefined();
    } finally {
      await cache.close();
    }
  });
});
