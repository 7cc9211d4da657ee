/** A contract target backed by the server in-process on a given database, with a breakable backend. */
import { openStore } from '../../server/store/index.js';
import { faultyStore } from '../support/faultyStore.js';
import { startInProcess, type InProcessServer } from '../support/inProcess.js';
import type { ContractTarget } from './target.js';

export const CONTRACT_SOURCE = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';

/** Starts the app on `databaseUrl` with a registered source, tokens and fault injection. */
export async function inProcessTarget(name: string, databaseUrl: string): Promise<{ target: ContractTarget; server: InProcessServer; close(): Promise<void> }> {
  const inner = await openStore(databaseUrl);
  const faults = faultyStore(inner);
  const server = await startInProcess({ store: faults.store });
  await server.addSource(CONTRACT_SOURCE);
  await server.addSource('other-source');
  const target: ContractTarget = {
    name,
    baseUrl: server.baseUrl,
    serverId: CONTRACT_SOURCE,
    token: (await server.token()).secret,
    forbiddenToken: (await server.token({ sources: ['other-source'] })).secret,
    unregisteredServerId: 'f32ab4d6-d150-4fb3-aa55-000000000404',
    enqueue: async (id, command, param) => void (await server.enqueue(id, command, param)),
    breakBackend: async () => {
      faults.fail(true);
      await server.refreshCache(); // the read cache notices at its next check; make that now
      return async () => {
        faults.fail(false);
        await server.refreshCache();
      };
    },
  };
  return {
    target,
    server,
    async close() {
      await server.close();
      await inner.close();
    },
  };
}
