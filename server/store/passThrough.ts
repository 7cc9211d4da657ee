/**
 * The one way a store decorator passes on what it does not change: the decorator's own members where it
 * has them (its methods bound to it), `inner`'s for everything else (methods bound to `inner`, other values
 * read from it). A decorator then holds only what it changes, and a new Store method reaches every
 * decorator without an edit. Set up once, when the decorator is made: a call is then a plain method call
 * (a Proxy's trap on every call cost 0.4 µs per store call: `npm run bench:profile`).
 */
export function passThrough<D extends object, S extends object>(decorator: D, inner: S): D & Omit<S, keyof D> {
  for (const name of memberNames(decorator)) {
    const value = Reflect.get(decorator, name) as unknown;
    if (typeof value === 'function') Object.defineProperty(decorator, name, { value: value.bind(decorator), writable: true, configurable: true });
  }
  for (const name of memberNames(inner)) {
    if (name in decorator) continue;
    const value = Reflect.get(inner, name) as unknown;
    Object.defineProperty(
      decorator,
      name,
      typeof value === 'function' ? { value: value.bind(inner), writable: true, configurable: true } : { get: () => Reflect.get(inner, name) as unknown, configurable: true },
    );
  }
  return decorator as D & Omit<S, keyof D>;
}

/** The names of an object's members: its own and its prototypes' (up to Object's), constructors left out. */
export function memberNames(object: object): Set<PropertyKey> {
  const names = new Set<PropertyKey>();
  for (let level: object | null = object; level !== null && level !== Object.prototype; level = Object.getPrototypeOf(level) as object | null) {
    for (const name of Reflect.ownKeys(level)) if (name !== 'constructor') names.add(name);
  }
  return names;
}
