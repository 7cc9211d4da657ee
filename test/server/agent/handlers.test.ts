/**
 * server/agent/handlers.ts, the functions both request paths call: ShowCommand answers at once when the
 * read cache knows the source server idle (no store call, no promise), and otherwise leases for the
 * configured lease; UpdateCommandResult stores what was sent.
 */
import { describe, expect, it } from 'vitest';
import { agentHandlers } from '../../../server/agent/handlers.js';
import { openStore } from '../../../server/store/index.js';
import type { LeaseOutcome } from '../../../server/store/types.js';
import { EXAMPLE_SOURCE } from '../../../harness/fixtures.js';

const now = new Date('2026-12-03T10:00:00Z');
const context = { query: {} as never, rawBody: undefined, requestId: 'r-1' };

describe('agentHandlers', () => {
  it('ShowCommand answers SKIP at once when the read cache knows the source server idle, noting the poll', () => {
    const polled: string[] = [];
    const peeked: Array<[string, number]> = [];
    const idle: LeaseOutcome = { kind: 'idle', idleUntil: null };
    const store = { leaseNextCommand: () => Promise.reject(new Error('the store is not asked')) } as never;
    const handlers = agentHandlers({
      store,
      clock: { now: () => now },
      config: { leaseSeconds: 60 },
      cache: { peekIdle: (id, at) => (peeked.push([id, at]), idle) },
      liveness: { polled: (id) => void polled.push(id) },
    });
    const answer = handlers.ShowCommand({ params: { server_id: EXAMPLE_SOURCE }, body: undefined, ...context });
    expect(answer).toEqual({ status: 200, body: { command_name: 'SKIP' } }); // the answer itself, not a promise
    expect(Object.isFrozen((answer as { body: object }).body)).toBe(true); // serialised once by the fast path
    expect(peeked).toEqual([[EXAMPLE_SOURCE, now.getTime()]]);
    expect(polled).toEqual([EXAMPLE_SOURCE]);
  });

  it('ShowCommand leases from the store for LEASE_SECONDS when the cache does not know, and 404s an unknown source server', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await store.addSource(EXAMPLE_SOURCE, null, now);
      await store.enqueueCommand({ serverId: EXAMPLE_SOURCE, name: 'START', taskId: 't-1' }, now);
      const handlers = agentHandlers({ store, clock: { now: () => now }, config: { leaseSeconds: 90 }, cache: { peekIdle: () => undefined } });
      const answer = handlers.ShowCommand({ params: { server_id: EXAMPLE_SOURCE }, body: undefined, ...context });
      expect(answer).toBeInstanceOf(Promise);
      expect(await answer).toEqual({ status: 200, body: { command_name: 'START', command_param: { task_id: 't-1' } } });
      const [command] = await store.listCommands(EXAMPLE_SOURCE);
      expect(command?.leaseExpiresAt?.getTime()).toBe(now.getTime() + 90_000);
      await expect(handlers.ShowCommand({ params: { server_id: 'nobody' }, body: undefined, ...context })).rejects.toMatchObject({ code: 'SMS.2006' });
    } finally {
      await store.close();
    }
  });

  it('UpdateCommandResult stores result_detail as sent: a string holding a JSON object as that object, any other string (a number, null, an array, text) as the string', async () => {
    const stored: string[] = [];
    const store = { recordResult: async (r: { resultDetailJson: string }) => (stored.push(r.resultDetailJson), { kind: 'stored', result: {} }) } as never;
    const handlers = agentHandlers({ store, clock: { now: () => now }, config: { leaseSeconds: 60 } });
    const sent = ['{"msg":"xxx"}', ' {"a":[1]} ', '42', 'null', 'true', '[1,2]', '"quoted"', 'done', ''];
    for (const detail of sent) {
      const rawBody = JSON.stringify({ command_name: 'START', result: 'success', result_detail: detail });
      await handlers.UpdateCommandResult({ params: { server_id: EXAMPLE_SOURCE }, body: JSON.parse(rawBody), ...context, rawBody });
    }
    expect(stored).toEqual(['{"msg":"xxx"}', ' {"a":[1]} ', ...sent.slice(2).map((d) => JSON.stringify(d))]);
  });
});
