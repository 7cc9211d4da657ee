/** server/store/instrumented.ts: every failing store call is counted once; values and close() pass through untouched. */
import { describe, expect, it } from 'vitest';
import { withErrorCount } from '../../../server/store/instrumented.js';
import { openStore } from '../../../server/store/index.js';
import { faultyStore } from '../../../harness/storeDoubles.js';

describe('withErrorCount', () => {
  it('counts each failing call, passes results and values through, and keeps one wrapper per method', async () => {
    const inner = await openStore('sqlite::memory:');
    const spy = faultyStore(inner);
    let errors = 0;
    const store = withErrorCount(spy.store, () => errors++);
    try {
      expect(store.kind).toBe('sqlite');
      expect(store.ping).toBe(store.ping);
      await store.ping();
      expect(errors).toBe(0);
      spy.fail(true, { methods: ['ping'] });
      await expect(store.ping()).rejects.toThrow('injected backend failure in ping');
      await expect(store.ping()).rejects.toThrow();
      expect(errors).toBe(2);
    } finally {
      spy.fail(false);
      await store.close();
    }
  });

  it('does not count a close() that fails', async () => {
    const inner = await openStore('sqlite::memory:');
    let errors = 0;
    const failingClose = new Proxy(inner, {
      get: (t, p, r) => (p === 'close' ? async () => { await inner.close(); throw new Error('close failed'); } : Reflect.get(t, p, r)),
    });
    await expect(withErrorCount(failingClose, () => errors++).close()).rejects.toThrow('close failed');
    expect(errors).toBe(0);
  });
});
