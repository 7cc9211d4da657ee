/** scripts/breaking/specmatic.ts and `npm run check:specmatic`: Specmatic's verdict beside our gate's, and what a disagreement does. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVerdicts, readFalseAlarms, specmaticVerdict, verdictOf } from '../../scripts/breaking/specmatic.js';
import { projectRoot } from '../../harness/processes.js';
import { latestRelease } from '../../scripts/breaking/releases.js';
import { contractNamed } from '../../scripts/contracts.js';

const release = (file: string): Record<string, any> => JSON.parse(readFileSync(join(projectRoot, file), 'utf8'));
const incompatible = { compatible: false, reasons: ['REQUEST.BODY.name (contract.json:1:1): This is type string that matches regex ^x$ in the new specification'] };

describe('compareVerdicts', () => {
  it('passes when both agree, whichever way (our gate decides a break)', () => {
    expect(compareVerdicts({ version: '3.2.0', oursBreaking: 0, specmatic: { compatible: true, reasons: [] }, falseAlarms: [] })).toEqual({ pass: true, lines: ['our gate: compatible; Specmatic: compatible'] });
    expect(compareVerdicts({ version: '4.0.0', oursBreaking: 2, specmatic: incompatible, falseAlarms: [] })).toEqual({ pass: true, lines: ['our gate: breaking (2 changes); Specmatic: incompatible'] });
  });

  it("passes, saying so, when only our gate sees a break (Specmatic's blind spots)", () => {
    const r = compareVerdicts({ version: '4.0.0', oursBreaking: 1, specmatic: { compatible: true, reasons: [] }, falseAlarms: [] });
    expect(r.pass).toBe(true);
    expect(r.lines).toEqual(['our gate: breaking (1 change); Specmatic: compatible', expect.stringContaining('Specmatic does not see what our gate flags')]);
  });

  it('fails when only Specmatic sees a break, naming both verdicts, its reasons and what to do', () => {
    const r = compareVerdicts({ version: '3.2.0', oursBreaking: 0, specmatic: incompatible, falseAlarms: [{ version: '3.1.0', reason: 'an older review' }] });
    expect(r.pass).toBe(false);
    expect(r.lines[0]).toBe('our gate: compatible; Specmatic: incompatible');
    expect(r.lines[1]).toBe(`  Specmatic: ${incompatible.reasons[0]}`);
    expect(r.lines.at(-1)).toContain('add a rule to scripts/breaking/rules.ts');
    expect(r.lines.at(-1)).toContain('specmatic_false_alarms: [{ version: 3.2.0, reason: why }]');
  });

  it("passes a disagreement reviewed as Specmatic's false alarm for that version", () => {
    const r = compareVerdicts({ version: '3.2.0', oursBreaking: 0, specmatic: incompatible, falseAlarms: [{ version: '3.2.0', reason: 'Specmatic ignores \\x escapes' }] });
    expect(r.pass).toBe(true);
    expect(r.lines.at(-1)).toBe("reviewed as Specmatic's false alarm for 3.2.0: Specmatic ignores \\x escapes");
  });
});

describe('verdictOf: what Specmatic printed (excerpts of its 2.55.1 output)', () => {
  const report = (...reasons: string[]) =>
    [
      'Specmatic Version: v2.55.1(01b2d2bf)',
      '  The Incompatibility Report:',
      ...reasons.flatMap((r) => ['    API: GET /v3/sources/(server_id:uuid)/command -> 200', '    ', `      >> ${r}`, '    ', '']),
      '  Verdict for spec /tmp/x/contract.json:',
      '    (INCOMPATIBLE) The changes to the spec are NOT backward compatible with the corresponding spec from base',
    ].join('\n');
  const uuid = 'REQUEST.PARAMETERS.PATH.server_id (contract.json:216:9)\n    \n          This is type uuid in the new specification, but type string in the old specification\n          Invalid UUID string: fy_-';

  it('reads each ">> where" with the sentence after it, once each, in order', () => {
    const other = 'REQUEST.BODY.result (contract.json:90:5)\n\n   This is "success" in the new specification';
    expect(verdictOf(report(uuid, other, uuid), 1)).toEqual({
      compatible: false,
      reasons: ['REQUEST.PARAMETERS.PATH.server_id (contract.json:216:9): This is type uuid in the new specification, but type string in the old specification', 'REQUEST.BODY.result (contract.json:90:5): This is "success" in the new specification'],
    });
  });

  it('says so when a ">> where" has no sentence after it', () => {
    expect(verdictOf(`(INCOMPATIBLE) no\n>> REQUEST.BODY\n\n`, 1).reasons).toEqual(['REQUEST.BODY: (no reason given)']);
  });

  it('reads a compatible verdict only with exit status 0', () => {
    const compatible = 'Verdict for spec contract.json:\n    (COMPATIBLE) The spec is backward compatible with the corresponding spec from base';
    expect(verdictOf(compatible, 0)).toEqual({ compatible: true, reasons: [] });
    expect(() => verdictOf(compatible, 1)).toThrow('Specmatic gave no verdict (exit 1)');
  });

  it('throws with the end of the output when there is no verdict', () => {
    const out = `${'x'.repeat(1000)}Exception in thread "main" java.lang.OutOfMemoryError`;
    expect(() => verdictOf(out, 1)).toThrow(new Error(`Specmatic gave no verdict (exit 1): ${out.slice(-800)}`));
  });
});

describe('specmaticVerdict without its jar', () => {
  it('says to run npm ci', () => {
    expect(() => specmaticVerdict(mkdtempSync(join(tmpdir(), 'no-specmatic-')), {}, {})).toThrow('node_modules/specmatic/specmatic.jar is missing: run npm ci (specmatic is a devDependency).');
  });
});

describe('readFalseAlarms', () => {
  const file = (text: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'alarms-')), 'review.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('reads the entries, and none from a file without them', () => {
    expect(readFalseAlarms(file('approved: []\nspecmatic_false_alarms:\n  - version: 1.1.0\n    reason: " its pattern bug "\n'))).toEqual([{ version: '1.1.0', reason: 'its pattern bug' }]);
    expect(readFalseAlarms(file('approved: []\n'))).toEqual([]);
    expect(readFalseAlarms(join(tmpdir(), 'no-such-review-file.yaml'))).toEqual([]);
  });

  it('refuses an entry without a reason, naming it', () => {
    expect(() => readFalseAlarms(file('specmatic_false_alarms:\n  - version: 1.1.0\n'))).toThrow(/entry 1 needs a non-empty "reason"/);
    expect(() => readFalseAlarms(file('specmatic_false_alarms: yes\n'))).toThrow(/must be a list/);
  });
});

describe('Specmatic itself (Java 17 and node_modules/specmatic)', () => {
  it('calls format: uuid on server_id incompatible, saying where', () => {
    const base = release('spec/releases/3.1.0.json');
    const working = release('spec/releases/3.1.0.json');
    working.components.parameters.ServerId.schema.format = 'uuid';
    const verdict = specmaticVerdict(projectRoot, base, working);
    expect(verdict.compatible).toBe(false);
    expect(verdict.reasons.some((r) => r.startsWith('REQUEST.PARAMETERS.PATH.server_id'))).toBe(true);
  });

  it('fails check:specmatic on its own false alarm (an admin edit of descriptions only: it ignores \\x in patterns), naming both verdicts', () => {
    // the latest admin release, with its description reworded: the only change there is
    const latest = latestRelease(projectRoot, contractNamed('admin'));
    const working = structuredClone(latest?.document) as Record<string, any>;
    delete working['x-released'];
    working.info.description = `${working.info.description} Reworded.`;
    const spec = join(mkdtempSync(join(tmpdir(), 'specmatic-')), 'admin.json');
    writeFileSync(spec, JSON.stringify(working));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-specmatic.ts', '--contract', 'admin', '--spec', spec], { cwd: projectRoot, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('our gate: compatible; Specmatic: incompatible');
    expect(r.stdout).toContain('matches regex');
    expect(r.stdout).toContain('check:specmatic (admin): FAILED');
  });
});
