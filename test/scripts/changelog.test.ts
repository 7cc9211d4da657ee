/** scripts/breaking/changelog.ts: each contract's committed changelog is exactly what its releases render. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalsFile, readApprovals } from '../../scripts/breaking/approvals.js';
import { renderChangelog } from '../../scripts/breaking/changelog.js';
import { listReleases, type Release } from '../../scripts/breaking/releases.js';
import { contractNamed } from '../../scripts/contracts.js';
import { projectRoot } from '../../harness/processes.js';

describe('renderChangelog', () => {
  for (const name of ['agent', 'admin']) {
    it(`renders ${name}'s committed changelog from its releases and reviewed changes, byte for byte`, () => {
      const contract = contractNamed(name);
      const releases = listReleases(projectRoot, contract);
      expect(releases.length).toBeGreaterThan(1);
      const rendered = renderChangelog(contract, releases, readApprovals(approvalsFile(projectRoot, contract)));
      expect(rendered).toBe(readFileSync(join(projectRoot, contract.changelog), 'utf8'));
    });
  }

  const contract = contractNamed('agent');
  const [first, second] = listReleases(projectRoot, contract) as [Release, Release];

  it('lists the first release as the baseline with its operations, and an unchanged release as descriptions only', () => {
    const again: Release = { ...second, version: '9.9.9', released: '', document: structuredClone(first.document) };
    const text = renderChangelog(contract, [first, again], []);
    expect(text).toMatch(/^# .* changelog\n\nThe contract's releases, newest first, written by `npm run release -- <version>` from `spec\/releases\/` \(never by hand\)\./);
    expect(text).toContain('\n## 9.9.9\n\nNo change to the contract since ' + first.version + ' (descriptions and examples only).\n');
    expect(text).toContain(`\n## ${first.version} (${first.released})\n\nFirst release: the baseline of the breaking-change gate. Operations: ShowCommand, UpdateCommandResult.\n`);
    expect(text.indexOf('## 9.9.9')).toBeLessThan(text.indexOf(`## ${first.version}`)); // newest first
    expect(text.endsWith('.\n')).toBe(true);
  });

  it('lists only operations in a baseline, not a path item\'s parameters or summary, and keeps an unchanged release\'s section apart from the next', () => {
    const baseline: Release = { ...first, document: structuredClone(first.document) };
    const item = baseline.document.paths['/v3/sources/{server_id}/command'];
    Object.assign(item, { summary: 'Commands', parameters: [{ name: 'x', in: 'query', schema: { type: 'string' } }] });
    delete item.get.operationId;
    const unchanged: Release = { version: '9.0.0', released: '', document: structuredClone(baseline.document) };
    const changed = structuredClone(baseline.document);
    changed.components.schemas.CommandParam.properties.bucket.maxLength = 1024;
    const text = renderChangelog(contract, [baseline, unchanged, { version: '9.1.0', released: '', document: changed }], []);
    expect(text).toContain('Operations: UpdateCommandResult.\n');
    expect(text).toContain(`## 9.0.0\n\nNo change to the contract since ${first.version} (descriptions and examples only).\n\n## ${first.version}`);
  });

  it('quotes a reason only for the release it was reviewed for', () => {
    const next = structuredClone(first.document);
    next.components.parameters.ServerId.schema.maxLength = 20;
    const approvals = [{ version: '5.0.0', change: 'request-max-length-decreased ShowCommand path server_id', reason: 'another release' }];
    expect(renderChangelog(contract, [first, { version: '4.0.0', released: '', document: next }], approvals)).not.toContain('Why:');
  });

  it('groups changes per operation, breaking before warning before info, and quotes the reason of a reviewed one', () => {
    const next = structuredClone(first.document);
    next.components.parameters.ServerId.schema.maxLength = 20; // breaking, on both operations
    next.paths['/v3/sources/{server_id}/command'].get.responses['200'].content['application/json'].schema = { type: 'object', additionalProperties: true };
    const release: Release = { version: '4.0.0', released: '2026-12-03', document: next };
    const approvals = [{ version: '4.0.0', change: 'request-max-length-decreased ShowCommand path server_id', reason: 'ids are shorter now' }];
    const text = renderChangelog(contract, [first, release], approvals);
    const section = text.slice(text.indexOf('## 4.0.0 (2026-12-03)'), text.indexOf(`## ${first.version}`));
    expect(section).toContain('### ShowCommand\n\n- **breaking** path server_id: maxLength lowered (or added) on a request value: maxLength 36 → 20. Why: ids are shorter now\n');
    expect(section).toContain('### UpdateCommandResult\n\n- **breaking** path server_id: maxLength lowered (or added) on a request value: maxLength 36 → 20\n');
    expect(section.indexOf('### ShowCommand')).toBeLessThan(section.indexOf('### UpdateCommandResult'));
    const show = section.slice(section.indexOf('### ShowCommand'), section.indexOf('### UpdateCommandResult'));
    const severities = [...show.matchAll(/^- \*\*(\w+)\*\*/gm)].map((m) => m[1]);
    expect(severities[0]).toBe('breaking');
    expect(severities).toEqual([...severities].sort((a, b) => ['breaking', 'warning', 'info'].indexOf(a as string) - ['breaking', 'warning', 'info'].indexOf(b as string)));
    expect(severities.length).toBeGreaterThan(1);
  });
});
