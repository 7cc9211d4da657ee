/**
 * `npm run check:breaking` and `npm run release` on a copy of this checkout: the gate fails on an
 * unreviewed breaking change and on a breaking change without a major bump, passes a reviewed one and a
 * description change; a release refuses what it must and writes the frozen spec and the changelog.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyContract, type ContractCopy } from '../../harness/checkout.js';
import { projectRoot } from '../../harness/processes.js';

const tool = (script: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const SERVER_ID = 'spec/components/parameters/ServerId.yaml';
const ROOT_DOC = 'spec/openapi.yaml';
const setVersion = (copy: ContractCopy, version: string) => copy.edit(ROOT_DOC, (t) => t.replace(/^  version: .*$/m, `  version: ${version}`));
const approve = (copy: ContractCopy, version: string, change: string) =>
  copy.edit('spec/breaking-changes.yaml', (t) =>
    `${t.replace('approved: []', 'approved:').trimEnd()}\n  - version: ${version}\n    change: ${change}\n    reason: IDs longer than 30 characters were never issued.\n`,
  );

describe('check:breaking', () => {
  let copy: ContractCopy | undefined;
  afterEach(() => copy?.remove());

  it('passes on this checkout', () => {
    const r = tool('check-breaking', []);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/check:breaking: spec \d+\.\d+\.\d+ against release \d+\.\d+\.\d+/);
  });

  it('fails on a tightened server_id, printing the change and how to review it', () => {
    copy = copyContract();
    copy.edit(SERVER_ID, (t) => t.replace('maxLength: 36', 'maxLength: 30'));
    const r = tool('check-breaking', ['--root', copy.root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('breaking  ShowCommand  path server_id: maxLength lowered (or added) on a request value: maxLength 36 → 30  [request-max-length-decreased]');
    expect(r.out).toContain('breaking  UpdateCommandResult  path server_id');
    expect(r.out).toContain('change: request-max-length-decreased ShowCommand path server_id');
  });

  it('fails a reviewed breaking change without a major version, and passes it with one', () => {
    copy = copyContract();
    copy.edit(SERVER_ID, (t) => t.replace('maxLength: 36', 'maxLength: 30'));
    for (const op of ['ShowCommand', 'UpdateCommandResult']) approve(copy, '3.1.0', `request-max-length-decreased ${op} path server_id`);
    setVersion(copy, '3.1.0');
    const minor = tool('check-breaking', ['--root', copy.root]);
    expect(minor.code).toBe(1);
    expect(minor.out).toContain('a breaking change needs a major version: set info.version to 4.0.0');

    copy.edit('spec/breaking-changes.yaml', (t) => t.replaceAll('version: 3.1.0', 'version: 4.0.0'));
    setVersion(copy, '4.0.0');
    const major = tool('check-breaking', ['--root', copy.root]);
    expect(major.code, major.out).toBe(0);
    expect(major.out).toContain('2 breaking (2 reviewed)');
  });

  it('passes a description change with no change reported', () => {
    copy = copyContract();
    copy.edit(SERVER_ID, (t) => t.replace('The ID of the source server', 'The identifier of the source server'));
    const r = tool('check-breaking', ['--root', copy.root]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('0 breaking (0 reviewed), 0 warning, 0 info');
  });
});

describe('release', () => {
  let copy: ContractCopy | undefined;
  afterEach(() => copy?.remove());

  it('refuses a version that is not greater than the last, one that is not semver, and one info.version does not carry', () => {
    copy = copyContract();
    const again = tool('release', ['--root', copy.root, '3.0.0']);
    expect(again).toMatchObject({ code: 1 });
    expect(again.out).toContain('3.0.0 is not greater than the latest release 3.0.0');
    expect(tool('release', ['--root', copy.root, 'v3.1']).out).toContain('usage: npm run release -- <MAJOR.MINOR.PATCH>');
    const mismatch = tool('release', ['--root', copy.root, '3.1.0']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.out).toContain('spec/openapi.yaml has info.version 3.0.0; set it to 3.1.0, run `npm run generate`');
    expect(existsSync(join(copy.root, 'spec', 'releases', '3.1.0.json'))).toBe(false);
  });

  it('releases 3.1.0 with a new response enum value: frozen spec, changelog with the warning, and the gate now compares with 3.1.0', () => {
    copy = copyContract();
    copy.edit('spec/components/schemas/CommandName.yaml', (t) => t.replace('enum: [START, STOP, DELETE, SYNC, SKIP]', 'enum: [START, STOP, DELETE, SYNC, SKIP, PREMIGRATE]'));
    setVersion(copy, '3.1.0');
    expect(tool('release', ['--root', copy.root, '3.1.0']).out).toContain('generated/ is stale');
    expect(tool('generate', ['--root', copy.root]).code).toBe(0);
    const r = tool('release', ['--root', copy.root, '3.1.0', '--date', '2026-12-01']);
    expect(r.code, r.out).toBe(0);
    const frozen = JSON.parse(readFileSync(join(copy.root, 'spec', 'releases', '3.1.0.json'), 'utf8'));
    expect(frozen.info.version).toBe('3.1.0');
    expect(frozen['x-released']).toBe('2026-12-01');
    const changelog = readFileSync(join(copy.root, 'spec', 'CHANGELOG.md'), 'utf8');
    expect(changelog.indexOf('## 3.1.0 (2026-12-01)')).toBeLessThan(changelog.indexOf('## 3.0.0'));
    expect(changelog).toContain('### ShowCommand');
    expect(changelog).toContain('- **warning** response 200 body command_name: response enum value added (strict clients must tolerate it): enum + PREMIGRATE');
    expect(tool('generate', ['--root', copy.root, '--check']).code).toBe(0); // the changelog the release wrote is what generate renders
    expect(tool('check-breaking', ['--root', copy.root]).out).toContain('spec 3.1.0 against release 3.1.0');
  });
});
