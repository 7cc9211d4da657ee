/** A store that tells `onError` about every call that fails (for the database-error metric), and otherwise is the store. */
import { memberNames, passThrough } from './passThrough.js';
import type { Store } from './types.js';

export function withErrorCount(inner: Store, onError: () => void): Store {
  const counted: Record<PropertyKey, unknown> = {};
  for (const name of memberNames(inner)) {
    const method = Reflect.get(inner, name) as unknown;
    if (typeof method !== 'function' || name === 'close') continue;
    counted[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      } catch (err) {
        onError();
        throw err;
      }
    };
  }
  return passThrough(counted, inner) as unknown as Store;
}
