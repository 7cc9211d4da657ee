/**
 * The tests Stryker runs against each mutant (`npm run mutation`): the in-process suites, which exercise
 * server/ and client/src/ without spawning processes (Stryker's coverage analysis follows code in this
 * process only). Tests that start the server as a process, npm or a browser are left to `npm test`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/server/**/*.test.ts', 'test/client/**/*.test.ts', 'test/contract/inProcess.test.ts'],
    // hostileRequests composes the whole app on both stores and both request paths for each probe case: it
    // covers nearly every survivor of the server, and re-testing them all took hours. What it proves of each
    // module is proven here by that module's own tests (http, errors, jsonBody, rawJson, cursor).
    exclude: ['test/server/{process,compiled,shutdown,hostileRequests,signedRequests}.test.ts', 'test/client/packaging.test.ts'],
    // One module graph for all files: a mutant's run imports the server once, not once per test file (the
    // whole suite 21 s instead of 60 s; every test passes both ways). Mutants that run only while a module
    // loads are then seen by fewer tests; docs/mutation.md says what that changes.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
