/** A store that tells `onError` about every call that fails (for the database-error metric), and otherwise is the store. */
import type { Store } from './types.js';

export function withErrorCount(inner: Store, onError: () => void): Store {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        fn = async (...args: unknown[]) => {
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (err) {
            onError();
            throw err;
          }
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
