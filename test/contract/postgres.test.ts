/** The contract suite against the server in-process on PostgreSQL (TEST_DATABASE_URL; skipped with the reason without it). */
import { openStore } from '../../server/store/index.js';
import { PG_SKIP_REASON, TEST_DATABASE_URL, freshPostgres } from '../support/databases.js';
import { faultyStore } from '../support/faultyStore.js';
import { startInProcess } from '../support/inProcess.js';
import { contractSuite } from './suite.js';

contractSuite(
  'in-process (PostgreSQL)',
  async () => {
    const db = await freshPostgres();
    const inner = await openStore(db.url);
    const faults = faultyStore(inner);
    const server = await startInProcess({ store: faults.store });
    const serverId = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';
    await server.addSource(serverId);
    await server.addSource('other-source');
    return {
      target: {
        name: 'in-process-postgres',
        baseUrl: server.baseUrl,
        serverId,
        token: (await server.token()).secret,
        forbiddenToken: (await server.token({ sources: ['other-source'] })).secret,
        unregisteredServerId: 'f32ab4d6-d150-4fb3-aa55-000000000404',
        enqueue: async (id, name, param) => void (await server.enqueue(id, name, param)),
        breakBackend: async () => {
          faults.fail(true);
          return async () => faults.fail(false);
        },
      },
      async close() {
        await server.close();
        await inner.close();
        await db.drop();
      },
    };
  },
  undefined,
  TEST_DATABASE_URL ? undefined : PG_SKIP_REASON,
);
