/**
 * The contract suite against the server through a Prism validation proxy (`prism proxy`, without --errors):
 * every case's share of the proxy log is checked; a response Violation (or a request Violation from a case
 * that meant to send a valid request) fails it, and a final check covers the whole log.
 */
import { expect } from 'vitest';
import { startPrism } from '../../harness/processes.js';
import { inProcessTarget } from './inProcessTarget.js';
import { contractSuite } from './suite.js';

const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

contractSuite({
  name: 'server through a prism validation proxy',
  open: async () => {
    const upstream = await inProcessTarget('prism-proxy', 'sqlite::memory:');
    const proxy = await startPrism({ kind: 'proxy', upstream: upstream.server.baseUrl });
    let read = 0;
    // The proxy validates against the Agent contract, so only its cases go through it (no admin token).
    const { adminToken: _adminOnlyUpstream, ...agentTarget } = upstream.target;
    return {
      target: {
        ...agentTarget,
        baseUrl: proxy.baseUrl,
        notApplicable: [{ case: /malformed JSON/, reason: 'Prism proxy answers malformed JSON itself (400 invalid_json) instead of forwarding it' }],
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
        await upstream.close();
      },
    };
  },
  finally: async (handle) => {
    const log = handle.proxyLog();
    expect(log).toContain('Forwarding');
    expect(log.split('\n').filter((l) => /Violation: response/.test(l))).toEqual([]);
  },
});
