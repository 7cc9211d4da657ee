/**
 * server/store/passThrough.ts: a decorator's own members win, everything else is the inner object's, its
 * methods bound to it (so they work when taken off the decorator, as a handler map does).
 */
import { describe, expect, it } from 'vitest';
import { memberNames, passThrough } from '../../../server/store/passThrough.js';

class Inner {
  readonly kind = 'inner';
  calls: string[] = [];
  read(id: string) {
    this.calls.push(`read ${id}`);
    return `inner ${id}`;
  }
  write(id: string) {
    this.calls.push(`write ${id}`);
    return `inner wrote ${id}`;
  }
}

class Decorator {
  seen: string[] = [];
  constructor(private readonly inner: Inner) {}
  write(id: string) {
    this.seen.push(id);
    return `decorated ${this.inner.write(id)}`;
  }
}

describe('passThrough', () => {
  it('serves the decorator\'s methods, bound to it, and the inner object\'s for the rest, bound to the inner one', () => {
    const inner = new Inner();
    const decorator = new Decorator(inner);
    const store = passThrough(decorator, inner);
    const { read, write } = store; // taken off the decorator: still bound
    expect(write('a')).toBe('decorated inner wrote a');
    expect(read('b')).toBe('inner b');
    expect(store.read('c')).toBe('inner c');
    expect(decorator.seen).toEqual(['a']);
    expect(inner.calls).toEqual(['write a', 'read b', 'read c']);
    expect(store.kind).toBe('inner');
    expect(store.write).toBe(store.write); // bound once
    expect('read' in store && 'write' in store && 'seen' in store).toBe(true);
    expect('other' in store).toBe(false);
  });

  it("reads the inner object's other members from it when read (not a copy made when the decorator was), and sets up no Proxy", () => {
    const inner = new Inner();
    const store = passThrough(new Decorator(inner), inner);
    inner.calls = ['replaced'];
    expect(store.calls).toEqual(['replaced']);
    expect(Object.getPrototypeOf(store)).toBe(Decorator.prototype);
  });

  it('leaves every member it sets writable and configurable, as plain methods are (a test may stub one)', () => {
    const inner = new Inner();
    const store = passThrough(new Decorator(inner), inner);
    store.read = () => 'stubbed';
    store.write = () => 'stubbed too';
    expect([store.read('x'), store.write('y')]).toEqual(['stubbed', 'stubbed too']);
    Object.defineProperty(store, 'kind', { value: 'redefined' });
    expect(store.kind).toBe('redefined');
  });

  it('memberNames: own and inherited names, without constructors or Object.prototype\'s', () => {
    expect([...memberNames(new Inner())].sort()).toEqual(['calls', 'kind', 'read', 'write']);
    class Sub extends Inner {
      extra() {}
    }
    expect([...memberNames(new Sub())].sort()).toEqual(['calls', 'extra', 'kind', 'read', 'write']);
    const bare = Object.assign(Object.create(null) as object, { only: 1 });
    expect([...memberNames(bare)]).toEqual(['only']);
  });
});
