/**
 * `npm run check:breaking` and `npm run release` on a copy of this checkout: the gate fails on an
 * unreviewed breaking change and on a breaking change without a major bump, passes a reviewed one and a
 * description change; a release refuses what it must and writes the frozen spec and the changelog.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import semver from 'semver';
import { latestRelease } from '../../scripts/breaking/releases.js';
import { copyContract, type ContractCopy } from '../../harness/checkout.js';
import { projectRoot } from '../../harness/processes.js';

const tool = (script: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const SERVER_ID = 'spec/components/parameters/ServerId.yaml';
/** The latest release of this checkout, and the versions after it. */
const latest = latestRelease(projectRoot)?.version as string;
const minor = semver.inc(latest, 'minor') as string;
const major = semver.inc(latest, 'major') as string;
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
    for (const op of ['ShowCommand', 'UpdateCommandResult']) approve(copy, minor, `request-max-length-decreased ${op} path server_id`);
    setVersion(copy, minor);
    const asMinor = tool('check-breaking', ['--root', copy.root]);
    expect(asMinor.code).toBe(1);
    expect(asMinor.out).toContain(`a breaking change needs a major version: set info.version to ${major}`);

    copy.edit('spec/breaking-changes.yaml', (t) => t.replaceAll(`version: ${minor}`, `version: ${major}`));
    setVersion(copy, major);
    const asMajor = tool('check-breaking', ['--root', copy.root]);
    expect(asMajor.code, asMajor.out).toBe(0);
    expect(asMajor.out).toContain('2 breaking (2 reviewed)');
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
    const again = tool('release', ['--root', copy.root, latest]);
    expect(again).toMatchObject({ code: 1 });
    expect(again.out).toContain(`${latest} is not greater than the latest release ${latest}`);
    expect(tool('release', ['--root', copy.root, 'v3.1']).out).toContain('usage: npm run release -- <MAJOR.MINOR.PATCH>');
    const mismatch = tool('release', ['--root', copy.root, minor]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.out).toContain(`spec/openapi.yaml has info.version ${latest}; set it to ${minor}, run \`npm run generate\``);
    expect(existsSync(join(copy.root, 'spec', 'releases', `${minor}.json`))).toBe(false);
  });

  it('releases the next minor with a new response enum value: frozen spec, changelog with the warning, and the gate now compares with it', () => {
    copy = copyContract();
    copy.edit('spec/components/schemas/CommandName.yaml', (t) => t.replace('enum: [START, STOP, DELETE, SYNC, SKIP]', 'enum: [START, STOP, DELETE, SYNC, SKIP, PREMIGRATE]'));
    setVersion(copy, minor);
    expect(tool('release', ['--root', copy.root, minor]).out).toContain('generated/ is stale');
    expect(tool('generate', ['--root', copy.root]).code).toBe(0);
    const r = tool('release', ['--root', copy.root, minor, '--date', '2026-12-01']);
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
});
