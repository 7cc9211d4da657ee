/**
 * `npm run release` (scripts/release.ts, in-process, so that mutation testing sees it) on a copy of this
 * checkout: it refuses what it must and writes the frozen spec and the changelog, for both contracts.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import semver from 'semver';
import { release } from '../../scripts/release.js';
import { latestRelease } from '../../scripts/breaking/releases.js';
import { contractNamed } from '../../scripts/contracts.js';
import { copyContract, runTool as tool, setVersion, type ContractCopy } from '../../harness/checkout.js';
import { projectRoot } from '../../harness/processes.js';

/** The latest release of this checkout, and the versions after it. */
const latest = latestRelease(projectRoot, contractNamed('agent'))?.version as string;
const minor = semver.inc(latest, 'minor') as string;
const adminLatest = latestRelease(projectRoot, contractNamed('admin'))?.version as string;
const adminMinor = semver.inc(adminLatest, 'minor') as string;
const ADMIN_ROOT_DOC = 'spec/admin.yaml';
const NEW_TOKEN = 'spec/components/schemas/NewToken.yaml';

/** Runs a release in-process: its exit status and what it printed. */
function released(args: string[]): { code: number; out: string } {
  const lines: string[] = [];
  const code = release(args, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
  return { code, out: lines.join('\n') };
}

describe('release', () => {
  let copy: ContractCopy | undefined;
  afterEach(() => copy?.remove());

  it('refuses a version that is not greater than the last, one that is not semver, and one info.version does not carry', () => {
    copy = copyContract();
    const again = released(['--root', copy.root, latest]);
    expect(again).toMatchObject({ code: 1 });
    expect(again.out).toContain(`${latest} is not greater than the latest agent release ${latest}`);
    expect(released(['--root', copy.root, 'v3.1']).out).toContain('usage: npm run release -- <MAJOR.MINOR.PATCH>');
    const mismatch = released(['--root', copy.root, minor]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.out).toContain(`spec/openapi.yaml has info.version ${latest}; set it to ${minor}, run \`npm run generate\``);
    expect(existsSync(join(copy.root, 'spec', 'releases', `${minor}.json`))).toBe(false);
  });

  it('refuses an unknown option or contract, and a version written otherwise than MAJOR.MINOR.PATCH, naming what it got', () => {
    expect(released(['--contracts', 'admin'])).toEqual({ code: 1, out: expect.stringMatching(/^release: Unknown option '--contracts'/) });
    expect(released(['--contract', 'agents', '9.0.0'])).toEqual({ code: 1, out: expect.stringContaining('release: --contract: no contract named "agents"') });
    expect(released([])).toEqual({ code: 1, out: 'release: usage: npm run release -- <MAJOR.MINOR.PATCH> (got nothing).' });
    expect(released(['v9.0.0']).out).toBe('release: usage: npm run release -- <MAJOR.MINOR.PATCH> (got "v9.0.0").');
  });

  it('refuses a spec the gate fails, printing each change and each problem, and writes nothing', () => {
    copy = copyContract();
    copy.edit('spec/components/parameters/ServerId.yaml', (t) => t.replace('maxLength: 36', 'maxLength: 30'));
    setVersion(copy, minor);
    expect(tool('generate', ['--root', copy.root]).code).toBe(0);
    const changelog = readFileSync(join(copy.root, 'spec', 'CHANGELOG.md'), 'utf8');
    const r = released(['--root', copy.root, minor]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`release agent ${minor}: checking breaking changes against ${latest} …\n  breaking  ShowCommand  path server_id: maxLength lowered`);
    expect(r.out).toContain('release: the breaking-change gate fails:\n  unreviewed breaking change: request-max-length-decreased ShowCommand path server_id\n');
    expect(r.out).toContain('\n  a breaking change needs a major version');
    expect(existsSync(join(copy.root, 'spec', 'releases', `${minor}.json`))).toBe(false);
    expect(readFileSync(join(copy.root, 'spec', 'CHANGELOG.md'), 'utf8')).toBe(changelog);
  });

  it("releases a contract's first version without a gate, dated today, as the bundled spec", () => {
    copy = copyContract();
    rmSync(join(copy.root, 'spec', 'releases', 'admin'), { recursive: true });
    const before = new Date().toISOString().slice(0, 10);
    const r = released(['--root', copy.root, '--contract', 'admin', adminLatest]);
    const today = new Date().toISOString().slice(0, 10); // the day it ran (the same as before, unless midnight passed)
    expect(r).toEqual({ code: 0, out: `release admin ${adminLatest}: bundling spec/admin.yaml …\nrelease admin ${adminLatest}: wrote spec/releases/admin/${adminLatest}.json and spec/admin-CHANGELOG.md. Commit both.` });
    const frozen = readFileSync(join(copy.root, 'spec', 'releases', 'admin', `${adminLatest}.json`), 'utf8');
    const bundled = JSON.parse(readFileSync(join(copy.root, contractNamed('admin').bundle), 'utf8'));
    const day = JSON.parse(frozen)['x-released'] as string;
    expect([before, today]).toContain(day);
    expect(frozen).toBe(`${JSON.stringify({ ...bundled, 'x-released': day }, null, 2)}\n`);
    expect(readFileSync(join(copy.root, 'spec', 'admin-CHANGELOG.md'), 'utf8')).toContain(`## ${adminLatest} (${day})\n\nFirst release: the baseline of the breaking-change gate.`);
  });

  it('releases the next minor with a new response enum value: frozen spec, changelog with the warning, and the gate now compares with it', () => {
    copy = copyContract();
    copy.edit('spec/components/schemas/CommandName.yaml', (t) => t.replace('enum: [START, STOP, DELETE, SYNC, SKIP]', 'enum: [START, STOP, DELETE, SYNC, SKIP, PREMIGRATE]'));
    setVersion(copy, minor);
    expect(released(['--root', copy.root, minor]).out).toContain('generated/ is stale');
    expect(tool('generate', ['--root', copy.root]).code).toBe(0);
    const r = released(['--root', copy.root, minor, '--date', '2026-12-01']);
    expect(r.code, r.out).toBe(0);
    const frozen = JSON.parse(readFileSync(join(copy.root, 'spec', 'releases', `${minor}.json`), 'utf8'));
    expect(frozen.info.version).toBe(minor);
    expect(frozen['x-released']).toBe('2026-12-01');
    const changelog = readFileSync(join(copy.root, 'spec', 'CHANGELOG.md'), 'utf8');
    expect(changelog.indexOf(`## ${minor} (2026-12-01)`)).toBeLessThan(changelog.indexOf(`## ${latest}`));
    expect(changelog).toContain('### ShowCommand');
    expect(changelog).toContain('- **warning** response 200 body command_name: response enum value added (strict clients must tolerate it): enum + PREMIGRATE');
    expect(tool('generate', ['--root', copy.root, '--check']).code).toBe(0); // the changelog the release wrote is what generate renders
    expect(tool('check-breaking', ['--root', copy.root]).out).toContain(`spec ${minor} against release ${minor}`);
  });

  it('releases the admin contract into spec/releases/admin/ with its own changelog, leaving the Agent contract\'s alone', () => {
    copy = copyContract();
    const agentChangelog = readFileSync(join(copy.root, 'spec', 'CHANGELOG.md'), 'utf8');
    copy.edit(NEW_TOKEN, (t) => t.replace('maxItems: 1000', 'maxItems: 2000'));
    setVersion(copy, adminMinor, ADMIN_ROOT_DOC);
    expect(tool('generate', ['--root', copy.root]).code).toBe(0);
    const asAgent = released(['--root', copy.root, adminMinor]);
    expect(asAgent.code).toBe(1); // without --contract it is the Agent contract's release, whose version is another
    const r = released(['--root', copy.root, '--contract', 'admin', adminMinor, '--date', '2026-12-02']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`wrote spec/releases/admin/${adminMinor}.json and spec/admin-CHANGELOG.md`);
    const frozen = JSON.parse(readFileSync(join(copy.root, 'spec', 'releases', 'admin', `${adminMinor}.json`), 'utf8'));
    expect(frozen.info).toMatchObject({ title: 'SMS Admin API', version: adminMinor });
    const changelog = readFileSync(join(copy.root, 'spec', 'admin-CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^# Admin API changelog\n/);
    expect(changelog.indexOf(`## ${adminMinor} (2026-12-02)`)).toBeLessThan(changelog.indexOf(`## ${adminLatest}`));
    expect(changelog).toContain('### CreateToken');
    expect(changelog).toContain('maxItems 1000 → 2000');
    expect(readFileSync(join(copy.root, 'spec', 'CHANGELOG.md'), 'utf8')).toBe(agentChangelog);
    expect(existsSync(join(copy.root, 'spec', 'releases', `${adminMinor}.json`))).toBe(false);
    expect(tool('generate', ['--root', copy.root, '--check']).code).toBe(0);
    expect(tool('check-breaking', ['--root', copy.root, '--contract', 'admin']).out).toContain(`spec ${adminMinor} against release ${adminMinor}`);
    expect(released(['--root', copy.root, '--contract', 'admin', adminMinor]).out).toContain(`${adminMinor} is not greater than the latest admin release ${adminMinor}`);
  });
});
