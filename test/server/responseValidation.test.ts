/** Response validation: a handler (or store) bug that would break the contract becomes a logged 500 in the spec's shape. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/types.js';
import { call, commandPath } from '../../harness/http.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import { contractProblems } from '../../harness/spec.js';

/** A store whose leased command has a name the spec does not allow. */
function buggyStore(inner: Store): Store {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'leaseNextCommand') {
        return async () => ({ kind: 'leased', command: { id: 1, serverId: 's', name: 'REBOOT', taskId: null, bucket: null, state: 'leased', enqueuedAt: new Date(), leaseExpiresAt: null, deliveries: 1, completedAt: null, resultId: null } });
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('response validation', () => {
  let inner: Store;
  let on: InProcessServer;
  let off: InProcessServer;
  let tokens: { on: string; off: string };

  beforeAll(async () => {
    inner = await openStore('sqlite::memory:');
    on = await startInProcess({ store: buggyStore(inner), validateResponses: true });
    off = await startInProcess({ store: buggyStore(inner), validateResponses: false });
    await on.addSource('s');
    tokens = { on: (await on.token()).secret, off: (await off.token()).secret };
  });
  afterAll(async () => {
    await on.close();
    await off.close();
    await inner.close();
  });

  it('turns a non-conformant 200 body into a logged 500 SMS.2007 (on by default)', async () => {
    const r = await call(on.baseUrl, 'GET', commandPath('s'), { token: tokens.on });
    expect(r.status).toBe(500);
    expect(contractProblems('ShowCommand', r)).toEqual([]);
    expect(r.json().error_code).toBe('SMS.2007');
    expect(r.text).not.toContain('REBOOT');
    const logged = on.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request failed with a backend exception');
    expect(JSON.stringify(logged)).toContain('command_name');
    expect(logged?.requestId).toBe(r.headers.get('x-request-id'));
  });

  it('can be switched off by config, and then the bug reaches the client', async () => {
    const r = await call(off.baseUrl, 'GET', commandPath('s'), { token: tokens.off });
    expect(r.status).toBe(200);
    expect(contractProblems('ShowCommand', r).join('\n')).toContain('command_name');
  });
});
