/**
 * `npm run mutation` (after Stryker): the mutation score per module from reports/mutation/mutation.json,
 * against the thresholds: 80% overall (Stryker's own break threshold too), 90% on the store, auth, errors
 * and client modules, and on the breaking-change gate and the release script (their own report: `npm run mutation:gate`). Exits 1 naming the modules below their threshold; a module without mutants in the report
 * (a run limited with --mutate) is named as not measured. `node --import tsx scripts/mutation-gate.ts FILE`
 * reads another report.
 */
import { readFileSync } from 'node:fs';
import { toolRoot } from './bundle.js';

interface Report {
  files: Record<string, { mutants: Array<{ status: string }> }>;
}

const MODULES: Array<{ name: string; threshold: number; match: (file: string) => boolean }> = [
  { name: 'store (server/store/)', threshold: 90, match: (f) => f.startsWith('server/store/') },
  { name: 'auth (server/auth.ts)', threshold: 90, match: (f) => f === 'server/auth.ts' },
  { name: 'errors (server/errors.ts, errorResponse.ts, expressErrors.ts)', threshold: 90, match: (f) => ['server/errors.ts', 'server/errorResponse.ts', 'server/expressErrors.ts'].includes(f) },
  { name: 'client (client/src/)', threshold: 90, match: (f) => f.startsWith('client/src/') },
  // its own run (npm run mutation:gate, stryker.gate.config.mjs): it decides what ships
  { name: 'gate (scripts/breaking/ and release.ts)', threshold: 90, match: (f) => f.startsWith('scripts/breaking/') || f === 'scripts/release.ts' },
  { name: 'overall', threshold: 80, match: () => true },
];

/** Stryker's score: detected (killed, timeout) over valid mutants (also survived and without coverage). */
function score(mutants: Array<{ status: string }>): { score: number; detected: number; valid: number } {
  const detected = mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
  const valid = detected + mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage').length;
  return { score: (100 * detected) / valid, detected, valid }; // valid 0: NaN, and the caller says "not in this run"
}

// the report of the last run, or the one named (a targeted run's, or a test's)
const reportPath = process.argv[2] ?? `${toolRoot}/reports/mutation/mutation.json`;
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
const files = Object.entries(report.files).map(([file, f]) => [file.replace(`${toolRoot}/`, ''), f.mutants] as const);
let failed = 0;
console.log('mutation score by module (reports/mutation/index.html shows every surviving mutant):');
for (const m of MODULES) {
  const s = score(files.filter(([file]) => m.match(file)).flatMap(([, mutants]) => mutants));
  if (s.valid === 0) {
    // a run limited with --mutate: say so instead of passing a module nobody measured
    console.log(`  --    ${m.name.padEnd(44)} not in this run`);
    continue;
  }
  const ok = s.score >= m.threshold;
  if (!ok) failed++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${m.name.padEnd(44)} ${s.score.toFixed(1).padStart(5)}%  (${s.detected}/${s.valid} detected; threshold ${m.threshold}%)`);
}
if (failed > 0) {
  console.error('mutation: below threshold. Add tests that fail on the surviving mutants listed above (npx stryker run prints them).');
  process.exit(1);
}
