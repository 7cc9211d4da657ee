/** The contract suite against the server in-process on SQLite (the gated target). */
import { openStore } from '../../server/store/index.js';
import { faultyStore } from '../support/faultyStore.js';
import { startInProcess } from '../support/inProcess.js';
import { contractSuite } from './suite.js';

contractSuite('in-process (SQLite)', async () => {
  const inner = await openStore('sqlite::memory:');
  const faults = faultyStore(inner);
  const server = await startInProcess({ store: faults.store });
  const serverId = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';
  await server.addSource(serverId);
  await server.addSource('other-source');
  const token = await server.token();
  const forbidden = await server.token({ sources: ['other-source'] });
  return {
    target: {
      name: 'in-process',
      baseUrl: server.baseUrl,
      serverId,
      token: token.secret,
      forbiddenToken: forbidden.secret,
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
    },
  };
});
