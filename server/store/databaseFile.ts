/**
 * The file a SQLite store writes to, watched: deleted, replaced by another file, or no longer writable
 * while the server runs, SQLite would go on writing to the old inode (lost at the next start) or fail
 * every write. The store asks `problem()` before it writes, and refuses (503) instead.
 */
import { accessSync, constants, statSync } from 'node:fs';

export class DatabaseFile {
  private readonly dev: number;
  private readonly ino: number;

  constructor(readonly path: string) {
    const st = statSync(path);
    this.dev = st.dev;
    this.ino = st.ino;
  }

  /** Why the file cannot keep writes now, or null when it can. */
  problem(): string | null {
    let st;
    try {
      st = statSync(this.path);
    } catch {
      return `the database file ${this.path} was deleted`;
    }
    if (st.ino !== this.ino || st.dev !== this.dev) return `the database file ${this.path} was replaced by another file`;
    try {
      accessSync(this.path, constants.W_OK);
    } catch {
      return `the database file ${this.path} is not writable`;
    }
    return null;
  }
}
