/**
 * `npm run check:breaking` on a copy of this checkout, as a process: the gate fails on an unreviewed
 * breaking change and on a breaking change without a major bump, passes a reviewed one and a description
 * change. Both contracts: the Agent's (spec/releases/) and the admin one (spec/releases/admin/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import semver from 'semver';
import { latestRelease } from '../../scripts/breaking/releases.js';
import { contractNamed } from '../../scripts/contracts.js';
import { approve, copyContract, runTool as tool, setVersion, type ContractCopy } from '../../harness/checkout.js';
import { projectRoot } from '../../harness/processes.js';

const SERVER_ID = 'spec/components/parameters/ServerId.yaml';
/** The latest release of this checkout, and the versions after it. */
const latest = latestRelease(projectRoot, contractNamed('agent'))?.version as string;
const minor = semver.inc(latest, 'minor') as string;
const major = semver.inc(latest, 'major') as string;
const adminLatest = latestRelease(projectRoot, contractNamed('admin'))?.version as string;
const adminMajor = semver.inc(adminLatest, 'major') as string;
const ADMIN_ROOT_DOC = 'spec/admin.yaml';
const NEW_TOKEN = 'spec/components/schemas/NewToken.yaml';

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
