/** scripts/breaking/gate.ts in-process: what fails the gate, what it only notes, and the fix each problem names. */
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { runGate } from '../../scripts/breaking/gate.js';
import { latestRelease, type Release } from '../../scripts/breaking/releases.js';
import { contractNamed } from '../../scripts/contracts.js';
import { projectRoot } from '../../harness/processes.js';

const contract = contractNamed('agent');
const base = latestRelease(projectRoot, contract) as Release;
const major = semver.inc(base.version, 'major') as string;
const minor = semver.inc(base.version, 'minor') as string;

/** The latest release with server_id's maxLength lowered to 20 (breaking on both operations), at `version`. */
function tightened(version: string): Record<string, any> {
  const doc = structuredClone(base.document);
  doc.components.parameters.ServerId.schema.maxLength = 20;
  doc.info.version = version;
  return doc;
}
const SHOW = 'request-max-length-decreased ShowCommand path server_id';
const UPDATE = 'request-max-length-decreased UpdateCommandResult path server_id';

describe('runGate', () => {
  it('passes the latest release against itself, with nothing to say', () => {
    const r = runGate({ contract, base, working: structuredClone(base.document), approvals: [] });
    expect(r).toEqual({ version: base.version, changes: [], approved: [], problems: [], notes: [] });
  });

  it('fails an unreviewed breaking change, printing the entry to add, and asks for the major version', () => {
    const r = runGate({ contract, base, working: tightened(minor), approvals: [] });
    expect(r.changes.map((c) => `${c.rule} ${c.operation} ${c.location}`)).toEqual([SHOW, UPDATE]);
    expect(r.problems).toEqual([
      `unreviewed breaking change: ${SHOW}\n    to ship it on purpose, add to spec/breaking-changes.yaml:\n      - version: ${major}\n        change: ${SHOW}\n        reason: <why the break is worth it>`,
      `unreviewed breaking change: ${UPDATE}\n    to ship it on purpose, add to spec/breaking-changes.yaml:\n      - version: ${major}\n        change: ${UPDATE}\n        reason: <why the break is worth it>`,
      `a breaking change needs a major version: set info.version to ${major} (it is ${minor}; the latest release is ${base.version}).`,
    ]);
    expect(r.approved).toEqual([]);
  });

  it('passes reviewed breaking changes at the major version, and only the version they were reviewed for', () => {
    const approvals = [
      { version: major, change: SHOW, reason: 'shorter ids' },
      { version: major, change: UPDATE, reason: 'shorter ids' },
    ];
    const r = runGate({ contract, base, working: tightened(major), approvals });
    expect(r.problems).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(r.approved.map((a) => a.approval.change)).toEqual([SHOW, UPDATE]);
    const elsewhere = runGate({ contract, base, working: tightened(major), approvals: approvals.map((a) => ({ ...a, version: '99.0.0' })) });
    expect(elsewhere.problems.filter((p) => p.startsWith('unreviewed breaking change'))).toHaveLength(2);
  });

  it('notes a reviewed entry that matches no breaking change, and a changed contract whose version was not bumped', () => {
    const stray = runGate({ contract, base, working: tightened(major), approvals: [{ version: major, change: SHOW, reason: 'x' }, { version: major, change: UPDATE, reason: 'x' }, { version: major, change: 'path-removed /gone', reason: 'x' }] });
    expect(stray.notes).toEqual([`reviewed entry for ${major} matches no breaking change (remove it?): path-removed /gone`]);
    const described = structuredClone(base.document);
    described.paths['/v3/sources/{server_id}/command'].get.responses['200'].content['application/json'].schema = { type: 'object', additionalProperties: true };
    const r = runGate({ contract, base, working: described, approvals: [] });
    expect(r.changes.length).toBeGreaterThan(0);
    expect(r.notes).toContain(`the contract changed since release ${base.version}, but info.version is still ${base.version}: bump it before \`npm run release -- <version>\`.`);
  });

  it('lets warnings and infos through without review or a major version', () => {
    const widened = structuredClone(base.document);
    widened.components.schemas.CommandParam.properties.bucket.maxLength = 1024; // a warning: strict readers notice
    widened.info.version = minor;
    const r = runGate({ contract, base, working: widened, approvals: [] });
    expect(r.changes.map((c) => c.severity)).toEqual(['warning']);
    expect(r.problems).toEqual([]);
  });

  it('refuses a document without info.version, saying where to set it', () => {
    const { info: _info, ...bare } = structuredClone(base.document);
    expect(runGate({ contract, base, working: bare, approvals: [] }).problems).toEqual(['info.version "" is not a semantic version (MAJOR.MINOR.PATCH): fix it in spec/openapi.yaml.']);
  });

  it('refuses a version that is not semantic, and one lower than the latest release', () => {
    const bad = structuredClone(base.document);
    bad.info.version = 'v3';
    expect(runGate({ contract, base, working: bad, approvals: [] }).problems).toEqual(['info.version "v3" is not a semantic version (MAJOR.MINOR.PATCH): fix it in spec/openapi.yaml.']);
    const lower = structuredClone(base.document);
    lower.info.version = '1.0.0';
    expect(runGate({ contract, base, working: lower, approvals: [] }).problems).toEqual([`info.version 1.0.0 is lower than the latest release ${base.version}.`]);
  });
});
