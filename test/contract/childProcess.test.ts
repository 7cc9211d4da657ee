/** The contract suite against the server as a real child process (as `npm start` runs it) on a temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../server/store/index.js';
import { EXAMPLE_SOURCE, OTHER_SOURCE, UNREGISTERED_SOURCE } from '../../harness/fixtures.js';
import { startServerProcess, waitForServerToSeeChanges } from '../../harness/processes.js';
import { storeToken } from '../../harness/tokens.js';
import { contractSuite } from './suite.js';

contractSuite({
  name: 'child process (SQLite file)',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-contract-child-'));
    const databaseUrl = `sqlite:${join(dir, 'sms.sqlite')}`;
    const server = await startServerProcess({ DATABASE_URL: databaseUrl });
    const store = await openStore(databaseUrl);
    const now = new Date();
    await store.addSource(EXAMPLE_SOURCE, 'contract', now);
    await store.addSource(OTHER_SOURCE, null, now);
    const all = await storeToken(store, { name: 'contract', now });
    const other = await storeToken(store, { name: 'contract-403', sources: [OTHER_SOURCE], now });
    const admin = await storeToken(store, { name: 'contract-admin', kind: 'admin', now });
    return {
      target: {
        name: 'child-process',
        baseUrl: server.baseUrl,
        serverId: EXAMPLE_SOURCE,
        token: all.secret,
        forbiddenToken: other.secret,
        adminToken: admin.secret,
        unregisteredServerId: UNREGISTERED_SOURCE,
        storedReport: async (id, requestId) => (await store.listResults(id)).find((r) => r.requestId === requestId),
        // Queued by another connection, as the admin CLI does: the server sees it within CACHE_REFRESH_MS.
        enqueue: async (id, name, param) => {
          await store.enqueueCommand({ serverId: id, name, taskId: param?.taskId ?? null, bucket: param?.bucket ?? null }, new Date());
          await waitForServerToSeeChanges(server.baseUrl, store);
        },
      },
      async close() {
        await store.close();
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
