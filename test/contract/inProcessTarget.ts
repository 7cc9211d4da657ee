/** A contract target backed by the server in-process on a given database, with a breakable backend. */
import { SmsError } from '../../server/errors.js';
import { openStore } from '../../server/store/index.js';
import { faultyStore } from '../../harness/storeDoubles.js';
import { startInProcess, type InProcessServer } from '../../harness/inProcess.js';
import type { ContractTarget } from '../../contract/target.js';
import { EXAMPLE_SOURCE, UNREGISTERED_SOURCE, OTHER_SOURCE } from '../../harness/fixtures.js';


/** Every Store method that writes (a lease is a write; reads go on answering when writes are refused). */
const WRITES = ['leaseNextCommand', 'recordResult', 'addSource', 'createToken', 'revokeToken', 'createAccessKey', 'revokeAccessKey', 'resealAccessKey', 'enqueueCommand', 'cancelCommand', 'recordPolls'];

/** The token the contract cases send when they mean an unknown one (cases.ts). */
const UNKNOWN_TOKEN = 'sms_not-a-real-token';

/**
 * Starts the app on `databaseUrl` with a registered source, tokens and fault injection; `signed`: the AK/SK
 * run, each Agent token's requests signed with an access key of the same grants (and the unknown token's
 * with an AK the server never issued).
 */
export async function inProcessTarget(name: string, databaseUrl: string, options: { signed?: boolean } = {}): Promise<{ target: ContractTarget; server: InProcessServer; close(): Promise<void> }> {
  const inner = await openStore(databaseUrl);
  const faults = faultyStore(inner);
  const server = await startInProcess({ store: faults.store });
  await server.addSource(EXAMPLE_SOURCE);
  await server.addSource(OTHER_SOURCE);
  const token = (await server.token()).secret;
  const forbiddenToken = (await server.token({ sources: [OTHER_SOURCE] })).secret;
  const signedAs = options.signed
    ? { [token]: await server.accessKey(), [forbiddenToken]: await server.accessKey({ sources: [OTHER_SOURCE] }), [UNKNOWN_TOKEN]: { accessKey: 'AKSMSNEVERISSUED0000', secretKey: 'never-issued' } }
    : undefined;
  const target: ContractTarget = {
    name,
    baseUrl: server.baseUrl,
    serverId: EXAMPLE_SOURCE,
    token,
    forbiddenToken,
    ...(signedAs ? { signedAs } : {}),
    adminToken: (await server.token({ kind: 'admin' })).secret,
    unregisteredServerId: UNREGISTERED_SOURCE,
    enqueue: async (id, command, param) => void (await server.enqueue(id, command, param)),
    storedReport: async (id, requestId) => (await server.store.listResults(id)).find((r) => r.requestId === requestId),
    // the database refuses writes, as a deleted or read-only SQLite file (or a read-only PostgreSQL) does
    breakStorage: async () => {
      faults.fail(true, { methods: WRITES, error: () => new SmsError('storageUnavailable', 'injected: the database file was deleted') });
      return async () => faults.fail(false);
    },
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
