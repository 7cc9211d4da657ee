/** The contract suite against the Prism mock: shape checks only; cases that need a real server are skipped and listed. */
import { startPrism } from '../support/processes.js';
import { contractSuite } from './suite.js';

contractSuite('prism mock', async () => {
  const mock = await startPrism({ kind: 'mock' });
  return {
    target: {
      name: 'prism-mock',
      baseUrl: mock.baseUrl,
      serverId: 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f',
      token: 'any-token',
      unregisteredServerId: 'f32ab4d6-d150-4fb3-aa55-000000000404',
      prefersCode: true,
    },
    close: async () => void (await mock.stop()),
  };
});
