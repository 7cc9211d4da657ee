/** The contract suite against the server as a real child process (as `npm start` runs it) on a temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeToken } from '../support/tokens.js';
import { openStore } from '../../server/store/index.js';
import { startServerProcess, waitForServerToSeeChanges } from '../support/processes.js';
import { contractSuite } from './suite.js';

contractSuite('child process (SQLite file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sms-contract-child-'));
  const databaseUrl = `sqlite:${join(dir, 'sms.sqlite')}`;
  const server = await startServerProcess({ DATABASE_URL: databaseUrl });
  const store = await openStore(databaseUrl);
  const serverId = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';
  const now = new Date();
  await store.addSource(serverId, 'contract', now);
  await store.addSource('other-source', null, now);
  const all = await storeToken(store, { name: 'contract', now });
  const other = await storeToken(store, { name: 'contract-403', sources: ['other-source'], now });
  return {
    target: {
      name: 'child-process',
      baseUrl: server.baseUrl,
      serverId,
      token: all.secret,
      forbiddenToken: other.secret,
      unregisteredServerId: 'f32ab4d6-d150-4fb3-aa55-000000000404',
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
});
