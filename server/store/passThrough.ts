/**
 * The one way a store decorator passes on what it does not change: the decorator's own members where it
 * has them (its methods bound to it), `inner`'s for everything else (methods bound to `inner`). A decorator
 * then holds only what it changes, and a new Store method reaches every decorator without an edit.
 */
export function passThrough<D extends object, S extends object>(decorator: D, inner: S): D & Omit<S, keyof D> {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(decorator, {
    get(target, prop) {
      const owner: object = prop in target ? target : inner;
      const value = Reflect.get(owner, prop, owner) as unknown;
      if (typeof value !== 'function') return value;
      let fn = bound.get(prop);
      if (fn === undefined) {
        fn = (value as (...args: unknown[]) => unknown).bind(owner);
        bound.set(prop, fn);
      }
      return fn;
    },
    has: (target, prop) => prop in target || prop in inner,
  }) as D & Omit<S, keyof D>;
}
