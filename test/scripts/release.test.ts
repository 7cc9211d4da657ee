/**
 * `npm run check:breaking` and `npm run release` on a copy of this checkout: the gate fails on an
 * unreviewed breaking change and on a breaking change without a major bump, passes a reviewed one and a
 * description change; a release refuses what it must and writes the frozen spec and the changelog. Both
 * contracts: the Agent's (spec/releases/) and the admin one (spec/releases/admin/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import semver from 'semver';
import { latestRelease } from '../../scripts/breaking/releases.js';
import { contractNamed } from '../../scripts/contracts.js';
import { copyContract, type ContractCopy } from '../../harness/checkout.js';
import { projectRoot } from '../../harness/processes.js';

const tool = (script: string, args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const SERVER_ID = 'spec/components/parameters/ServerId.yaml';
/** The latest release of this checkout, and the versions after it. */
const latest = latestRelease(projectRoot, contractNamed('agent'))?.version as string;
const minor = semver.inc(latest, 'minor') as string;
const major = semver.inc(latest, 'major') as string;
const ROOT_DOC = 'spec/openapi.yaml';
const adminLatest = latestRelease(projectRoot, contractNamed('admin'))?.version as string;
const adminMajor = semver.inc(adminLatest, 'major') as string;
const adminMinor = semver.inc(adminLatest, 'minor') as string;
const ADMIN_ROOT_DOC = 'spec/admin.yaml';
const NEW_TOKEN = 'spec/components/schemas/NewToken.yaml';
const setVersion = (copy: ContractCopy, version: string, rootDoc = ROOT_DOC) => copy.edit(rootDoc, (t) => t.replace(/^  version: .*$/m, `  version: ${version}`));
/** Adds a reviewed entry to a contract's file (the Agent contract's unless named). */
const approve = (copy: ContractCopy, version: string, change: string, reason = 'IDs longer than 30 characters were never issued.', file = 'spec/breaking-changes.yaml') =>
  copy.edit(file, (t) => `${t.replace('approved: []', 'approved:').trimEnd()}\n  - version: ${version}\n    change: ${change}\n    reason: ${reason}\n`);

describe('check:breaking', () => {
  let copy: ContractCopy | undefined;
  afterEach(() => copy?.remove());

  it('passes on this checkout, for both contracts', () => {
    const r = tool('check-breaking', []);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/check:breaking \(agent\): spec \d+\.\d+\.\d+ against release \d+\.\d+\.\d+/);
    expect(r.out).toMatch(/check:breaking \(admin\): spec \d+\.\d+\.\d+ against release \d+\.\d+\.\d+/);
    expect(r.out.match(/: passed/g)).toHaveLength(2);
  });

  it('refuses an unknown --contract, and --spec without one, saying what to pass', () => {
    const unknown = tool('check-breaking', ['--contract', 'agents']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('--contract: no contract named "agents"; the contracts are agent, admin');
    const specAlone = tool('check-breaking', ['--spec', 'generated/openapi.json']);
    expect(specAlone.code).toBe(2);
    expect(specAlone.out).toContain('name its contract with --contract');
  });

  it('fails on a tightened server_id, printing the change and how to review it, in both contracts (they share the parameter)', () => {
    copy = copyContract();
    copy.edit(SERVER_ID, (t) => t.replace('maxLength: 36', 'maxLength: 30'));
    const r = tool('check-breaking', ['--root', copy.root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('breaking  ShowCommand  path server_id: maxLength lowered (or added) on a request value: maxLength 36 → 30  [request-max-length-decreased]');
    expect(r.out).toContain('breaking  UpdateCommandResult  path server_id');
    expect(r.out).toContain(`add to spec/breaking-changes.yaml:\n      - version: 4.0.0\n        change: request-max-length-decreased ShowCommand path server_id`);
    expect(r.out).toContain('check:breaking (agent) failed: Agents in the field would break.');
    // the admin operations that take the same parameter break their callers too, and are reviewed in the admin file
    expect(r.out).toContain('breaking  ShowSource  path server_id: maxLength lowered (or added) on a request value: maxLength 36 → 30  [request-max-length-decreased]');
    expect(r.out).toContain(`add to spec/admin-breaking-changes.yaml:\n      - version: ${adminMajor}\n        change: request-max-length-decreased ShowSource path server_id`);
    expect(r.out).toContain("check:breaking (admin) failed: operators' scripts and the orchestration system would break.");
  });

  it('fails a reviewed breaking change without a major version, and passes it with one', () => {
    copy = copyContract();
    copy.edit(SERVER_ID, (t) => t.replace('maxLength: 36', 'maxLength: 30'));
    for (const op of ['ShowCommand', 'UpdateCommandResult']) approve(copy, minor, `request-max-length-decreased ${op} path server_id`);
    setVersion(copy, minor);
    const asMinor = tool('check-breaking', ['--root', copy.root, '--contract', 'agent']);
    expect(asMinor.code).toBe(1);
    expect(asMinor.out).toContain(`a breaking change needs a major version: set info.version to ${major}`);

    copy.edit('spec/breaking-changes.yaml', (t) => t.replaceAll(`version: ${minor}`, `version: ${major}`));
    setVersion(copy, major);
    const asMajor = tool('check-breaking', ['--root', copy.root, '--contract', 'agent']);
    expect(asMajor.code, asMajor.out).toBe(0);
    expect(asMajor.out).toContain('2 breaking (2 reviewed)');
  });

  it('gates the admin contract with its own file and version: fewer sources per token fail until reviewed for a major version', () => {
    copy = copyContract();
    copy.edit(NEW_TOKEN, (t) => t.replace('maxItems: 1000', 'maxItems: 100'));
    expect(tool('check-breaking', ['--root', copy.root, '--contract', 'agent']).code).toBe(0); // the Agent contract does not use it
    const unreviewed = tool('check-breaking', ['--root', copy.root, '--contract', 'admin']);
    expect(unreviewed.code).toBe(1);
    expect(unreviewed.out).toContain('breaking  CreateToken  body sources: maxItems lowered (or added) on a request value: maxItems 1000 → 100  [request-max-items-decreased]');
    expect(unreviewed.out).not.toContain('check:breaking (agent)');

    approve(copy, adminMajor, 'request-max-items-decreased CreateToken body sources', 'no token was ever issued for more than 100.', 'spec/admin-breaking-changes.yaml');
    const asMinor = tool('check-breaking', ['--root', copy.root, '--contract', 'admin']);
    expect(asMinor.code).toBe(1);
    expect(asMinor.out).toContain(`a breaking change needs a major version: set info.version to ${adminMajor}`);
    setVersion(copy, adminMajor, ADMIN_ROOT_DOC);
    const asMajor = tool('check-breaking', ['--root', copy.root]);
    expect(asMajor.code, asMajor.out).toBe(0);
    expect(asMajor.out).toContain(`check:breaking (admin): spec ${adminMajor} against release ${adminLatest}`);
    expect(asMajor.out).toContain('1 breaking (1 reviewed)');
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
    expect(again.out).toContain(`${latest} is not greater than the latest agent release ${latest}`);
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

  it('releases the admin contract into spec/releases/admin/ with its own changelog, leaving the Agent contract\'s alone', () => {
    copy = copyContract();
    const agentChangelog = readFileSync(join(copy.root, 'spec', 'CHANGELOG.md'), 'utf8');
    copy.edit(NEW_TOKEN, (t) => t.replace('maxItems: 1000', 'maxItems: 2000'));
    setVersion(copy, adminMinor, ADMIN_ROOT_DOC);
    expect(tool('generate', ['--root', copy.root]).code).toBe(0);
    const asAgent = tool('release', ['--root', copy.root, adminMinor]);
    expect(asAgent.code).toBe(1); // without --contract it is the Agent contract's release, whose version is another
    const r = tool('release', ['--root', copy.root, '--contract', 'admin', adminMinor, '--date', '2026-12-02']);
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
    expect(tool('release', ['--root', copy.root, '--contract', 'admin', adminMinor]).out).toContain(`${adminMinor} is not greater than the latest admin release ${adminMinor}`);
  });
});
