/**
 * Contract coverage: which documented (operation, status) pairs each target exercised. Test processes
 * append observations to reports/.coverage-raw/; after the run the table is written to
 * reports/contract-coverage.{md,json}, and `--gate` fails when a documented pair was not exercised
 * against the in-process server.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentedPairs, operations } from '../harness/spec.js';

const reports = fileURLToPath(new URL('../reports', import.meta.url));
const raw = join(reports, '.coverage-raw');
export const GATED_TARGET = 'in-process';
/** The AK/SK run against the in-process server: gated on the Agent contract's pairs too (the admin API takes tokens only). */
export const GATED_SIGNED_TARGET = 'in-process (AK/SK)';
const AGENT_OPERATIONS = new Set(operations('agent').map((o) => o.operationId));

/** Records that `target` received `status` from `operation` (only documented pairs count). */
export function recordExercised(target: string, operation: string, status: number): void {
  mkdirSync(raw, { recursive: true });
  appendFileSync(join(raw, `${process.pid}.jsonl`), `${JSON.stringify({ target, operation, status })}\n`);
}

/** Records that a case was skipped for a target, and why (listed in the report). */
export function recordSkipped(target: string, caseName: string, reason: string): void {
  mkdirSync(raw, { recursive: true });
  appendFileSync(join(raw, `${process.pid}.jsonl`), `${JSON.stringify({ target, skipped: caseName, reason })}\n`);
}

/** Forgets earlier runs' observations (called before a run). */
export function resetCoverage(): void {
  rmSync(raw, { recursive: true, force: true });
}

export interface CoverageEntry {
  operation: string;
  status: number;
  targets: string[];
}

/** Builds the table: one entry per documented pair with the targets that exercised it. */
function observations(): Array<{ target: string; operation?: string; status?: number; skipped?: string; reason?: string }> {
  if (!existsSync(raw)) return [];
  return readdirSync(raw).flatMap((f) =>
    readFileSync(join(raw, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { target: string; operation?: string; status?: number; skipped?: string; reason?: string }),
  );
}

/** The skipped cases, per target, with their reasons. */
export function skippedCases(): Array<{ target: string; case: string; reason: string }> {
  const seen = new Set<string>();
  return observations()
    .filter((o) => o.skipped)
    .map((o) => ({ target: o.target, case: o.skipped as string, reason: o.reason ?? '' }))
    .filter((o) => !seen.has(`${o.target}|${o.case}`) && seen.add(`${o.target}|${o.case}`))
    .sort((a, b) => a.target.localeCompare(b.target) || a.case.localeCompare(b.case));
}

export function coverageTable(): CoverageEntry[] {
  const seen = new Map<string, Set<string>>();
  {
    {
      for (const o of observations()) {
        if (o.skipped) continue;
        const key = `${o.operation} ${o.status}`;
        if (!seen.has(key)) seen.set(key, new Set());
        seen.get(key)!.add(o.target);
      }
    }
  }
  return documentedPairs().map((p) => ({ ...p, targets: [...(seen.get(`${p.operation} ${p.status}`) ?? [])].sort() }));
}

/** Writes reports/contract-coverage.md and .json; returns the table. */
export async function writeCoverageReport(): Promise<CoverageEntry[]> {
  const table = coverageTable();
  mkdirSync(reports, { recursive: true });
  writeFileSync(join(reports, 'contract-coverage.json'), `${JSON.stringify(table, null, 2)}\n`);
  const targets = [...new Set(table.flatMap((e) => e.targets))].sort();
  const md = [
    '# Contract coverage',
    '',
    `Documented (operation, status) pairs and the targets that exercised them. Gate: every pair against \`${GATED_TARGET}\`, and every Agent pair against \`${GATED_SIGNED_TARGET}\` too.`,
    '',
    `| operation | status | ${targets.join(' | ')} |`,
    `|---|---|${targets.map(() => '---').join('|')}|`,
    ...table.map((e) => `| ${e.operation} | ${e.status} | ${targets.map((t) => (e.targets.includes(t) ? 'yes' : '—')).join(' | ')} |`),
    '',
    '## Skipped cases',
    '',
    ...(skippedCases().length === 0 ? ['None.'] : ['| target | case | reason |', '|---|---|---|', ...skippedCases().map((s) => `| ${s.target} | ${s.case} | ${s.reason} |`)]),
    '',
  ].join('\n');
  writeFileSync(join(reports, 'contract-coverage.md'), md);
  return table;
}

/** The gated targets a pair must have been exercised against: both credentials for an Agent operation, the token for an admin one. */
export function gatedTargets(operation: string): string[] {
  return AGENT_OPERATIONS.has(operation) ? [GATED_TARGET, GATED_SIGNED_TARGET] : [GATED_TARGET];
}

/** The pairs a gated target did not exercise, each with the gated targets it lacks. */
export function uncovered(table: CoverageEntry[]): Array<CoverageEntry & { missing: string[] }> {
  return table.map((e) => ({ ...e, missing: gatedTargets(e.operation).filter((t) => !e.targets.includes(t)) })).filter((e) => e.missing.length > 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--gate')) {
  const table = await writeCoverageReport();
  const missing = uncovered(table);
  console.log(`contract coverage: ${table.length - missing.length}/${table.length} documented pairs exercised against ${GATED_TARGET} (Agent pairs also against ${GATED_SIGNED_TARGET}; reports/contract-coverage.md)`);
  for (const e of table) console.log(`  ${e.operation} ${e.status}: ${e.targets.join(', ') || 'not exercised'}`);
  for (const s of skippedCases()) console.log(`  skipped on ${s.target}: ${s.case} (${s.reason})`);
  const results = join(reports, 'vitest.json');
  let failedTests = 0;
  if (existsSync(results)) {
    const r = JSON.parse(readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    failedTests = r.numFailedTests;
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  }
  if (missing.length > 0) {
    for (const m of missing) console.error(`not exercised against ${m.missing.join(' and ')}: ${m.operation} ${m.status}`);
    console.error('Add a contract case that provokes each pair (test/contract/cases.ts).');
    process.exit(1);
  }
  if (failedTests > 0) process.exit(1);
}
