/**
 * The tests Stryker runs against each mutant (`npm run mutation`): the in-process suites, which exercise
 * server/ and client/src/ without spawning processes (Stryker's coverage analysis follows code in this
 * process only). Tests that start child processes, browsers or npm are left to `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/server/{adminProgram,auth,badInput,config,health,httpServer,metrics,migrations,queue,readCache,responseValidation,sqliteStore,validatorPatch}.test.ts',
      'test/client/{agent,newerService,retry,server}.test.ts',
      'test/contract/inProcess.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
