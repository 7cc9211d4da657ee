/**
 * server/liveness.ts: polls are noted in memory and written in one batch per flush, one row per source
 * server (its newest poll); what is not written yet is still seen; a batch that fails is written with the
 * next one; closing writes what is left. No database write happens per poll.
 */
import { describe, expect, it, vi } from 'vitest';
import { createLiveness } from '../../server/liveness.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 28) + ms);

/** A store that records every batch it is given (sorted by source server), and fails while `failing` is set. */
function recordingStore() {
  const batches: Array<Array<{ serverId: string; at: number }>> = [];
  let failing = false;
  return {
    batches,
    fail: (on: boolean) => void (failing = on),
    store: {
      recordPolls: vi.fn(async (polls: ReadonlyArray<{ serverId: string; at: number }>) => {
        if (failing) throw new Error('injected: the database is down');
        batches.push([...polls].sort((x, y) => x.serverId.localeCompare(y.serverId)));
      }),
    },
  };
}

describe('liveness', () => {
  it('writes nothing per poll, then one batch with the newest poll of each source server', async () => {
    const db = recordingStore();
    const liveness = createLiveness({ store: db.store, flushMs: 0 });
    for (let i = 0; i < 100; i++) liveness.polled(i % 2 ? 'a' : 'b', at(i));
    liveness.polled('a', at(50)); // an older time (another clock) does not replace a newer one
    expect(db.store.recordPolls).not.toHaveBeenCalled();
    expect(liveness.unwritten('a')).toEqual(at(99));
    await liveness.flush();
    expect(db.batches).toEqual([[{ serverId: 'a', at: at(99).getTime() }, { serverId: 'b', at: at(98).getTime() }]]);
    expect(liveness.unwritten('a')).toBeUndefined();
    await liveness.flush();
    expect(db.batches).toHaveLength(1); // nothing new: no write
  });

  it('keeps a batch that could not be written and writes it with the next one, telling onError', async () => {
    const db = recordingStore();
    const onError = vi.fn();
    const liveness = createLiveness({ store: db.store, flushMs: 0, onError });
    liveness.polled('a', at(1));
    db.fail(true);
    await liveness.flush();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'injected: the database is down' }), 1);
    expect(liveness.unwritten('a')).toEqual(at(1));
    liveness.polled('b', at(2));
    db.fail(false);
    await liveness.flush();
    expect(db.batches).toEqual([[{ serverId: 'a', at: at(1).getTime() }, { serverId: 'b', at: at(2).getTime() }]]);
  });

  it('shows a poll as unwritten while its batch is being written, and after a failed write', async () => {
    let release!: () => void;
    const store = { recordPolls: vi.fn(() => new Promise<void>((r) => (release = r))) };
    const liveness = createLiveness({ store, flushMs: 0 });
    liveness.polled('a', at(1));
    const flushing = liveness.flush();
    expect(liveness.unwritten('a')).toEqual(at(1));
    expect(liveness.flush()).toBe(flushing); // one write at a time
    release();
    await flushing;
    expect(liveness.unwritten('a')).toBeUndefined();
  });

  it('flushes on its timer every flushMs, and close() stops the timer and writes what is left', async () => {
    vi.useFakeTimers();
    try {
      const db = recordingStore();
      const liveness = createLiveness({ store: db.store, flushMs: 5000 });
      liveness.polled('a', at(1));
      await vi.advanceTimersByTimeAsync(4999);
      expect(db.batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(db.batches).toHaveLength(1);
      liveness.polled('b', at(2));
      await liveness.close();
      expect(db.batches).toEqual([[{ serverId: 'a', at: at(1).getTime() }], [{ serverId: 'b', at: at(2).getTime() }]]);
      liveness.polled('c', at(3));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(db.batches).toHaveLength(2); // the timer is gone
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('liveness in the app (server/compose.ts)', () => {
  it('records the polls of registered source servers only, and none with LIVENESS_FLUSH_MS=0', async () => {
    const { startInProcess } = await import('../../harness/inProcess.js');
    const { call, commandPath } = await import('../../harness/http.js');
    for (const flushMs of [5000, 0]) {
      const server = await startInProcess({ livenessFlushMs: flushMs });
      try {
        await server.addSource('alive');
        const agent = (await server.token()).secret;
        const admin = (await server.token({ kind: 'admin' })).secret;
        expect((await call(server.baseUrl, 'GET', commandPath('alive'), { token: agent })).status).toBe(200);
        expect((await call(server.baseUrl, 'GET', commandPath('unregistered'), { token: agent })).status).toBe(404);
        await server.flushLiveness();
        const shown = (await call(server.baseUrl, 'GET', '/admin/v1/sources/alive', { token: admin })).json();
        expect(shown.last_poll_at === null, `LIVENESS_FLUSH_MS=${flushMs}`).toBe(flushMs === 0);
        expect((await server.store.listSources({ now: new Date(), limit: 10 })).map((s) => s.serverId)).toEqual(['alive']);
      } finally {
        await server.close();
      }
    }
  });
});
