/** scripts/mutation-gate.ts: the score per module against its threshold, from a Stryker JSON report. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../harness/processes.js';
import { scratchDir } from '../support/scratch.js';

const dir = scratchDir('mutation-gate');

/** Runs the gate on a report with `killed` and `survived` mutants in each file. */
function gate(files: Record<string, { killed: number; survived: number; timeout?: number; noCoverage?: number }>) {
  const mutants = (f: { killed: number; survived: number; timeout?: number; noCoverage?: number }) => [
    ...Array.from({ length: f.killed }, () => ({ status: 'Killed' })),
    ...Array.from({ length: f.timeout ?? 0 }, () => ({ status: 'Timeout' })),
    ...Array.from({ length: f.survived }, () => ({ status: 'Survived' })),
    ...Array.from({ length: f.noCoverage ?? 0 }, () => ({ status: 'NoCoverage' })),
    { status: 'Ignored' },
    { status: 'CompileError' },
  ];
  const report = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(report, JSON.stringify({ files: Object.fromEntries(Object.entries(files).map(([file, f]) => [join(projectRoot, file), { mutants: mutants(f) }])) }));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/mutation-gate.ts', report], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('mutation gate', () => {
  it('passes when every module meets its threshold; timeouts count as detected, ignored mutants not at all', () => {
    const r = gate({
      'server/store/sqlite.ts': { killed: 88, timeout: 2, survived: 10 },
      'server/auth.ts': { killed: 9, survived: 1 },
      'server/errors.ts': { killed: 90, survived: 10 },
      'client/src/agent.ts': { killed: 90, survived: 10 },
      'server/app.ts': { killed: 1, survived: 9 },
    });
    expect(r.out).toMatch(/ok\s+store \(server\/store\/\)\s+90\.0%\s+\(90\/100 detected; threshold 90%\)/);
    expect(r.out).toMatch(/ok\s+overall\s+87\.5%\s+\(280\/320 detected; threshold 80%\)/);
    expect(r.code).toBe(0);
  });

  it('fails naming a core module below 90% even when the overall score passes; no coverage counts against it', () => {
    const r = gate({
      'server/store/sqlite.ts': { killed: 89, survived: 10, noCoverage: 1 },
      'server/auth.ts': { killed: 100, survived: 0 },
      'server/errors.ts': { killed: 100, survived: 0 },
      'client/src/agent.ts': { killed: 100, survived: 0 },
    });
    expect(r.out).toMatch(/FAIL\s+store \(server\/store\/\)\s+89\.0%/);
    expect(r.out).toMatch(/ok\s+overall/);
    expect(r.out).toContain('below threshold');
    expect(r.code).toBe(1);
  });

  it("holds the gate's run to 90%, the release script with scripts/breaking/", () => {
    const r = gate({ 'scripts/breaking/diff.ts': { killed: 95, survived: 5 }, 'scripts/release.ts': { killed: 5, survived: 5 } });
    expect(r.out).toMatch(/ok\s+gate \(scripts\/breaking\/ and release\.ts\)\s+90\.9%\s+\(100\/110 detected; threshold 90%\)/);
    expect(r.code).toBe(0);
    const below = gate({ 'scripts/breaking/diff.ts': { killed: 95, survived: 5 }, 'scripts/release.ts': { killed: 0, survived: 10 } });
    expect(below.out).toMatch(/FAIL\s+gate \(scripts\/breaking\/ and release\.ts\)\s+86\.4%/);
    expect(below.code).toBe(1);
  });

  it('says which modules a targeted run did not measure, instead of passing them', () => {
    const r = gate({ 'server/auth.ts': { killed: 10, survived: 0 } });
    expect(r.out).toMatch(/--\s+store \(server\/store\/\)\s+not in this run/);
    expect(r.out).toMatch(/--\s+client \(client\/src\/\)\s+not in this run/);
    expect(r.out).toMatch(/ok\s+auth \(server\/auth\.ts\)\s+100\.0%/);
    expect(r.code).toBe(0);
  });
});
