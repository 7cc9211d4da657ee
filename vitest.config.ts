import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // vitest runs one file at a time on two cores (its default is cores - 1); most files wait on spawned
    // servers, npm and the browser, so two at a time took the run from 292 s to 214 s here
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
