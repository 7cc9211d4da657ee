/** scripts/breaking/approvals.ts: a contract's review file, read strictly (a malformed entry says which and what). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalsFile, changeKey, readApprovals, readReviewEntries } from '../../scripts/breaking/approvals.js';
import { contractNamed } from '../../scripts/contracts.js';
import type { Change } from '../../scripts/breaking/diff.js';

describe('review files', () => {
  let dir: string;
  let file: string;
  const write = (text: string): string => (writeFileSync(file, text), file);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'approvals-'));
    file = join(dir, 'review.yaml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the contract\'s review file and an approval\'s key as check:breaking prints it', () => {
    expect(approvalsFile('/root', contractNamed('agent'))).toBe(join('/root', 'spec/breaking-changes.yaml'));
    expect(approvalsFile('/root', contractNamed('admin'))).toBe(join('/root', 'spec/admin-breaking-changes.yaml'));
    expect(changeKey({ rule: 'request-max-length-decreased', operation: 'ShowCommand', location: 'path server_id' } as Change)).toBe('request-max-length-decreased ShowCommand path server_id');
  });

  it('reads the approved entries, each field trimmed but the version; no file, an empty one or no list: none', () => {
    expect(readApprovals(join(dir, 'missing.yaml'))).toEqual([]);
    expect(readApprovals(write(''))).toEqual([]);
    expect(readApprovals(write('approved: []\n'))).toEqual([]);
    expect(readApprovals(write('specmatic_false_alarms:\n  - version: 1.1.0\n    reason: its pattern bug\n'))).toEqual([]);
    expect(readApprovals(write('approved:\n  - version: "2.0.0 "\n    change: "  rule Op body x "\n    reason: " why\\n"\n'))).toEqual([{ version: '2.0.0 ', change: 'rule Op body x', reason: 'why' }]);
  });

  it('refuses a list that is not one, naming the file, the key and the shape', () => {
    expect(() => readApprovals(write('approved: yes\n'))).toThrow(`${file}: "approved" must be a list of { version, change, reason }.`);
    expect(() => readReviewEntries(write('other: {}\n'), 'other', ['a', 'b'])).toThrow(`${file}: "other" must be a list of { a, b }.`);
  });

  it.each([
    ['a field missing', 'approved:\n  - version: 2.0.0\n    change: x\n', 1, 'reason'],
    ['a field blank', 'approved:\n  - version: 2.0.0\n    change: x\n    reason: x\n  - version: 2.0.0\n    change: "  "\n    reason: x\n', 2, 'change'],
    ['a field not a string', 'approved:\n  - version: 2\n    change: x\n    reason: x\n', 1, 'version'],
    ['an empty entry', 'approved:\n  -\n', 1, 'version'],
  ])('refuses %s, naming the entry and the field', (_what, text, entry, field) => {
    expect(() => readApprovals(write(text))).toThrow(`${file}: entry ${entry} needs a non-empty "${field}" (version, change, reason).`);
  });

  it("names the list in another key's message", () => {
    expect(() => readReviewEntries(write('specmatic_false_alarms:\n  - version: 1.1.0\n'), 'specmatic_false_alarms', ['version', 'reason'])).toThrow(
      `${file}: specmatic_false_alarms entry 1 needs a non-empty "reason" (version, reason).`,
    );
  });
});
