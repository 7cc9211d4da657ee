/** Wraps a store so that a test can make every call fail (a backend outage) and restore it. */
import type { Store } from '../../server/store/types.js';

export function faultyStore(inner: Store): { store: Store; fail(on: boolean): void } {
  let failing = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) => {
        if (failing) return Promise.reject(new Error(`injected backend failure in ${String(prop)}`));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, fail: (on) => void (failing = on) };
}
