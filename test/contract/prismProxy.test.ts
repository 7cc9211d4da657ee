/**
 * The contract suite against the server through a Prism validation proxy (`prism proxy`, without --errors):
 * every case's share of the proxy log is checked; a response Violation (or a request Violation from a case
 * that meant to send a valid request) fails it, and a final check covers the whole log.
 */
import { expect } from 'vitest';
import { openStore } from '../../server/store/index.js';
import { faultyStore } from '../support/faultyStore.js';
import { startInProcess } from '../support/inProcess.js';
import { startPrism } from '../support/processes.js';
import { contractSuite } from './suite.js';

const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

contractSuite(
  'server through a prism validation proxy',
  async () => {
    const inner = await openStore('sqlite::memory:');
    const faults = faultyStore(inner);
    const server = await startInProcess({ store: faults.store });
    const proxy = await startPrism({ kind: 'proxy', upstream: server.baseUrl });
    const serverId = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';
    await server.addSource(serverId);
    await server.addSource('other-source');
    let read = 0;
    return {
      target: {
        name: 'prism-proxy',
        baseUrl: proxy.baseUrl,
        serverId,
        token: (await server.token()).secret,
        forbiddenToken: (await server.token({ sources: ['other-source'] })).secret,
        unregisteredServerId: 'f32ab4d6-d150-4fb3-aa55-000000000404',
        enqueue: async (id, name, param) => void (await server.enqueue(id, name, param)),
        notApplicable: [{ case: /malformed JSON/, reason: 'Prism proxy answers malformed JSON itself (400 invalid_json) instead of forwarding it' }],
        breakBackend: async () => {
          faults.fail(true);
          return async () => faults.fail(false);
        },
        violations: async () => {
          await new Promise((r) => setTimeout(r, 150)); // Prism logs after it answers
          const text = plain(proxy.output());
          const fresh = text.slice(read);
          read = text.length;
          return fresh.split('\n').filter((l) => l.includes('Violation'));
        },
      },
      proxyLog: () => plain(proxy.output()),
      async close() {
        await proxy.stop();
        await server.close();
        await inner.close();
      },
    };
  },
  async (handle) => {
    const log = (handle as unknown as { proxyLog(): string }).proxyLog();
    expect(log).toContain('Forwarding');
    expect(log.split('\n').filter((l) => /Violation: response/.test(l))).toEqual([]);
  },
);
