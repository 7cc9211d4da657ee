/**
 * The tests Stryker runs against each mutant of the breaking-change gate and the release script
 * (`npm run mutation:gate`, stryker.gate.config.mjs): their in-process suites. The suite that spawns
 * `check:breaking` as a process (checkBreaking.test.ts) reaches no mutant Stryker can see.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/scripts/{diff,gateCorpus,semantic,specmatic,gate,changelog,approvals,releases,release}.test.ts'],
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
