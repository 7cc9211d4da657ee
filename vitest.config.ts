import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The suites that start processes (the server as `npm start` runs it, npm, git, Prism, Specmatic, nginx,
 * PostgreSQL's tools, a browser): every test file that imports child_process or a harness module that
 * spawns. Found by reading the files, so a new one lands in its project without a list to keep.
 */
const SPAWNS = /node:child_process|harness\/(?:processes|topology|checkout|postgres|specmatic)\.js|playwright-core/;
const processSuites = (readdirSync('test', { recursive: true }) as string[])
  .filter((file) => file.endsWith('.test.ts') && SPAWNS.test(readFileSync(join('test', file), 'utf8')))
  .map((file) => join('test', file).replace(/\\/g, '/'));

export default defineConfig({
  test: {
    // vitest runs one file at a time on two cores (its default is cores - 1); most files wait on spawned
    // servers, npm and the browser, so two at a time took the run from 292 s to 214 s here
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    globalSetup: ['test/support/globalSetup.ts'],
    // Two projects, the in-process suites first (a failure shows in seconds), then the suites that start
    // processes; `npx vitest run --project in-process` (or `processes`) runs one alone.
    projects: [
      { extends: true, test: { name: 'in-process', include: ['test/**/*.test.ts'], exclude: processSuites, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'processes', include: processSuites, sequence: { groupOrder: 1 } } },
    ],
  },
});
