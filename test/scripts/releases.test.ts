/** scripts/breaking/releases.ts: a contract's frozen releases, found by file name, in semver order. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contractNamed, type Contract } from '../../scripts/contracts.js';
import { latestRelease, listReleases, releasesDir } from '../../scripts/breaking/releases.js';

describe('listReleases and latestRelease', () => {
  let root: string;
  const contract: Contract = { ...contractNamed('agent'), releases: 'frozen/agent' };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'releases-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds nothing before the first release (no folder, or an empty one)', () => {
    expect(listReleases(root, contract)).toEqual([]);
    expect(latestRelease(root, contract)).toBeUndefined();
    mkdirSync(releasesDir(root, contract), { recursive: true });
    expect(listReleases(root, contract)).toEqual([]);
    expect(latestRelease(root, contract)).toBeUndefined();
  });

  it('reads every <semver>.json, oldest first in semver order (1.10.0 after 1.9.0), with its release day; other files are not releases', () => {
    const dir = releasesDir(root, contract);
    expect(dir).toBe(join(root, 'frozen', 'agent'));
    mkdirSync(dir, { recursive: true });
    const frozen = (name: string, document: object) => writeFileSync(join(dir, name), JSON.stringify(document));
    frozen('1.10.0.json', { info: { version: '1.10.0' }, 'x-released': '2026-12-07' });
    frozen('1.9.0.json', { info: { version: '1.9.0' }, 'x-released': '2026-12-01' });
    frozen('1.0.0.json', { info: { version: '1.0.0' } });
    frozen('draft.json', { info: { version: 'draft' } });
    frozen('1.2.json', { info: { version: '1.2' } });
    writeFileSync(join(dir, '2.0.0.yaml'), 'info: {}');
    writeFileSync(join(dir, 'README.md'), '# releases');
    const releases = listReleases(root, contract);
    expect(releases.map((r) => [r.version, r.released, r.document.info.version])).toEqual([
      ['1.0.0', '', '1.0.0'],
      ['1.9.0', '2026-12-01', '1.9.0'],
      ['1.10.0', '2026-12-07', '1.10.0'],
    ]);
    expect(latestRelease(root, contract)?.version).toBe('1.10.0');
  });
});
