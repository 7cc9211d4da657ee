/**
 * The tests Stryker runs against each mutant of the breaking-change gate (`npm run mutation:gate`,
 * stryker.gate.config.mjs): the in-process suites of scripts/breaking/. The suites that spawn
 * `check:breaking` and `release` as processes (release.test.ts) reach no mutant Stryker can see.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/scripts/{diff,gateCorpus,semantic,specmatic,gate,changelog,approvals,releases}.test.ts'],
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
