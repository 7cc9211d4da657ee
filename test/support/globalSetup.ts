/** Runs around the whole vitest run: clears old coverage observations once, then writes the coverage report. */
import { resetCoverage, writeCoverageReport } from '../../contract/coverage.js';

/** Set once this run has cleared the observations: vitest calls each project's global setup, and the second must not clear the first's. */
const CLEARED = 'SMS_CONTRACT_COVERAGE_CLEARED';

export default function setup(): () => Promise<void> {
  if (process.env[CLEARED] !== String(process.pid)) {
    resetCoverage();
    process.env[CLEARED] = String(process.pid);
  }
  return async () => {
    await writeCoverageReport();
  };
}
