// npm run mutation:gate: mutation testing of the breaking-change gate (scripts/breaking/) and the release
// script (scripts/release.ts), which decide what ships, with their in-process suites (vitest.gate-mutation.config.ts). stryker.config.json's settings,
// with the gate's files and tests and a report of its own, so that a change to the gate re-tests only the
// gate. scripts/mutation-gate.ts holds it to 90%.
import { readFileSync } from 'node:fs';

const server = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
delete server._comment;

export default {
  ...server,
  vitest: { configFile: 'vitest.gate-mutation.config.ts' },
  mutate: ['scripts/breaking/**/*.ts', 'scripts/release.ts'],
  incrementalFile: 'reports/mutation/gate/incremental.json',
  htmlReporter: { fileName: 'reports/mutation/gate/index.html' },
  jsonReporter: { fileName: 'reports/mutation/gate/mutation.json' },
  timeoutMS: 10000, // the semantic check's example generation is slower per test than the server's suites
  tempDirName: '.stryker-tmp-gate',
};
