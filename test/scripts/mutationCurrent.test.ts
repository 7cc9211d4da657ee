/** scripts/mutation-current.ts: whether the committed incremental report is the run of this tree, and what differs. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../harness/processes.js';
import { scratchDir } from '../support/scratch.js';

const dir = scratchDir('mutation-current');
const source = (file: string): string => readFileSync(join(projectRoot, file), 'utf8');

/** Runs the check on the report at `report` (for the Stryker configuration `config`, default the server's). */
function run(report: string, config: string[] = []) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/mutation-current.ts', '--report', report, ...config], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}

/** Runs the check on a report recording `files` and `testFiles` with the given texts. */
function check(files: Record<string, string>, testFiles: Record<string, string>, config: string[] = []) {
  const report = join(dir, `incremental-${Math.random().toString(36).slice(2)}.json`);
  const entries = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([f, text]) => [f, { source: text }]));
  writeFileSync(report, JSON.stringify({ files: entries(files), testFiles: entries(testFiles) }));
  return run(report, config);
}

/** The test files an empty report lacks: the ones Stryker runs, as the check lists them. */
function testFilesRun(): string[] {
  return [...check({}, {}).out.matchAll(/^ {2}(\S+): not in the report$/gm)].map((m) => m[1] ?? '');
}

describe('mutation:current', () => {
  it('lists every test file Stryker runs and none it leaves out, and passes once the report holds them as they are', () => {
    const tests = testFilesRun();
    expect(tests).toContain('test/server/auth.test.ts');
    expect(tests).toContain('test/client/agent.test.ts');
    expect(tests).toContain('test/contract/inProcess.test.ts');
    expect(tests).not.toContain('test/server/process.test.ts'); // excluded: it spawns the server
    expect(tests.every((f) => f.startsWith('test/'))).toBe(true); // a mutated file the report lacks is not a difference
    const r = check({ 'server/auth.ts': source('server/auth.ts') }, Object.fromEntries(tests.map((f) => [f, source(f)])));
    expect(r.out).toMatch(/reports\/mutation\/incremental\.json matches this tree \(\d+ mutated files, \d+ test files\)/);
    expect(r.code).toBe(0);
  });

  it('names a changed source, a changed test, a file no longer run, and says what to do', () => {
    const tests = Object.fromEntries(testFilesRun().map((f) => [f, source(f)]));
    const r = check(
      { 'server/auth.ts': `${source('server/auth.ts')}\n// edited`, 'server/main.ts': source('server/main.ts') },
      { ...tests, 'test/server/auth.test.ts': 'it()' },
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('server/auth.ts: changed since the report');
    expect(r.out).toContain('server/main.ts: in the report, no longer run'); // an entry point Stryker does not mutate
    expect(r.out).toContain('test/server/auth.test.ts: changed since the report');
    expect(r.out).not.toContain('test/client/agent.test.ts');
    expect(r.out).toContain('Run npm run mutation');
  });

  it('refuses a missing report and says how to make one', () => {
    const r = run(join(dir, 'absent.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*absent\.json.*Run npm run mutation and commit reports\/mutation\/incremental\.json/);
  });

  it("checks the breaking-change gate's own run with --config stryker.gate.config.mjs: its files, its tests, its command", () => {
    const gate = ['--config', 'stryker.gate.config.mjs'];
    const tests = [...check({}, {}, gate).out.matchAll(/^ {2}(\S+): not in the report$/gm)].map((m) => m[1] ?? '');
    expect(tests).toContain('test/scripts/diff.test.ts');
    expect(tests).toContain('test/scripts/gateCorpus.test.ts');
    expect(tests).toContain('test/scripts/release.test.ts'); // the release script runs in-process
    expect(tests).not.toContain('test/scripts/checkBreaking.test.ts'); // it spawns the tool
    expect(tests).not.toContain('test/server/auth.test.ts'); // the server's run, not this one
    const recorded = Object.fromEntries(tests.map((f) => [f, source(f)]));
    const current = check({ 'scripts/breaking/diff.ts': source('scripts/breaking/diff.ts') }, recorded, gate);
    expect(current.code).toBe(0);
    // each file once, though scripts/ holds scripts/breaking/: the gate's modules and the release script
    const gateFiles = readdirSync(join(projectRoot, 'scripts', 'breaking')).filter((f) => f.endsWith('.ts')).length + 1;
    expect(current.out).toContain(`(${gateFiles} mutated files, ${tests.length} test files)`);
    const r = check({ 'scripts/breaking/diff.ts': `${source('scripts/breaking/diff.ts')}\n// edited` }, recorded, gate);
    expect(r.code).toBe(1);
    expect(r.out).toContain('scripts/breaking/diff.ts: changed since the report');
    expect(r.out).toContain('Run npm run mutation:gate');
    expect(r.out).toContain('commit reports/mutation/gate/incremental.json');
    // a file named without a glob (scripts/release.ts) is mutated too
    const release = check({ 'scripts/breaking/diff.ts': source('scripts/breaking/diff.ts'), 'scripts/release.ts': 'edited' }, recorded, gate);
    expect(release.out).toContain('scripts/release.ts: changed since the report');
    expect(release.out).not.toContain('scripts/check-breaking.ts');
  });
});
