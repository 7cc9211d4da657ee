/** Runs once around the whole vitest run: clears old coverage observations, then writes the coverage report. */
import { resetCoverage, writeCoverageReport } from '../../contract/coverage.js';

export default function setup(): () => Promise<void> {
  resetCoverage();
  return async () => {
    await writeCoverageReport();
  };
}
