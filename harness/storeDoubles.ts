/**
 * Store doubles for tests: a wrapper that counts the calls reaching a store and can make them fail (a
 * backend outage) or hold their answers; and a borrowed view whose close() leaves the store open.
 */
import type { Store } from '../server/store/types.js';

export function faultyStore(inner: Store) {
  const calls: Record<string, number> = {};
  let failing: false | { methods: string[] | null; error: (method: string) => unknown } = false;
  let gate: Promise<void> | null = null;
  let reached: () => void = () => {};
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close') return value;
      return async (...args: unknown[]) => {
        calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
        if (failing && (failing.methods === null || failing.methods.includes(String(prop)))) throw failing.error(String(prop));
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (gate && prop !== 'changeEpoch') {
          reached();
          await gate;
        }
        return result;
      };
    },
  });
  return {
    store,
    /** How many calls of each method reached the store. */
    calls,
    /** Makes calls fail (all, or only `methods`), with a plain Error (a backend outage: 500) or `error()`. */
    fail: (on: boolean, options: { methods?: string[]; error?: (method: string) => unknown } = {}) =>
      void (failing = on && { methods: options.methods ?? null, error: options.error ?? ((method) => new Error(`injected backend failure in ${method}`)) }),
    /** Holds every answer (after the database gave it) until release(); `answered` resolves when one is held. */
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      const answered = new Promise<void>((r) => (reached = r));
      return {
        answered,
        release: () => {
          gate = null;
          release();
        },
      };
    },
  };
}

/** The store as seen by something that does not own it: its close() leaves the store open. */
export function borrowed(store: Store): Store {
  return new Proxy(store, { get: (t, p, r) => (p === 'close' ? async () => {} : Reflect.get(t, p, r)) });
}
