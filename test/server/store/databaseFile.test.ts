/** server/store/databaseFile.ts: the watched SQLite file tells what keeps it from taking writes, or null. */
import { copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseFile } from '../../../server/store/databaseFile.js';
import { scratchDir } from '../../support/scratch.js';

describe('DatabaseFile', () => {
  const dir = scratchDir('dbfile');

  it('has no problem while the file it opened is there and writable', () => {
    const path = join(dir, 'kept.sqlite');
    writeFileSync(path, 'x');
    expect(new DatabaseFile(path).problem()).toBeNull();
  });

  it('tells a deleted file', () => {
    const path = join(dir, 'deleted.sqlite');
    writeFileSync(path, 'x');
    const file = new DatabaseFile(path);
    rmSync(path);
    expect(file.problem()).toBe(`the database file ${path} was deleted`);
  });

  it('tells a file replaced by another one at the same path (another inode)', () => {
    const path = join(dir, 'replaced.sqlite');
    writeFileSync(path, 'x');
    const file = new DatabaseFile(path);
    copyFileSync(path, join(dir, 'copy.sqlite'));
    renameSync(join(dir, 'copy.sqlite'), path);
    expect(file.problem()).toBe(`the database file ${path} was replaced by another file`);
  });

  it('refuses to watch a file that does not exist', () => {
    expect(() => new DatabaseFile(join(dir, 'missing.sqlite'))).toThrow(/ENOENT/);
  });
});
