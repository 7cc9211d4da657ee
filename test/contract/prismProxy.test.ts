/**
 * The contract suite against the server through a Prism validation proxy (`prism proxy`, without --errors):
 * every case's share of the proxy log is checked; a response Violation (or a request Violation from a case
 * that meant to send a valid request) fails it, and a final check covers the whole log. The proxy validates
 * against both contracts at once (the docs page's document: the Agent contract with the admin contract's
 * operations, each with its own security), so the admin cases go through it too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { docsDocument } from '../../scripts/docs.js';
import { adminBundled, bundled } from '../../harness/spec.js';
import { startPrism } from '../../harness/processes.js';
import { scratchDir } from '../support/scratch.js';
import { inProcessTarget } from './inProcessTarget.js';
import { contractSuite } from './suite.js';

const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
const dir = scratchDir('prism-proxy');

contractSuite({
  name: 'server through a prism validation proxy',
  open: async () => {
    const upstream = await inProcessTarget('prism-proxy', 'sqlite::memory:');
    const document = join(dir, 'both-contracts.json');
    writeFileSync(document, JSON.stringify(docsDocument(bundled, adminBundled, [])));
    const proxy = await startPrism({ kind: 'proxy', upstream: upstream.server.baseUrl, document });
    let read = 0;
    return {
      target: {
        ...upstream.target,
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
    expect(log).toMatch(/\/admin\/v1\/sources/); // the admin cases went through it too
    expect(log.split('\n').filter((l) => /Violation: response/.test(l))).toEqual([]);
  },
});
