/**
 * The tests Stryker runs against each mutant (`npm run mutation`): the in-process suites, which exercise
 * server/ and client/src/ without spawning processes (Stryker's coverage analysis follows code in this
 * process only). Tests that start the server as a process, npm or a browser are left to `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/server/**/*.test.ts', 'test/client/**/*.test.ts', 'test/contract/inProcess.test.ts'],
    exclude: ['test/server/{process,compiled,shutdown}.test.ts', 'test/client/packaging.test.ts'],
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
